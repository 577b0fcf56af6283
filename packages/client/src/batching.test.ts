import { describe, expect, it, vi } from "vitest";
import { testServer } from "./testing/server";
import type { Api } from "./types";

const server = await testServer();
const LOG_BATCH = "runs.logBatch";
type Sent = { metrics?: unknown[]; params?: unknown[]; tags?: unknown[] };
const history = (api: Api, id: string, key: string) => api.runs.metricHistory.query({ id, key, max_points: 10_000 });

async function setup(options: { batchSize?: number; flushIntervalMs?: number }) {
  const { api, calls, count } = await server.client();
  const run = await api.startRun({ experiment: "batching" }, { exitHook: false, ...options });
  const sent = () => calls.filter((c) => c.procedure === LOG_BATCH).map((c) => c.body as Sent);
  return { api, run, sent, batches: () => count(LOG_BATCH) };
}

describe("run.log batching", () => {
  it("sends full batches at once and the rest on flush, each within the size", async () => {
    const { api, run, sent, batches } = await setup({ batchSize: 1000, flushIntervalMs: 60_000 });
    for (let i = 0; i < 1250; i++) run.log({ loss: 1 / (i + 1), acc: i / 1250 }); // 2500 points
    await vi.waitFor(() => expect(batches()).toBe(2));
    await new Promise((r) => setTimeout(r, 100));
    expect(batches()).toBe(2); // 500 points wait for the timer or a flush
    await run.flush();
    expect(sent().map((b) => b.metrics?.length)).toEqual([1000, 1000, 500]);
    const loss = await history(api, run.id, "loss");
    expect(loss.total_points).toBe(1250);
    expect(loss.points.map((p) => p.step)).toEqual([...Array(1250).keys()]);
    expect(loss.points[3]?.value).toBe(1 / 4);
    await run.end();
    expect(batches()).toBe(3);
  });

  it("flushes by time when no batch fills up", async () => {
    const { run, batches } = await setup({ flushIntervalMs: 50 });
    run.log({ loss: 0.5 });
    run.log({ loss: 0.4 });
    expect(batches()).toBe(0);
    await vi.waitFor(() => expect(batches()).toBe(1), { timeout: 2000 });
    run.log({ loss: 0.3 });
    await vi.waitFor(() => expect(batches()).toBe(2), { timeout: 2000 });
    await run.end();
    expect(batches()).toBe(2);
  });

  it("keeps every request within the contract's limits: 10000 metrics, 1000 params, 1000 tags", async () => {
    const { run, sent } = await setup({ batchSize: 10_000, flushIntervalMs: 60_000 });
    for (let i = 0; i < 25_000; i++) run.log({ x: i });
    const many = (n: number, value: string) => Object.fromEntries([...Array(n).keys()].map((i) => [`k${i}`, value]));
    run.logParams(many(1500, "p"));
    // 1200 tag writes over the 1000 keys a run may hold (tagsPerEntity): the last 200 update k0-k199.
    run.setTags(many(1000, "t"));
    run.setTags(many(200, "u"));
    await run.end();
    const total = (kind: keyof Sent) => sent().reduce((sum, b) => sum + (b[kind]?.length ?? 0), 0);
    expect([total("metrics"), total("params"), total("tags")]).toEqual([25_000, 1500, 1200]);
    for (const b of sent()) {
      expect(b.metrics?.length ?? 0).toBeLessThanOrEqual(10_000);
      expect(b.params?.length ?? 0).toBeLessThanOrEqual(1000);
      expect(b.tags?.length ?? 0).toBeLessThanOrEqual(1000);
    }
    expect(sent()).toHaveLength(3);
  });

  it("counts steps from 0, stamps points at log time and sends NaN and Infinity as strings", async () => {
    const { api, run } = await setup({});
    const before = Date.now();
    run.log({ a: 1 });
    run.log({ a: Number.NaN });
    run.log({ a: Number.POSITIVE_INFINITY }, 10);
    run.log({ a: Number.NEGATIVE_INFINITY });
    await run.end();
    const { points } = await history(api, run.id, "a");
    expect(points.map((p) => [p.step, p.value])).toEqual([
      [0, 1],
      [1, "NaN"],
      [10, "Infinity"],
      [11, "-Infinity"],
    ]);
    for (const p of points) expect(p.timestamp).toBeGreaterThanOrEqual(before);
  });

  it("rejects a batch size over the contract's limit before creating anything", async () => {
    const { api, calls } = await server.client();
    await expect(api.startRun({ experiment: "x" }, { batchSize: 10_001 })).rejects.toThrow(RangeError);
    expect(calls).toHaveLength(0);
  });
});
