import { openDatabase } from "@stepwise/core";
import { scratchDatabaseUrl, testDatabase } from "@stepwise/core/testing";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { readiness } from "./readiness";

// GET /readyz for a load balancer (the scale-out issue): ready only while connected, migrated and not stopping.
const readyz = (r: ReturnType<typeof readiness>) => new Hono().get("/readyz", r.handler).request("/readyz");

describe("/readyz", () => {
  it("is ready on a migrated database, and answers 503 with Retry-After from stop() on (SIGTERM)", async () => {
    const r = readiness(await testDatabase());
    const ready = await readyz(r);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready" });
    r.stop();
    const stopping = await readyz(r);
    expect(stopping.status).toBe(503);
    expect(stopping.headers.get("retry-after")).toBe("2");
    expect(await stopping.json()).toMatchObject({
      code: "SERVICE_UNAVAILABLE",
      message: expect.stringMatching(/shutting down/),
    });
  });

  it("is not ready until the database holds every migration, then is", async (ctx) => {
    const url = await scratchDatabaseUrl();
    if (!url) return ctx.skip("needs PostgreSQL (DATABASE_URL) for an empty database");
    const database = await openDatabase({ url, maxConnections: 1 });
    try {
      const r = readiness(database);
      const before = await readyz(r);
      expect(before.status).toBe(503);
      expect((await before.json()).message).toMatch(/not migrated yet \(run `pnpm migrate`\)/);
      await database.migrate();
      expect((await readyz(r)).status).toBe(200);
    } finally {
      await database.close();
    }
  });
});
