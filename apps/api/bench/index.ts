/**
 * `pnpm bench`: starts the real service, generates its own data through the REST API, and measures the
 * targets of the ingestion issue. Prints a table and writes JSON to bench-results/.
 *   BENCH_TARGETS=postgres,pglite (default both) - PostgreSQL from DATABASE_URL (default: this machine's)
 *   BENCH_ARTIFACT_BYTES (default 1 GiB); BENCH_S3=skip leaves out the S3 store (else the test S3 server, see
 *   scripts/s3-test-server.sh)
 *   BENCH_SOAK_SECONDS=300 - the soak entry's length (0 leaves it out)
 *   BENCH_PROFILE=<dir> - writes a CPU profile of the server (.cpuprofile) to that folder
 *   BENCH_SCALE=1 - multiplies the data sizes (PGlite runs at a quarter of it unless BENCH_PGLITE_SCALE is set)
 *   BENCH_ONLY=mlflow - only the MLflow routes' entries
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import postgres from "postgres";
import { findTestS3, TEST_BUCKET } from "../src/testing/s3-server";
import { benchArtifact, benchFile } from "./artifacts";
import { benchMlflow } from "./mlflow";
import { startServer } from "./server";
import { soak } from "./soak";
import { type Api, batchBody, call, createRun, median, peakRss, percentile, pool, timeCalls } from "./workloads";

const ADMIN_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const targets = (process.env.BENCH_TARGETS ?? "postgres,pglite").split(",");
const KEYS_PER_BATCH = 10;

interface Row {
  workload: string;
  target: string;
  measured: number;
  unit: string;
  pass?: boolean;
  detail?: string;
}

async function bench(target: string, scale: number, rows: Row[]) {
  const dbName = `stepwise_bench_${Date.now()}`;
  const dataDir = mkdtempSync(join(tmpdir(), "stepwise-bench-"));
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  let databaseUrl = "";
  if (target === "postgres") {
    await admin.unsafe(`create database ${dbName}`);
    const u = new URL(ADMIN_URL);
    u.pathname = `/${dbName}`;
    databaseUrl = u.toString();
  }
  const s3 = target === "postgres" && process.env.BENCH_S3 !== "skip" ? await findTestS3() : undefined;
  const s3Env: Record<string, string> = s3
    ? {
        AWS_ENDPOINT_URL_S3: s3.endpoint,
        AWS_REGION: s3.region,
        AWS_ACCESS_KEY_ID: s3.accessKeyId,
        AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
        STEPWISE_ALLOWED_ARTIFACT_ROOTS: `s3://${TEST_BUCKET}/bench`,
      }
    : {};
  const server = await startServer(
    target === "postgres" ? { DATABASE_URL: databaseUrl, ...s3Env } : { STEPWISE_DATA_DIR: dataDir },
  );
  const api: Api = { url: server.url, key: server.key };
  const pid = server.child.pid as number;
  const row = (workload: string, measured: number, unit: string, target_?: (v: number) => boolean, detail?: string) =>
    rows.push({
      workload,
      target,
      measured: Math.round(measured * 100) / 100,
      unit,
      pass: target_?.(measured),
      detail,
    });
  const experiment = async (name: string) =>
    (await call(api, "POST", "/experiments", JSON.stringify({ name }))).id as string;
  try {
    if (process.env.BENCH_ONLY === "mlflow") return await benchMlflow(api, await experiment("mlflow"), scale, row);
    // 1. log-batch, 1000 points per request, 4 concurrent clients, each on its own run.
    const ingestExp = await experiment("ingest");
    const clients = 4;
    const perClient = Math.round(250 * scale);
    const runs = await Promise.all(Array.from({ length: clients }, () => createRun(api, ingestExp)));
    const keys = Array.from({ length: KEYS_PER_BATCH }, (_, i) => `metric_${i}`);
    const steps = 1000 / KEYS_PER_BATCH;
    const bodies = runs.map((_, c) =>
      Array.from({ length: perClient }, (_, r) => batchBody(keys, r * steps + c, steps)),
    );
    let ingestSeconds = 0;
    const rss = await peakRss(pid, async () => {
      const start = performance.now();
      await Promise.all(
        runs.map(async (run, c) => {
          for (const body of bodies[c] ?? []) await call(api, "POST", `/experiments/runs/${run}/log-batch`, body);
        }),
      );
      ingestSeconds = (performance.now() - start) / 1000;
    });
    const points = clients * perClient * 1000;
    const ingestRate = points / ingestSeconds;
    row(
      "log-batch, 1000 points/request, 4 clients",
      ingestRate,
      "points/s",
      (v) => v >= 120_000,
      `${points} points in ${ingestSeconds.toFixed(2)} s`,
    );
    row("server RSS during the ingest run (peak)", rss, "MiB", (v) => v <= 300);

    // Latencies are measured on a settled database: the 1M-row ingest's autovacuum and checkpoint would
    // otherwise land on the measured calls (PostgreSQL only; PGlite runs inside the server).
    const settle = async () => {
      if (target !== "postgres") return;
      const db = postgres(databaseUrl, { max: 1, onnotice: () => {} });
      await db`vacuum analyze`;
      await db`checkpoint`;
      await db.end();
    };
    await settle();

    // 2. log-metrics with one key, sequential, in the steady state of a training loop: after 2000 untimed
    // calls (about two seconds), by which the server's JIT has compiled the request path.
    const seqRun = await createRun(api, ingestExp);
    let step = 0;
    for (let i = 0; i < 2000; i++) {
      const body = JSON.stringify({ metrics: { loss: Math.random() }, step: step++ });
      await call(api, "POST", `/experiments/runs/${seqRun}/log-metrics`, body);
    }
    const seq = await timeCalls(Math.round(2000 * Math.min(scale, 1)) || 100, () =>
      call(
        api,
        "POST",
        `/experiments/runs/${seqRun}/log-metrics`,
        JSON.stringify({ metrics: { loss: Math.random() }, step: step++ }),
      ),
    );
    row(
      "log-metrics, one key, sequential (p50)",
      median(seq),
      "ms",
      (v) => v <= 2,
      `p99 ${percentile(seq, 99).toFixed(2)} ms`,
    );

    // 3. history of a 1,000,000-point series downsampled to 1000 points.
    const historyPoints = Math.round(1_000_000 * scale);
    const historyRun = await createRun(api, ingestExp);
    await pool(historyPoints / 1000, 2, (i) =>
      call(api, "POST", `/experiments/runs/${historyRun}/log-batch`, batchBody(["curve"], i * 1000, 1000)),
    );
    let checked = "";
    await settle();
    await timeCalls(5, () =>
      call(api, "GET", `/experiments/runs/${historyRun}/metrics/history?key=curve&max_points=1000`),
    );
    const history = await timeCalls(30, async () => {
      const h = await call(api, "GET", `/experiments/runs/${historyRun}/metrics/history?key=curve&max_points=1000`);
      checked = `${h.points.length} points of ${h.total_points}`;
    });
    row(
      `history of a ${historyPoints}-point series to 1000 points (p50)`,
      median(history),
      "ms",
      (v) => v <= 100,
      checked,
    );

    // 4. list 100 runs (of 1000, with params and latest metrics).
    const listExp = await experiment("list");
    const listRuns = Math.round(1000 * Math.min(scale, 1));
    await pool(listRuns, 4, async (i) => {
      const run = await createRun(api, listExp, `run-${i}`);
      const params = Array.from({ length: 10 }, (_, p) => ({ key: `param_${p}`, value: String(i * p) }));
      await call(
        api,
        "POST",
        `/experiments/runs/${run}/log-batch`,
        batchBody(["loss", "acc", "lr", "f1", "auc"], 0, 20, { params }),
      );
    });
    await settle();
    const listCall = () => call(api, "GET", `/experiments/runs?experiment_id=${listExp}&limit=100`);
    await timeCalls(5, listCall);
    const list = await timeCalls(50, listCall);
    row(`list 100 runs of ${listRuns} (p50)`, median(list), "ms", (v) => v <= 30);

    // 5. compare 10 runs x 20 metrics, 100k points per run (5000 steps of each metric).
    const compareExp = await experiment("compare");
    const compareRuns = await Promise.all(Array.from({ length: 10 }, () => createRun(api, compareExp)));
    const metricKeys = Array.from({ length: 20 }, (_, i) => `m_${i}`);
    const stepsPerRun = Math.round(5000 * scale);
    await pool(compareRuns.length * (stepsPerRun / 50), 4, (i) => {
      const run = compareRuns[i % compareRuns.length] as string;
      return call(
        api,
        "POST",
        `/experiments/runs/${run}/log-batch`,
        batchBody(metricKeys, Math.floor(i / compareRuns.length) * 50, 50),
      );
    });
    await settle();
    const compareCall = () => call(api, "POST", "/experiments/runs/compare", JSON.stringify({ run_ids: compareRuns }));
    await timeCalls(5, compareCall);
    const compare = await timeCalls(50, compareCall);
    row(`compare 10 runs x 20 metrics, ${stepsPerRun * 20} points each (p50)`, median(compare), "ms", (v) => v <= 20);

    // 5b. The MLflow routes: log-batch against the native route, log-metric, a whole 100k-point history.
    await benchMlflow(api, await experiment("mlflow"), scale, row);

    // 6. Artifacts: upload and download a large file on each store, with the server's RSS growth.
    if (target === "postgres") {
      const size = Number(process.env.BENCH_ARTIFACT_BYTES ?? 1024 ** 3);
      const { file, remove } = await benchFile(dataDir, size);
      const stores = [{ name: "local store", location: undefined as string | undefined }];
      if (s3) stores.push({ name: "S3 (Swift)", location: `s3://${TEST_BUCKET}/bench/${dbName}` });
      for (const store of stores) {
        const figures = await benchArtifact(api, pid, file, size, store.location);
        row(`artifact upload, ${size} bytes (${store.name})`, figures.uploadMiBs, "MiB/s");
        row("  server RSS growth over idle during the upload", figures.uploadRssGrowth, "MiB", (v) => v < 64);
        row(`artifact download, ${size} bytes (${store.name})`, figures.downloadMiBs, "MiB/s");
        row("  server RSS growth over idle during the download", figures.downloadRssGrowth, "MiB", (v) => v < 64);
      }
      remove();
    }

    // 7. The raw limit: COPY of the same number of rows into a table shaped like metric_points.
    if (target === "postgres") {
      const db = postgres(databaseUrl, { max: 1, onnotice: () => {} });
      await db`create table copy_limit (tenant_id uuid not null, series_id bigint not null, step bigint not null,
        timestamp bigint not null, value float8 not null, primary key (tenant_id, series_id, step, timestamp, value))`;
      const tenant = "01a21a1b-0000-7000-8000-000000000000";
      const start = performance.now();
      const stream = await db`copy copy_limit from stdin`.writable();
      for (let i = 0; i < points; i += 10_000) {
        let chunk = "";
        for (let j = i; j < Math.min(points, i + 10_000); j++)
          chunk += `${tenant}\t${j % 40}\t${j}\t${j}\t${Math.sin(j)}\n`;
        if (!stream.write(chunk)) await new Promise((r) => stream.once("drain", r));
      }
      await new Promise<void>((done, fail) => stream.end((e?: Error | null) => (e ? fail(e) : done())));
      const copyRate = points / ((performance.now() - start) / 1000);
      await db.end();
      row("raw limit: COPY into a points-shaped table", copyRate, "rows/s");
      row("our ingest as a fraction of COPY", ingestRate / copyRate, "x");
    }

    // 8. Soak: steady ingest at half the measured maximum, for BENCH_SOAK_SECONDS (default 5 minutes).
    const soakSeconds = Number(process.env.BENCH_SOAK_SECONDS ?? 300);
    if (target === "postgres" && soakSeconds > 0) {
      const figures = await soak(api, pid, await experiment("soak"), soakSeconds, ingestRate / 2);
      // A leak grows steadily; the first minute sizes the heap for the load, so growth is counted from its peak
      // to the last minute's peak.
      const growth = (figures.rssEnd - figures.rssWarm) / figures.rssWarm;
      row(
        `soak: ${soakSeconds} s of log-batch at ${Math.round(figures.pointsPerSecond)} points/s, RSS growth after minute 1`,
        growth * 100,
        "%",
        (v) => v < 10,
        `peak ${figures.rssWarm.toFixed(0)} MiB in minute 1 -> ${figures.rssEnd.toFixed(0)} MiB in the last (idle before: ${figures.rssStart.toFixed(0)} MiB)`,
      );
      row("  soak errors", figures.errors, "requests", (v) => v === 0);
      for (const m of figures.minutes) {
        row(
          `  soak minute ${m.minute}: p50`,
          m.p50,
          "ms",
          undefined,
          `p99 ${m.p99.toFixed(1)} ms, ${m.requests} requests, RSS ${m.rss.toFixed(0)} MiB`,
        );
      }
    }
  } finally {
    await server.stop();
    if (target === "postgres") await admin.unsafe(`drop database if exists ${dbName} with (force)`);
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const rows: Row[] = [];
const scale = Number(process.env.BENCH_SCALE ?? 1);
for (const target of targets) {
  const s = target === "pglite" ? Number(process.env.BENCH_PGLITE_SCALE ?? scale / 4) : scale;
  console.log(`\n== ${target} (scale ${s})`);
  await bench(target, s, rows);
}
console.table(rows.map((r) => ({ ...r, pass: r.pass === undefined ? "" : r.pass ? "yes" : "NO" })));
const out = resolve(import.meta.dirname, "../../../bench-results");
mkdirSync(out, { recursive: true });
for (const target of targets) {
  const file = join(out, `${target}.json`);
  const data = { date: new Date().toISOString(), node: process.version, rows: rows.filter((r) => r.target === target) };
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  console.log(`wrote ${file}`);
}
