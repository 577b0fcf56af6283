import { randomBytes } from "node:crypto";
import { AUTH_CACHE_TTL_MS } from "@stepwise/core";
import { scratchDatabaseUrl } from "@stepwise/core/testing";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { missingDaemons, type Replica, startHaproxy, startPgBouncer, startReplica } from "../testing/replicas";

// The scale-out issue: 3 replicas (real processes) behind Debian's HAProxy, on one PostgreSQL database reached
// through PgBouncer in transaction mode, all started at once on an empty database. Needs PostgreSQL: CI runs it
// in its PostgreSQL pass (DATABASE_URL set); the PGlite pass skips it.
const KEY = `swk_replicas_${randomBytes(24).toString("hex")}`;
const METRICS_TOKEN = "replicas-test-metrics-token";
const T0 = 1_700_000_000_000;
const hasPostgres = Boolean(process.env.DATABASE_URL);

let sql: postgres.Sql;
let pgbouncer: Awaited<ReturnType<typeof startPgBouncer>>;
let haproxy: Awaited<ReturnType<typeof startHaproxy>>;
let replicas: Replica[] = [];
const replica = (i: number) => () => replicas[i] as Replica;
const [a, b, c] = [replica(0), replica(1), replica(2)];

type Answer = { status: number; body: Record<string, unknown> | null };
async function call(base: string, method: string, path: string, body?: unknown, headers: object = {}): Promise<Answer> {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text.startsWith("{") ? JSON.parse(text) : null };
}

/** A client that retries with its Idempotency-Key until a 2xx (counting the retries): 409 still running, 5xx, resets. */
async function untilDone(base: string, method: string, path: string, body: unknown, key: string, retries = { n: 0 }) {
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; retries.n++) {
    const res = await call(base, method, path, body, { "idempotency-key": key }).catch(() => null);
    if (res && res.status < 300) return res;
    if (res && ![409, 502, 503, 504].includes(res.status))
      throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${path}: no success within 30 s`);
}

const batch = (firstStep: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({ key: "loss", value: i, step: firstStep + i, timestamp: T0 + firstStep + i }));

const pointsOf = async (runIds: string[]) =>
  (
    await sql<{ n: number }[]>`select count(*)::int as n from metric_points p
    join metric_series s on s.tenant_id = p.tenant_id and s.id = p.series_id where s.run_id = any(${runIds}::uuid[])`
  )[0]?.n;

async function ingested(replica: Replica) {
  const text = await (
    await fetch(`${replica.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
  ).text();
  return Number(/^stepwise_metric_points_ingested_total (\S+)/m.exec(text)?.[1] ?? 0);
}

async function newExperiment(name: string, runs: number) {
  const experiment = (await call(haproxy.url, "POST", "/experiments", { name })).body?.id as string;
  const ids: string[] = [];
  for (let i = 0; i < runs; i++)
    ids.push((await call(haproxy.url, "POST", "/experiments/runs", { experiment_id: experiment })).body?.id as string);
  return { experiment, runs: ids };
}

describe.skipIf(!hasPostgres)("3 replicas behind HAProxy, through PgBouncer (needs PostgreSQL: DATABASE_URL)", () => {
  beforeAll(async () => {
    const missing = missingDaemons();
    if (missing.length) throw new Error(`needs Debian's ${missing.join(" and ")}: apt-get install haproxy pgbouncer`);
    const url = (await scratchDatabaseUrl()) as string;
    sql = postgres(url, { max: 2, onnotice: () => {} });
    pgbouncer = await startPgBouncer(url, 8);
    const env = {
      DATABASE_URL: pgbouncer.url,
      STEPWISE_DATABASE_POOLER: "transaction",
      STEPWISE_BOOTSTRAP_KEY: KEY,
      STEPWISE_METRICS_TOKEN: METRICS_TOKEN,
      STEPWISE_DRAIN_DELAY_MS: "1500",
      STEPWISE_RATE_LIMIT: "0",
      LOG_LEVEL: "warn",
    };
    // All at once, on an empty database: each migrates, one at a time under the advisory lock.
    replicas = await Promise.all(["a", "b", "c"].map((name) => startReplica(name, env)));
    await Promise.all(replicas.map((r) => r.ready()));
    haproxy = await startHaproxy(replicas);
    await haproxy.allUp();
  }, 150_000);
  afterAll(async () => {
    for (const r of replicas) if (r.child.exitCode === null) r.child.kill("SIGKILL");
    await Promise.all(replicas.map((r) => r.exited));
    for (const r of replicas) r.cleanUp();
    await haproxy?.stop();
    await sql?.end();
    await pgbouncer?.stop();
  }, 30_000);

  it("all three started at once; the schema was migrated once and the bootstrap key made once", async () => {
    const applied = await sql<{ hash: string }[]>`select hash from drizzle.__drizzle_migrations`;
    expect(applied.length).toBeGreaterThanOrEqual(4);
    expect(new Set(applied.map((m) => m.hash)).size).toBe(applied.length);
    expect((await sql`select id from api_keys`).length).toBe(1);
    for (const r of replicas) expect((await fetch(`${r.url}/readyz`)).status).toBe(200);
  });

  it("ingests concurrently through the balancer, with 1 and with 3 replicas, storing every point", async () => {
    const rate = async (base: string, runs: string[], ms: number) => {
      const started = performance.now();
      let points = 0;
      await Promise.all(
        runs.map(async (run) => {
          for (let step = 0; performance.now() - started < ms; step += 1000) {
            const res = await call(base, "POST", `/experiments/runs/${run}/log-batch`, { metrics: batch(step, 1000) });
            expect(res.status).toBe(200);
            points += 1000;
          }
        }),
      );
      expect(await pointsOf(runs)).toBe(points);
      return points / ((performance.now() - started) / 1000);
    };
    const one = await rate(haproxy.oneUrl, (await newExperiment("ingest-one", 8)).runs, 3000);
    expect(await ingested(b())).toBe(0);
    const three = await rate(haproxy.url, (await newExperiment("ingest-three", 8)).runs, 3000);
    for (const r of replicas) expect(await ingested(r)).toBeGreaterThan(0);
    console.log(
      `ingest through HAProxy, 8 clients x 1000 points: 1 replica ${Math.round(one)} points/s, 3 replicas ${Math.round(three)} points/s (ratio ${(three / one).toFixed(2)})`,
    );
  }, 60_000);

  it("the same Idempotency-Key sent at once to two replicas is stored once", async () => {
    const { experiment } = await newExperiment("twins", 0);
    const conflicts = { n: 0 };
    for (let i = 0; i < 8; i++) {
      const body = { experiment_id: experiment, name: `twin-${i}` };
      const [first, second] = await Promise.all(
        [b(), c()].map((r) => untilDone(r.url, "POST", "/experiments/runs", body, `twin-${i}`, conflicts)),
      );
      expect(first?.body?.id).toBe(second?.body?.id);
    }
    const runs = await sql`select name from runs where experiment_id = ${experiment}`;
    expect(runs.map((r) => r.name).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((i) => `twin-${i}`));
    console.log(`idempotency across replicas: 8 pairs, ${conflicts.n} answered 409 (still running) and retried`);
  });

  it(`a key revoked through one replica is refused by the others within AUTH_CACHE_TTL_MS (${AUTH_CACHE_TTL_MS} ms)`, async () => {
    const created = (await call(haproxy.url, "POST", "/admin/api-keys", { name: "revoke-me", tenants: ["default"] }))
      .body;
    const key = created?.key as string;
    const list = (r: Replica) =>
      fetch(`${r.url}/api/v1/experiments`, { headers: { authorization: `Bearer ${key}` } }).then((res) => res.status);
    for (const r of replicas) expect(await list(r)).toBe(200); // each replica now holds it in its cache
    expect((await call(a().url, "DELETE", `/admin/api-keys/${created?.id}`)).status).toBe(200);
    const revokedAt = performance.now();
    expect(await list(a())).toBe(401); // at once where it was revoked
    const delays = await Promise.all(
      [b(), c()].map(async (r) => {
        while ((await list(r)) !== 401) await new Promise((done) => setTimeout(done, 25));
        return performance.now() - revokedAt;
      }),
    );
    for (const delay of delays) expect(delay).toBeLessThan(AUTH_CACHE_TTL_MS + 1000);
    console.log(`revocation reached the other replicas after ${delays.map((d) => Math.round(d)).join(" and ")} ms`);
  }, 20_000);

  it("SIGKILL of a replica mid-ingest: clients retrying with their Idempotency-Keys lose nothing and store nothing twice", async () => {
    const { experiment } = await newExperiment("kill", 0);
    const retries = { n: 0 };
    const made: { run: string; batches: number }[] = [];
    const started = performance.now();
    const clients = [0, 1, 2, 3, 4, 5].map(async (client) => {
      for (let n = 0; performance.now() - started < 3000; n++) {
        const runKey = `kill-${client}-${n}`;
        const body = { experiment_id: experiment, name: runKey };
        const run = (await untilDone(haproxy.url, "POST", "/experiments/runs", body, runKey, retries)).body
          ?.id as string;
        for (let i = 0; i < 5; i++) {
          const path = `/experiments/runs/${run}/log-batch`;
          await untilDone(haproxy.url, "POST", path, { metrics: batch(i * 200, 200) }, `${runKey}-${i}`, retries);
        }
        made.push({ run, batches: 5 });
      }
    });
    await new Promise((r) => setTimeout(r, 1000));
    c().child.kill("SIGKILL");
    await Promise.all(clients);
    const runs = await sql<
      { id: string; name: string }[]
    >`select id, name from runs where experiment_id = ${experiment}`;
    expect(runs.length).toBe(made.length);
    expect(runs.map((r) => r.id).sort()).toEqual(made.map((m) => m.run).sort());
    expect(await pointsOf(made.map((m) => m.run))).toBe(made.length * 5 * 200);
    const [stored] = await sql<
      { n: number }[]
    >`select count(*)::int as n from idempotency_keys where key like 'kill-%'`;
    expect(stored?.n).toBe(made.length * 6);
    expect(retries.n).toBeGreaterThan(0); // the kill did hit requests in flight
    console.log(
      `SIGKILL mid-ingest: ${made.length} runs and ${made.length * 5} batches, ${retries.n} retries, 0 lost, 0 twice`,
    );
  }, 60_000);

  it("SIGTERM drains a replica while HAProxy moves its traffic away: no client sees an error", async () => {
    const { runs } = await newExperiment("drain", 4);
    let sawDown = false;
    let done = false;
    const statuses: (number | "error")[] = [];
    const clients = runs.map(async (run) => {
      for (let step = 0; !done; step += 100) {
        const res = await call(haproxy.url, "POST", `/experiments/runs/${run}/log-batch`, {
          metrics: batch(step, 100),
        }).catch(() => null);
        statuses.push(res?.status ?? "error");
      }
    });
    await new Promise((r) => setTimeout(r, 500));
    b().child.kill("SIGTERM");
    const watch = (async () => {
      while (b().child.exitCode === null) {
        if ((await haproxy.states()).b !== "UP") sawDown = true;
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    expect(await b().exited).toBe(0);
    await watch;
    await new Promise((r) => setTimeout(r, 1000)); // and on, with one replica left
    done = true;
    await Promise.all(clients);
    expect(sawDown).toBe(true); // taken out while it still answered
    expect(statuses.length).toBeGreaterThan(20);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
  }, 30_000);
});
