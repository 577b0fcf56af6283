import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, startServer } from "../testing/start-server";

// SIGTERM under load (the resilience issue): every request either gets its real answer or is refused before
// it is processed, and every acknowledged write is there after a restart.
const CLIENTS = 8;
const POINTS = 100;
const dataDir = mkdtempSync(join(tmpdir(), "stepwise-shutdown-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

interface Sent {
  run: string;
  firstStep: number;
  outcome: number | "refused";
}

async function boot() {
  const port = await freePort();
  const server = startServer({ PORT: String(port), STEPWISE_DATA_DIR: dataDir, STEPWISE_SHUTDOWN_GRACE_MS: "10000" });
  await server.listening();
  const key = readFileSync(join(dataDir, "bootstrap.key"), "utf8").trim();
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`http://127.0.0.1:${port}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };
  return { server, call };
}

describe("SIGTERM under load", () => {
  it("finishes what it started, refuses the rest, and loses no acknowledged write", async () => {
    const first = await boot();
    const experiment = (await first.call("POST", "/experiments", { name: "shutdown" })).body;
    const runs: string[] = [];
    for (let i = 0; i < CLIENTS; i++)
      runs.push((await first.call("POST", "/experiments/runs", { experiment_id: experiment.id })).body.id);

    const sent: Sent[] = [];
    const clients = runs.map(async (run) => {
      for (let batch = 0; ; batch++) {
        const firstStep = batch * POINTS;
        const metrics = Array.from({ length: POINTS }, (_, i) => ({
          key: "loss",
          value: i,
          step: firstStep + i,
          timestamp: 1_700_000_000_000 + firstStep + i,
        }));
        try {
          const res = await first.call("POST", `/experiments/runs/${run}/log-batch`, { metrics });
          // A 503 is the drain gate refusing a request that arrived after SIGTERM, before it ran.
          sent.push({ run, firstStep, outcome: res.status === 503 ? "refused" : res.status });
          if (res.status === 503) return;
        } catch {
          sent.push({ run, firstStep, outcome: "refused" }); // the connection was closed: never processed
          return;
        }
      }
    });
    await new Promise((r) => setTimeout(r, 1500));
    const stopAt = performance.now();
    first.server.child.kill("SIGTERM");
    await Promise.all(clients);
    expect(await first.server.exited).toBe(0);
    // Keep-alive clients do not hold the process until the grace period (10 s) runs out.
    expect(performance.now() - stopAt).toBeLessThan(5000);

    expect(sent.filter((s) => s.outcome === 200).length).toBeGreaterThan(CLIENTS);
    expect(sent.every((s) => s.outcome === 200 || s.outcome === "refused")).toBe(true);

    const second = await boot();
    try {
      for (const s of sent) {
        const range = `start_step=${s.firstStep}&end_step=${s.firstStep + POINTS - 1}`;
        const history = await second.call("GET", `/experiments/runs/${s.run}/metrics/history?key=loss&${range}`);
        expect(history.body.total_points, `${s.outcome} batch at ${s.firstStep}`).toBe(s.outcome === 200 ? POINTS : 0);
      }
    } finally {
      second.server.child.kill("SIGTERM");
      await second.server.exited;
    }
  }, 120_000);
});
