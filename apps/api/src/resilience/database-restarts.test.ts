import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../testing/start-server";
import { startThrowawayPostgres } from "../testing/throwaway-postgres";

// Issue 16's "Done when": the real server process (node, not in-process) under 6 clients sending log-batch
// (with a tag, so each batch is a transaction), while its own PostgreSQL is stopped fast and killed (-9), 10
// times in all. The process must stay the same, answer 503 + Retry-After fast during each outage, serve again
// within seconds of each restart, and store every batch exactly once (clients retry 503s with their
// Idempotency-Key until acknowledged).
const CLIENTS = 6;
const POINTS = 50;
const RESTARTS = 10;
const KEY = `swk_${"r".repeat(40)}`;
const API_DIR = resolve(import.meta.dirname, "../..");

const hasPostgres = existsSync("/usr/lib/postgresql") || Boolean(process.env.PG_BIN);
let pg: Awaited<ReturnType<typeof startThrowawayPostgres>>;
let server: ChildProcess;
let output = "";
let base: string;
let dataDir: string;

beforeAll(async () => {
  if (!hasPostgres) return;
  pg = await startThrowawayPostgres();
  dataDir = mkdtempSync(join(tmpdir(), "stepwise-restarts-"));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const { DATABASE_URL: _, ...inherited } = process.env;
  server = spawn(process.execPath, ["--import", "tsx", "src/index.ts"], {
    cwd: API_DIR,
    env: {
      ...inherited,
      DATABASE_URL: pg.url,
      PORT: String(port),
      HOST: "127.0.0.1",
      STEPWISE_DATA_DIR: dataDir,
      STEPWISE_BOOTSTRAP_KEY: KEY,
      STEPWISE_RATE_LIMIT: "0",
      LOG_LEVEL: "warn",
    },
  });
  server.stdout?.on("data", (d) => (output += d));
  server.stderr?.on("data", (d) => (output += d));
  for (let i = 0; i < 600 && server.exitCode === null; i++) {
    if (
      await fetch(`${base}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await sleep(100);
  }
  throw new Error(`server did not start:\n${output}`);
}, 90_000);
afterAll(async () => {
  server?.kill("SIGKILL");
  await pg?.destroy();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const rawRequest = (request: string) =>
  new Promise<string>((done, fail) => {
    const socket = connect(Number(new URL(base).port), "127.0.0.1", () => socket.end(request));
    let answer = "";
    socket.on("data", (d) => (answer += d));
    socket.on("end", () => done(answer));
    socket.on("error", fail);
  });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const headers = { authorization: `Bearer ${KEY}`, "content-type": "application/json" };
const post = (path: string, body: unknown, extra: Record<string, string> = {}) =>
  fetch(`${base}/api/v1${path}`, { method: "POST", headers: { ...headers, ...extra }, body: JSON.stringify(body) });

interface Answer {
  status: number;
  ms: number;
  retryAfter: string | null;
  at: number;
}

describe.skipIf(!hasPostgres)("PostgreSQL restarted 10 times under ingest", () => {
  it("keeps the same process, answers 503 fast during each outage, recovers in seconds and stores every batch once", async () => {
    const pid = server.pid;
    const experiment = await (await post("/experiments", { name: "restarts" })).json();
    const runs: string[] = [];
    for (let i = 0; i < CLIENTS; i++)
      runs.push((await (await post("/experiments/runs", { experiment_id: experiment.id })).json()).id);

    const answers: Answer[] = [];
    const acknowledged = new Map<string, number>(); // run/batch -> 200s for it
    let stop = false;
    const clients = runs.map(async (run) => {
      for (let batch = 0; !stop; batch++) {
        const body = {
          metrics: Array.from({ length: POINTS }, (_, i) => ({
            key: "loss",
            value: i,
            step: batch * POINTS + i,
            timestamp: 1_700_000_000_000 + batch,
          })),
          tags: [{ key: "last_batch", value: String(batch) }],
        };
        const idempotencyKey = `${run}-${batch}`;
        // Retried until acknowledged, as a client does with a 503; the same Idempotency-Key and body each time.
        for (;;) {
          const start = performance.now();
          const res = await post(`/experiments/runs/${run}/log-batch`, body, {
            "idempotency-key": idempotencyKey,
          }).catch((error: Error) => error);
          if (res instanceof Error) throw new Error(`the server stopped answering: ${res.message}\n${output}`);
          answers.push({
            status: res.status,
            ms: performance.now() - start,
            retryAfter: res.headers.get("retry-after"),
            at: Date.now(),
          });
          await res.arrayBuffer();
          if (res.status === 200) {
            acknowledged.set(`${run}/${batch}`, (acknowledged.get(`${run}/${batch}`) ?? 0) + 1);
            break;
          }
          expect(res.status, "only 503 while the database is away").toBe(503);
          await sleep(100);
        }
      }
    });

    const outages: { kind: string; down: number; up: number; back: number }[] = [];
    for (let i = 0; i < RESTARTS; i++) {
      await sleep(600);
      const kind = i % 2 === 0 ? "fast" : "kill -9";
      if (kind === "fast") await pg.stop("fast");
      else pg.kill();
      const down = Date.now();
      await sleep(900);
      await pg.start();
      const up = Date.now();
      while (!answers.some((a) => a.status === 200 && a.at > up)) {
        expect(Date.now() - up, `requests succeed again within 5 s of restart ${i + 1} (${kind})`).toBeLessThan(5000);
        await sleep(50);
      }
      outages.push({ kind, down, up, back: Date.now() });
    }
    await sleep(300);
    stop = true;
    await Promise.all(clients);

    expect(server.exitCode, output).toBe(null);
    expect(server.pid).toBe(pid);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    // The real server answers what Node's HTTP parser refuses with the contract's JSON body (http/client-error.ts).
    const parserError = await rawRequest("POST /api/v1/experiments HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n");
    expect(parserError).toMatch(/^HTTP\/1.1 400 [\s\S]*\r\n\r\n\{"code":"BAD_REQUEST","message":"[^"]+"\}$/);
    for (const [i, o] of outages.entries()) {
      const during = answers.filter((a) => a.at > o.down + 300 && a.at < o.up);
      expect(during.length, `answers during outage ${i + 1} (${o.kind})`).toBeGreaterThan(0);
      expect(during.every((a) => a.status === 503 && a.retryAfter !== null)).toBe(true);
    }
    // Bounded: the connect timeout (2 s) and the wait for a connection (2.5 s), with room for a loaded machine.
    expect(Math.max(...answers.map((a) => a.ms)), "no request hangs").toBeLessThan(5000);

    const check = postgres(pg.url, { max: 1 });
    const rows = await check<{ run_id: string; batch: string; n: number }[]>`
      select s.run_id, floor(p.step / ${POINTS})::bigint as batch, count(*)::int as n
        from metric_points p join metric_series s on s.tenant_id = p.tenant_id and s.id = p.series_id
       group by 1, 2`;
    await check.end();
    const stored = new Map(rows.map((r) => [`${r.run_id}/${Number(r.batch)}`, r.n]));
    expect(stored.size).toBe(acknowledged.size);
    for (const [batch, times] of acknowledged) {
      expect(times, `${batch} acknowledged once`).toBe(1);
      expect(stored.get(batch), `${batch} stored whole, once`).toBe(POINTS);
    }
  }, 120_000);
});
