import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium, type Page } from "playwright-core";
import { expect } from "vitest";

/** Where screenshots go: apps/web/e2e-output/, or STEPWISE_SCREENSHOTS_DIR (`pnpm screenshots`: docs/screenshots/). */
export const OUTPUT = resolve(import.meta.dirname, "..", process.env.STEPWISE_SCREENSHOTS_DIR ?? "e2e-output");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Debian's Chromium, headless, with a fresh profile and nothing that phones home. */
export async function launchBrowser() {
  const profile = mkdtempSync(join(tmpdir(), "stepwise-chromium-"));
  // A persistent context is how Playwright takes a profile folder of our choosing (a fresh one per launch).
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1440, height: 900 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-quic",
      "--no-first-run",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const close = async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  };
  return { context, close };
}

/** A full-page screenshot under OUTPUT (e2e-output/ is the suite's output, gitignored). */
export async function screenshot(page: Page, name: string) {
  mkdirSync(OUTPUT, { recursive: true });
  await page.screenshot({ path: join(OUTPUT, `${name}.png`), fullPage: true });
}

/** Non-blank pixels on each chart canvas of the page (uPlot draws its lines on one canvas per chart). */
export const inkedCanvases = (p: Page) =>
  p.$$eval("figure.chart canvas", (canvases) =>
    canvases.map((canvas) => {
      const c = canvas as HTMLCanvasElement;
      const pixels = c.getContext("2d")?.getImageData(0, 0, c.width, c.height).data ?? [];
      let inked = 0;
      for (let i = 3; i < pixels.length; i += 4) if ((pixels[i] ?? 0) > 0) inked++;
      return inked;
    }),
  );

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/** axe-core's WCAG 2 A/AA rules over the page as it is: no serious or critical violation. */
export async function expectNoSeriousA11yViolations(page: Page) {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    // biome-ignore lint/suspicious/noExplicitAny: axe-core is injected as a global script
    const axe = (window as any).axe;
    const result = await axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "best-practice"] },
    });
    return result.violations
      .filter((v: { impact: string }) => v.impact === "serious" || v.impact === "critical")
      .map((v: { id: string; help: string; nodes: { target: string[] }[] }) => ({
        id: v.id,
        help: v.help,
        targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
      }));
  });
  expect(violations).toEqual([]);
}
