import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { testDatabase } from "@stepwise/core/testing";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { createApp } from "../app";
import { TEST_ARTIFACTS } from "../testing/app";

// The web app's build, served by the API process at `/` (apps/web), without shadowing the server's own paths.
const dir = mkdtempSync(join(tmpdir(), "stepwise-web-"));
mkdirSync(join(dir, "assets"));
writeFileSync(join(dir, "index.html"), "<!doctype html><title>Stepwise</title>");
writeFileSync(join(dir, "assets", "app-1234.js"), "console.log(1)");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const database = await testDatabase();
const appWith = (webDir: string) =>
  createApp({
    database,
    artifacts: TEST_ARTIFACTS,
    maxBodyBytes: 1024,
    maxArtifactBytes: 1024,
    logger: pino({ level: "silent" }),
    webApp: { dir: webDir, config: { embedded: true, keyFile: "/data/.stepwise/bootstrap.key" } },
  });
// Over a real server: the static files go through @hono/node-server's own response path.
async function served(webDir: string) {
  const server = serve({ fetch: appWith(webDir).fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { request: (path: string) => fetch(`${base}${path}`) };
}
const app = await served(dir);

describe("the web app", () => {
  it("serves the page at / and for client routes, assets cached for good, and its config", async () => {
    for (const path of ["/", "/experiments/0190f0e0-0000-7000-8000-000000000000"]) {
      const page = await app.request(path);
      expect(page.status, path).toBe(200);
      expect(await page.text()).toContain("<title>Stepwise</title>");
      expect(page.headers.get("cache-control"), path).toBe("no-cache");
    }
    const asset = await app.request("/assets/app-1234.js");
    expect(asset.status).toBe(200);
    expect(asset.headers.get("cache-control")).toContain("immutable");
    expect(await (await app.request("/app/config.json")).json()).toEqual({
      embedded: true,
      keyFile: "/data/.stepwise/bootstrap.key",
    });
  });

  it("never shadows the API, tRPC, docs, health or metrics", async () => {
    const missing = await app.request("/api/v1/nope");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: "NOT_FOUND" });
    expect(await (await app.request("/healthz")).json()).toEqual({ status: "ok" });
    expect((await app.request("/docs")).headers.get("content-type")).toMatch(/html/);
    expect((await app.request("/metrics")).status).toBe(404); // off without a token, not the app's page
    expect((await app.request("/trpc/nope")).status).toBe(404);
  });

  it("says how to build it when the build is missing", async () => {
    const page = await (await served(join(dir, "missing"))).request("/");
    expect(page.status).toBe(503);
    expect(await page.text()).toContain("pnpm --filter @stepwise/web build");
  });
});
