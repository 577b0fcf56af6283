import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort, startServer } from "@stepwise/api/start-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The real server (`pnpm start`) in a child process, as a user runs it, and each example against it.
// On the embedded database in a fresh data dir, or on DATABASE_URL when it is set: every example then
// logs into its own, uniquely named experiment, so a database that already holds data is fine.
const HERE = import.meta.dirname;
const dataDir = mkdtempSync(join(tmpdir(), "stepwise-examples-"));
const run = promisify(execFile);
let url = "";
let key = "";
let keyFile = "";
let stopServer = async () => {};

beforeAll(async () => {
  const port = await freePort();
  const { DATABASE_URL } = process.env;
  // On a shared database the bootstrap key file is written only when no key exists yet: bring our own key.
  const database: Record<string, string> = DATABASE_URL
    ? { DATABASE_URL, STEPWISE_BOOTSTRAP_KEY: `swk_${randomBytes(24).toString("base64url")}` }
    : {};
  const server = startServer({ ...database, PORT: String(port), HOST: "127.0.0.1", STEPWISE_DATA_DIR: dataDir });
  stopServer = async () => {
    server.child.kill("SIGTERM");
    await server.exited;
  };
  await server.listening();
  url = `http://127.0.0.1:${port}`;
  keyFile = join(dataDir, DATABASE_URL ? "given.key" : "bootstrap.key");
  if (database.STEPWISE_BOOTSTRAP_KEY) writeFileSync(keyFile, `${database.STEPWISE_BOOTSTRAP_KEY}\n`, { mode: 0o600 });
  key = readFileSync(keyFile, "utf8").trim();
}, 90_000);

afterAll(async () => {
  await stopServer();
  rmSync(dataDir, { recursive: true, force: true });
});

async function api(path: string) {
  const response = await fetch(`${url}/api/v1${path}`, { headers: { authorization: `Bearer ${key}` } });
  if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
  return response;
}
const json = async (path: string) => (await api(path)).json();

/** Runs an example; returns its output and the run ID from its last line. */
async function example(command: string, args: string[], file: string, env: Record<string, string>) {
  const experiment = `${file.split("/")[0]}-example-${randomBytes(4).toString("hex")}`;
  const childEnv = { ...process.env, STEPWISE_URL: url, STEPWISE_EXPERIMENT: experiment, ...env };
  const { stdout } = await run(command, [...args, join(HERE, file)], { cwd: HERE, env: childEnv }).catch(
    (error: { stdout?: string; stderr?: string; message: string }) => {
      throw new Error(`${file} failed: ${error.message}\n${error.stdout}\n${error.stderr}`);
    },
  );
  const runId = /run_id=([0-9a-f-]{36})\s*$/.exec(stdout)?.[1];
  if (!runId) throw new Error(`${file} printed no run_id line:\n${stdout}`);
  return { stdout, runId, experiment };
}

/** What the server stored for a run: the run itself, and a metric's full history. */
async function stored(runId: string, metric: string) {
  const runRow = await json(`/experiments/runs/${runId}`);
  const history = await json(`/experiments/runs/${runId}/metrics/history?key=${metric}&max_points=10000`);
  const experiment = await json(`/experiments/${runRow.experiment_id}`);
  return { run: runRow, history, experiment };
}

async function expectArtifact(runId: string, folder: string, file: string, bytes: Buffer) {
  const listing = await json(`/experiments/runs/${runId}/artifacts?path=${folder}`);
  expect(listing.files).toEqual([{ path: `${folder}/${file}`, is_dir: false, size: bytes.length }]);
  const download = await api(`/experiments/runs/${runId}/artifacts/download?path=${folder}/${file}`);
  expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
}

describe("examples against a running server", () => {
  it("python/train.py logs params, 200 steps of loss and acc, a tag and a model file, then finishes", async () => {
    const outputDir = join(dataDir, "python-output");
    const first = await example("python3", [], "python/train.py", {
      STEPWISE_KEY_FILE: keyFile,
      OUTPUT_DIR: outputDir,
    });
    const { run: r, history, experiment } = await stored(first.runId, "loss");
    expect(experiment.name).toBe(first.experiment);
    expect(r).toMatchObject({ status: "FINISHED", name: "python-train", tags: { stage: "trained" } });
    expect(r.params).toEqual({ learning_rate: "0.01", batch_size: "32", optimizer: "sgd" });
    const final = /final loss=(\S+) acc=(\S+)/.exec(first.stdout);
    expect(history.total_points).toBe(200);
    expect(history.points).toHaveLength(200);
    expect(history.points.at(-1)).toMatchObject({ step: 199, value: Number(final?.[1]) });
    expect(r.metrics.loss).toMatchObject({ step: 199, value: Number(final?.[1]) });
    expect(r.metrics.acc).toMatchObject({ step: 199, value: Number(final?.[2]) });
    await expectArtifact(first.runId, "model", "model.json", readFileSync(join(outputDir, "model.json")));

    // Run again with the same experiment name: the 409 on create makes it reuse the experiment.
    const second = await example("python3", [], "python/train.py", {
      STEPWISE_API_KEY: key,
      STEPWISE_EXPERIMENT: first.experiment,
      OUTPUT_DIR: outputDir,
    });
    expect((await stored(second.runId, "loss")).run.experiment_id).toBe(r.experiment_id);
  }, 60_000);

  it("python/train.py prints the server's error and exits non-zero on a bad key", async () => {
    const failed = await example("python3", [], "python/train.py", { STEPWISE_API_KEY: "swk_not_a_key" }).catch(
      (error: Error) => error.message,
    );
    expect(failed).toMatch(/Stepwise error: HTTP 401 UNAUTHORIZED: /);
  }, 60_000);

  it("curl/walkthrough.sh logs a batch, params and itself as an artifact, then finishes", async () => {
    const { runId, stdout } = await example("bash", [], "curl/walkthrough.sh", { STEPWISE_API_KEY: key });
    expect(stdout).toContain("downloaded artifact matches the upload");
    const { run: r, history } = await stored(runId, "loss");
    expect(r).toMatchObject({ status: "FINISHED", name: "curl-walkthrough", tags: { source: "examples/curl" } });
    expect(r.params).toEqual({ learning_rate: "0.1", epochs: "10" });
    expect(history.total_points).toBe(10);
    expect(history.points.map((p: { value: number }) => p.value)).toEqual([
      1.9, 1.8, 1.7, 1.6, 1.5, 1.4, 1.3, 1.2, 1.1, 1,
    ]);
    expect(r.metrics.acc).toMatchObject({ step: 9, value: 0.95 });
    await expectArtifact(runId, "scripts", "walkthrough.sh", readFileSync(join(HERE, "curl/walkthrough.sh")));
  }, 60_000);

  it("typescript/train.ts logs params and 100 steps through openapi-fetch, then finishes", async () => {
    const { runId } = await example("node", ["--import", "tsx"], "typescript/train.ts", { STEPWISE_API_KEY: key });
    const { run: r, history } = await stored(runId, "loss");
    expect(r).toMatchObject({ status: "FINISHED", name: "ts-train", tags: { framework: "none" } });
    expect(r.params).toEqual({ lr: "0.003", layers: "4" });
    expect(history.total_points).toBe(100);
    expect(history.points.at(-1)).toMatchObject({ step: 99, value: 0.02 });
    expect(r.metrics.acc).toMatchObject({ step: 99, value: 0.99 });
  }, 60_000);

  it("typescript/schema.d.ts is what openapi-typescript makes of the server's openapi.json (run `pnpm gen`)", async () => {
    const fresh = join(dataDir, "schema.d.ts");
    await run(join(HERE, "node_modules/.bin/openapi-typescript"), [`${url}/api/v1/openapi.json`, "-o", fresh]);
    expect(readFileSync(fresh, "utf8")).toBe(readFileSync(join(HERE, "typescript/schema.d.ts"), "utf8"));
  }, 60_000);
});
