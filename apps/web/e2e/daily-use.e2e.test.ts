import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectNoSeriousA11yViolations, inkedCanvases, launchBrowser, screenshot } from "./browser";
import { restClient, seedCompare } from "./seed";
import { type Server, startServer } from "./server";

// Day-one and everyday use (issue 19): session, links, the runs table at 1440 px, compare at size, live runs.
let server: Server;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let seeded: Awaited<ReturnType<typeof seedCompare>>;
let api: ReturnType<typeof restClient>;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  api = restClient(server.url, server.key);
  try {
    seeded = await seedCompare(api);
  } catch (error) {
    console.error(server.output().slice(-3000));
    throw error;
  }
  page = await browser.context.newPage();
  await page.goto(server.url);
  await page.getByLabel("API key").fill(server.key);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Experiments" }).waitFor();
}, 600_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const trpcCalls = (p: Page) => {
  const calls: string[] = [];
  p.on("request", (r) => {
    if (r.url().includes("/trpc/")) calls.push(decodeURIComponent(new URL(r.url()).pathname.slice(6)));
  });
  return calls;
};

describe("session and links", () => {
  it("keeps the session in a new tab and on reload; Sign out clears it", async () => {
    const url = `${server.url}/experiments/${seeded.experiment.id}`;
    const tab = await browser.context.newPage();
    await tab.goto(url);
    await tab.getByRole("heading", { name: "sweep" }).waitFor();
    expect(await tab.title()).toBe("sweep · Stepwise");
    await tab.reload();
    await tab.getByRole("heading", { name: "sweep" }).waitFor();
    await tab.getByRole("button", { name: "Sign out" }).click();
    await tab.getByRole("heading", { name: "Sign in to Stepwise" }).waitFor();
    expect(await tab.title()).toBe("Sign in · Stepwise");
    await tab.close();
    // Signed out everywhere: the first tab hears it too; sign in again for the rest.
    await page.getByRole("heading", { name: "Sign in to Stepwise" }).waitFor();
    await page.getByLabel("API key").fill(server.key);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Experiments" }).waitFor();
    expect(await page.title()).toBe("Experiments · Stepwise");
  });

  it("shows an empty experiment how to log a first run, with this server's URL and tenant", async () => {
    await page.goto(`${server.url}/experiments/${seeded.empty.id}`);
    await page.getByText("No runs yet").waitFor();
    const text = (await page.locator(".first-run").textContent()) ?? "";
    expect(text).toContain(`MLFLOW_TRACKING_URI=${server.url}/t/default`);
    expect(text).toContain("MLFLOW_TRACKING_TOKEN=");
    expect(text).toContain(`API = "${server.url}/api/v1"`);
    expect(text).toContain(`"experiment_id": "${seeded.empty.id}"`);
    expect(text).toContain("X-Tenant-ID: default");
    await expectNoSeriousA11yViolations(page);
  });

  it("puts sort, columns and selection in the URL: reload and Back keep them", async () => {
    await page.goto(`${server.url}/experiments/${seeded.experiment.id}`);
    await page.locator("tr[data-run]").first().waitFor();
    await page.locator("thead th button", { hasText: /^loss/ }).click();
    await page.locator("thead th button", { hasText: /^accuracy/ }).click();
    expect(page.url()).toContain("sort=metric%3Aaccuracy%3Adesc"); // accuracy: highest first
    await page.getByRole("checkbox", { name: "Select run run-01" }).check();
    await page.getByText("Columns").click();
    await page.getByRole("checkbox", { name: "throughput" }).uncheck();
    const names = () => page.locator("tr[data-run]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-run")));
    const before = await names();
    expect(before[0]).toBe(seeded.bestAccuracy);
    await page.reload();
    await page.locator("tr[data-run]").first().waitFor();
    expect(await names()).toEqual(before);
    expect(await page.getByRole("checkbox", { name: "Select run run-01" }).isChecked()).toBe(true);
    expect(await page.locator("thead th", { hasText: "throughput" }).count()).toBe(0);
    await page.getByRole("link", { name: "run-02" }).click();
    await page.getByRole("heading", { name: "run-02" }).waitFor();
    expect(await page.title()).toBe("run-02 · Stepwise");
    await page.goBack();
    await page.locator("tr[data-run]").first().waitFor();
    expect(await names()).toEqual(before);
  });
});

describe("the runs table on a 1440 px screen", () => {
  it("shows the metrics without scrolling, keeps the name pinned, and sorts loss lowest first", async () => {
    await page.goto(`${server.url}/experiments/${seeded.experiment.id}`);
    await page.locator("tr[data-run]").first().waitFor();
    const width = page.viewportSize()?.width ?? 0;
    // The first six metrics by name are shown by default.
    for (const key of [...seeded.metricKeys].sort().slice(0, 6)) {
      const box = await page.locator("thead th", { hasText: new RegExp(`^${key}`) }).boundingBox();
      expect(box && box.x + box.width).toBeLessThanOrEqual(width);
    }
    const name = page.locator("tr[data-run] td.pin-name").first();
    const x = (await name.boundingBox())?.x;
    await page.locator(".runs").evaluate((el) => el.scrollBy({ left: 600 }));
    expect((await name.boundingBox())?.x).toBe(x);
    await page.locator("thead th button", { hasText: /^loss/ }).click();
    expect(page.url()).toContain("sort=metric%3Aloss%3Aasc");
    await expectNoSeriousA11yViolations(page);
  });

  it("has one Tab stop per row: Tab and the arrows move between rows, Space selects", async () => {
    await page.locator("tr[data-run] a").first().focus();
    const focused = () => page.evaluate(() => document.activeElement?.closest("tr")?.getAttribute("data-run"));
    const first = await focused();
    const rows = await page.locator("tr[data-run]").evaluateAll((r) => r.map((x) => x.getAttribute("data-run")));
    await page.keyboard.press("Tab");
    expect(await focused()).toBe(rows[1]);
    await page.keyboard.press("ArrowDown");
    expect(await focused()).toBe(rows[2]);
    await page.keyboard.press("ArrowUp");
    await page.keyboard.press("ArrowUp");
    expect(await focused()).toBe(first);
    await page.keyboard.press(" ");
    expect(await page.locator(`tr[data-run="${first}"]`).getAttribute("aria-selected")).toBe("true");
  });

  it("starts with a skip link to the page's content", async () => {
    await page.goto(`${server.url}/experiments/${seeded.experiment.id}`);
    // The first Tab of a page that has finished rendering (under load, it may still be drawing the table).
    await page.getByText("Skip to content").waitFor({ state: "attached" });
    await page.locator("table").first().waitFor();
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content");
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("main");
  });
});

/** Waits for `count` charts with `series` lines each, drawn. */
async function chartsDrawn(p: Page, count: number, series: number, timeout = 30_000) {
  await p.waitForFunction(
    ([n, s]) => {
      const plots = Array.from(document.querySelectorAll(`figure.chart .plot[data-series="${s}"]`));
      return (
        plots.length === n &&
        plots.every((el) => Number(el.getAttribute("data-points")) > 2 && el.querySelector("canvas"))
      );
    },
    [count, series] as const,
    { polling: 20, timeout },
  );
  await p.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
}

describe("compare at size", () => {
  // The time is measured and printed, not asserted (a benchmark's job; the target is under 1 s on a quiet
  // machine): on a machine shared by many test runs it says more about the load than about the page.
  it("draws 10 runs x 8 metrics x 20,000 steps from two requests, and reports the time", async () => {
    const url = `${server.url}/compare?runs=${seeded.big.join(",")}`;
    await page.goto(url); // warms the browser's cache of the app's files, and the database's
    await chartsDrawn(page, 8, 10, 180_000);
    const calls = trpcCalls(page);
    const started = Date.now();
    await page.goto(url);
    await chartsDrawn(page, 8, 10);
    const elapsed = Date.now() - started;
    const bulk = await page.evaluate(() =>
      performance
        .getEntriesByType("resource")
        .filter((e) => e.name.includes("runs.metricHistories"))
        .map(
          (e) =>
            `${Math.round(e.duration)} ms, ${Math.round((e as PerformanceResourceTiming).encodedBodySize / 1024)} KiB`,
        ),
    );
    console.log(`compare of 10 runs x 8 metrics x 20000 steps: drawn after ${elapsed} ms (bulk history: ${bulk})`);
    expect((await inkedCanvases(page)).every((n) => n > 500)).toBe(true);
    expect(calls.filter((c) => c.includes("runs.")).sort()).toEqual(["runs.compare", "runs.metricHistories"]);
    await screenshot(page, "09-compare-10x8");
  });

  it("has one legend, lines that differ by pattern too, best only where the name says, a text alternative", async () => {
    expect(await page.locator("ul.legend li").count()).toBe(10);
    expect(await page.locator(".u-legend").count()).toBe(0);
    const dashes = await page
      .locator("ul.legend line")
      .evaluateAll((ls) => ls.map((l) => l.getAttribute("stroke-dasharray")));
    expect(new Set(dashes.slice(0, 7)).size).toBe(7);
    for (const key of ["loss", "val_loss", "accuracy", "f1"])
      expect(await page.locator(`tr[data-metric="${key}"] td[data-best]`).count()).toBe(1);
    for (const key of ["lr", "grad_norm", "throughput"])
      expect(await page.locator(`tr[data-metric="${key}"] td[data-best]`).count()).toBe(0);
    const label = await page.locator('figure[data-metric="loss"] .plot').getAttribute("aria-label");
    expect(label).toMatch(/^Line chart of loss\. run-01: steps 0 to 19999, last -?[\d.]+, lowest -?[\d.]+, highest/);
    await expectNoSeriousA11yViolations(page);
  });

  it("compares more than 10 runs, with a shared zoom in the URL and integer step ticks", async () => {
    const all = [...seeded.big, ...seeded.small];
    await page.goto(`${server.url}/compare?runs=${all.join(",")}&zoom=1-4`);
    await page.getByRole("heading", { name: `Compare ${all.length} runs` }).waitFor();
    await chartsDrawn(page, 8, all.length);
    expect(await page.locator("figure.chart .note", { hasText: "steps 1–4" }).count()).toBe(8);
    const ticks = (await page.locator('figure[data-metric="loss"] .plot').getAttribute("data-x-ticks")) ?? "";
    expect(ticks.split(" ").length).toBeGreaterThan(1);
    for (const t of ticks.split(" ")) expect(Number.isInteger(Number(t))).toBe(true);
    await page.reload();
    await chartsDrawn(page, 8, all.length);
    expect(await page.locator("figure.chart .note", { hasText: "steps 1–4" }).count()).toBe(8);
  });
});

describe("dark mode", () => {
  it("follows the system's preference, with enough contrast", async () => {
    await page.emulateMedia({ colorScheme: "dark" });
    try {
      await page.goto(`${server.url}/compare?runs=${seeded.big.slice(0, 4).join(",")}`);
      await chartsDrawn(page, 8, 4);
      const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
      const [r, g, b] = (background.match(/\d+/g) ?? []).map(Number);
      expect((r ?? 255) + (g ?? 255) + (b ?? 255)).toBeLessThan(150);
      await screenshot(page, "10-compare-dark");
      await expectNoSeriousA11yViolations(page);
    } finally {
      await page.emulateMedia({ colorScheme: "light" });
    }
  });
});

describe("a run that does not exist", () => {
  it("says so, without offering to try again", async () => {
    await page.goto(`${server.url}/runs/0190f0e0-0000-7000-8000-000000000000`);
    await page.getByRole("heading", { name: "Run not found" }).waitFor();
    expect(await page.getByRole("button", { name: "Try again" }).count()).toBe(0);
    expect(await page.title()).toBe("Run not found · Stepwise");
    await expectNoSeriousA11yViolations(page);
  });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Bytes the page receives over `ms` (headers and bodies, as Chromium counts them), and the API calls made. */
async function watch(p: Page, ms: number) {
  const cdp = await browser.context.newCDPSession(p);
  await cdp.send("Network.enable");
  let bytes = 0;
  const urls: string[] = [];
  cdp.on("Network.loadingFinished", (e) => {
    bytes += e.encodedDataLength;
  });
  cdp.on("Network.requestWillBeSent", (e) => {
    if (e.request.url.includes("/trpc/")) urls.push(decodeURIComponent(e.request.url));
  });
  await sleep(ms);
  await cdp.detach();
  return { bytes, urls };
}

describe("a live run", () => {
  it("fetches only what changed, and nothing while the tab is hidden", async () => {
    const run = seeded.live;
    let step = seeded.liveSteps;
    let writing = true;
    // A training loop: 5 steps of two metrics every 500 ms.
    const writer = (async () => {
      while (writing) {
        const metrics = Array.from({ length: 5 }, (_, i) => step + i).flatMap((s) => [
          { key: "loss", value: 1 / (s + 1), step: s },
          { key: "accuracy", value: 1 - 1 / (s + 1), step: s },
        ]);
        await api.batch(run, { metrics });
        step += 5;
        await sleep(500);
      }
    })();
    try {
      await page.goto(`${server.url}/runs/${run}`);
      await chartsDrawn(page, 2, 1);
      const before = Number(await page.locator('figure[data-metric="loss"] .plot').getAttribute("data-points"));
      const run20s = await watch(page, 20_000);
      const history = run20s.urls.filter((u) => u.includes("runs.metricHistory"));
      expect(history.length).toBeGreaterThan(4);
      for (const u of history) expect(u).toMatch(/"start_step":\d+/);
      const after = Number(await page.locator('figure[data-metric="loss"] .plot').getAttribute("data-points"));
      expect(after).toBeGreaterThan(before + 100);
      console.log(`a tab watching a live run: ${Math.round((run20s.bytes * 3) / 1024)} KiB per minute`);

      await page.evaluate(() => {
        Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "hidden" });
        document.dispatchEvent(new Event("visibilitychange", { bubbles: true }));
      });
      const hidden = await watch(page, 8000);
      expect(hidden.urls).toEqual([]);

      await page.goto(`${server.url}/experiments/${seeded.liveExperiment.id}`);
      await page.locator("tr[data-run]").first().waitFor();
      const table = await watch(page, 20_000);
      const lists = table.urls.filter((u) => u.includes("runs.list"));
      expect(lists.length).toBeGreaterThan(2);
      for (const u of lists) expect(u).toMatch(/"status":"RUNNING"|"limit":1[,}]/);
      console.log(
        `a tab watching the runs table of ${seeded.liveRuns} runs (1 running): ${Math.round((table.bytes * 3) / 1024)} KiB per minute`,
      );
    } finally {
      writing = false;
      await writer;
    }
  });
});
