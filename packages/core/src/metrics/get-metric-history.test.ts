import { beforeAll, describe, expect, it } from "vitest";
import { createExperiment } from "../experiments/create-experiment";
import { createRun } from "../runs/create-run";
import { createTestTenant, testDatabase } from "../testing";
import { getMetricHistory } from "./get-metric-history";
import { logBatch } from "./log-batch";

const { db } = await testDatabase();
const N = 30_000;
const SPIKE_STEP = 12_345;
let tenantId: string;
let runId: string;

/** A smooth curve of N points (steps 0..N-1) with one spike, and a short series. */
beforeAll(async () => {
  const tenant = await createTestTenant(db);
  tenantId = tenant.id;
  const experiment = await createExperiment(db, tenantId, { name: "h" }, { root: "/d", allowedRoots: [] });
  runId = (await createRun(db, tenantId, { experiment_id: experiment.id })).id;
  for (let from = 0; from < N; from += 10_000) {
    const metrics = Array.from({ length: 10_000 }, (_, i) => {
      const step = from + i;
      return { key: "loss", step, timestamp: step, value: step === SPIKE_STEP ? 1000 : Math.sin(step / 500) };
    });
    await logBatch(db, tenantId, { id: runId, metrics });
  }
  await logBatch(db, tenantId, {
    id: runId,
    metrics: [3, 1, 2, 2].map((step, i) => ({ key: "short", step, timestamp: 100 + i, value: i === 0 ? "NaN" : i })),
  });
}, 120_000);

const history = (input: { key?: string; max_points?: number; start_step?: number; end_step?: number }) =>
  getMetricHistory(db, tenantId, { id: runId, key: "loss", max_points: 1000, ...input });

describe("metric history", () => {
  it("returns a short series whole, ordered by step then timestamp, with NaN spelled out", async () => {
    const h = await history({ key: "short" });
    expect(h).toEqual({
      key: "short",
      points: [
        { step: 1, timestamp: 101, value: 1 },
        { step: 2, timestamp: 102, value: 2 },
        { step: 2, timestamp: 103, value: 3 },
        { step: 3, timestamp: 100, value: "NaN" },
      ],
      total_points: 4,
      downsampled: false,
    });
  });

  it.each([100, 1000, 10_000])("downsamples %i points: bounded, ordered, spike and ends kept", async (maxPoints) => {
    const h = await history({ max_points: maxPoints });
    expect(h.downsampled).toBe(true);
    expect(h.total_points).toBe(N);
    expect(h.points.length).toBeLessThanOrEqual(maxPoints);
    expect(h.points.length).toBeGreaterThan(maxPoints / 4);
    const steps = h.points.map((p) => p.step);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(h.points).toContainEqual({ step: SPIKE_STEP, timestamp: SPIKE_STEP, value: 1000 });
    expect(h.points[0]).toEqual({ step: 0, timestamp: 0, value: 0 });
    expect(h.points.at(-1)?.step).toBe(N - 1);
    // Each bucket's extremes are real stored points.
    for (const p of h.points) expect(p.value === 1000 || p.value === Math.sin(p.step / 500)).toBe(true);
  });

  it.each([2, 3, 4, 5, 6, 7])(
    "keeps to max_points=%i too: the ends first, then the highest and the lowest",
    async (maxPoints) => {
      for (const window of [{}, { start_step: 101, end_step: 20_003 }]) {
        const h = await history({ max_points: maxPoints, ...window });
        expect(h.downsampled).toBe(true);
        expect(h.points.length).toBeLessThanOrEqual(maxPoints);
        const steps = h.points.map((p) => p.step);
        expect(steps).toEqual([...steps].sort((a, b) => a - b));
        expect(steps[0]).toBe("start_step" in window ? window.start_step : 0);
        expect(steps.at(-1)).toBe("end_step" in window ? window.end_step : N - 1);
        if (maxPoints >= 3) expect(h.points).toContainEqual({ step: SPIKE_STEP, timestamp: SPIKE_STEP, value: 1000 });
        if (maxPoints >= 4) {
          const from = steps[0] as number;
          const lowest = Math.min(
            ...Array.from({ length: (steps.at(-1) as number) - from + 1 }, (_, i) => Math.sin((from + i) / 500)),
          );
          expect(h.points.map((p) => p.value)).toContain(lowest);
        }
      }
    },
  );

  it("reads a step window at full detail when it fits, and counts only what is in range", async () => {
    const h = await history({ start_step: 12_000, end_step: 12_499 });
    expect(h).toMatchObject({ total_points: 500, downsampled: false });
    expect(h.points.map((p) => p.step)).toEqual(Array.from({ length: 500 }, (_, i) => 12_000 + i));
  });

  it("downsamples an unaligned window exactly within its bounds", async () => {
    const h = await history({ start_step: 37, end_step: 20_011, max_points: 200 });
    expect(h.total_points).toBe(20_011 - 37 + 1);
    expect(h.points[0]?.step).toBe(37);
    expect(h.points.at(-1)?.step).toBe(20_011);
    expect(h.points.every((p) => p.step >= 37 && p.step <= 20_011)).toBe(true);
    expect(h.points.length).toBeLessThanOrEqual(200);
    expect(h.points).toContainEqual({ step: SPIKE_STEP, timestamp: SPIKE_STEP, value: 1000 });
  });

  it("answers an empty history for an unknown key or an empty window, and 400 for start after end", async () => {
    expect(await history({ key: "nope" })).toEqual({ key: "nope", points: [], total_points: 0, downsampled: false });
    expect((await history({ start_step: N + 10 })).total_points).toBe(0);
    await expect(history({ start_step: 5, end_step: 4 })).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
  });
});
