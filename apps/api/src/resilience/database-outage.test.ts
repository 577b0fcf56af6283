import { existsSync } from "node:fs";
import { type DatabaseHandle, openDatabase } from "@stepwise/core";
import { createTestTenant, type TestTenant } from "@stepwise/core/testing";
import pino from "pino";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../app";
import { TEST_ARTIFACTS } from "../testing/app";
import { startThrowawayPostgres } from "../testing/throwaway-postgres";

// Contract section 3 (503) and the resilience issue: PostgreSQL stops (fast) and crashes (kill -9) under
// 8 clients sending log-batch; the same app answers 503 fast meanwhile and recovers by itself.
const CLIENTS = 8;
const POINTS = 100;

let pg: Awaited<ReturnType<typeof startThrowawayPostgres>>;
let database: DatabaseHandle;
let app: ReturnType<typeof createApp>;
let me: TestTenant;
// The test runs its own PostgreSQL server, from the binaries of Debian's postgresql package (or PG_BIN).
const hasPostgres = existsSync("/usr/lib/postgresql") || Boolean(process.env.PG_BIN);
beforeAll(async () => {
  if (!hasPostgres) return;
  pg = await startThrowawayPostgres();
  database = await openDatabase({ url: pg.url, maxConnections: 10 });
  await database.migrate();
  app = createApp({
    database,
    artifacts: TEST_ARTIFACTS,
    maxBodyBytes: 1024 * 1024,
    maxArtifactBytes: 1024,
    logger: pino({ level: "silent" }),
  });
  me = await createTestTenant(database.db);
}, 60_000);
afterAll(async () => {
  await database?.close();
  await pg?.destroy();
});

const call = (method: string, path: string, body?: unknown) =>
  app.request(path, {
    method,
    headers: { ...me.headers, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Sent {
  run: string;
  firstStep: number;
  status: number;
  ms: number;
  retryAfter: string | null;
  at: number;
}

describe.skipIf(!hasPostgres)("a PostgreSQL outage", () => {
  it("is a fast 503 with Retry-After while it lasts, loses no acknowledged batch, stores none partially, and heals by itself", async () => {
    const experiment = await (await call("POST", "/api/v1/experiments", { name: "outage" })).json();
    const runs: string[] = [];
    for (let i = 0; i < CLIENTS; i++) {
      runs.push((await (await call("POST", "/api/v1/experiments/runs", { experiment_id: experiment.id })).json()).id);
    }
    const sent: Sent[] = [];
    let stop = false;
    const clients = runs.map(async (run) => {
      for (let batch = 0; !stop; batch++) {
        const firstStep = batch * POINTS;
        const metrics = Array.from({ length: POINTS }, (_, i) => ({ key: "loss", value: i, step: firstStep + i }));
        const start = performance.now();
        const res = await call("POST", `/api/v1/experiments/runs/${run}/log-batch`, { metrics });
        const ms = performance.now() - start;
        sent.push({
          run,
          firstStep,
          status: res.status,
          ms,
          retryAfter: res.headers.get("retry-after"),
          at: Date.now(),
        });
        if (res.status === 503) expect(await res.json()).toMatchObject({ code: "SERVICE_UNAVAILABLE" });
        else await res.body?.cancel();
        if (res.status !== 200) await sleep(100);
      }
    });

    const outage = async (down: () => Promise<void>) => {
      await sleep(800);
      await down();
      await sleep(1500);
      expect((await app.request("/readyz")).status).toBe(503);
      expect((await app.request("/healthz")).status).toBe(200);
      await sleep(1500);
      await pg.start();
      const back = Date.now();
      while (!sent.some((s) => s.status === 200 && s.at > back)) {
        expect(Date.now() - back, "requests succeed again within 5 s").toBeLessThan(5000);
        await sleep(50);
      }
      while ((await app.request("/readyz")).status !== 200) {
        expect(Date.now() - back, "ready again within 5 s").toBeLessThan(5000);
        await sleep(50);
      }
    };
    await outage(() => pg.stop("fast"));
    await outage(async () => pg.kill());
    await sleep(500);
    stop = true;
    await Promise.all(clients);

    const statuses = new Set(sent.map((s) => s.status));
    expect([...statuses].sort()).toEqual([200, 503]);
    const refused = sent.filter((s) => s.status === 503);
    expect(refused.every((s) => s.retryAfter === "2")).toBe(true);
    expect(Math.max(...sent.map((s) => s.ms)), "a request fails fast, not on a hung socket").toBeLessThan(3000);

    const check = postgres(pg.url, { max: 1 });
    const rows = await check<{ run_id: string; batch: string; n: number }[]>`
      select s.run_id, floor(p.step / ${POINTS})::bigint as batch, count(*)::int as n
        from metric_points p join metric_series s on s.tenant_id = p.tenant_id and s.id = p.series_id
       where s.tenant_id = ${me.id} group by 1, 2`;
    await check.end();
    const count = new Map(rows.map((r) => [`${r.run_id}/${Number(r.batch) * POINTS}`, r.n]));
    for (const s of sent.filter((s) => s.status === 200)) expect(count.get(`${s.run}/${s.firstStep}`)).toBe(POINTS);
    for (const n of count.values()) expect(n, "no batch is stored partially").toBe(POINTS);
  }, 90_000);
});
