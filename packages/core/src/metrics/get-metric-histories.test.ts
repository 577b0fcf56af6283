import { beforeAll, describe, expect, it } from "vitest";
import { createExperiment } from "../experiments/create-experiment";
import { createRun } from "../runs/create-run";
import { MetricHistoriesInput } from "../schemas";
import { LIMITS } from "../shared/limits";
import { createTestTenant, testDatabase } from "../testing";
import { getMetricHistories } from "./get-metric-histories";
import { getMetricHistory } from "./get-metric-history";
import { logBatch } from "./log-batch";

const { db } = await testDatabase();
const MISSING = "0190f0e0-0000-7000-8000-000000000000";
let tenantId: string;
let otherTenantRun: string;
const runIds: string[] = [];

/** Three runs: 3000 steps of loss and acc each (the third has no acc), so long series are downsampled. */
beforeAll(async () => {
  tenantId = (await createTestTenant(db)).id;
  const experiment = await createExperiment(db, tenantId, { name: "bulk" }, { root: "/d", allowedRoots: [] });
  for (let r = 0; r < 3; r++) {
    const id = (await createRun(db, tenantId, { experiment_id: experiment.id })).id;
    runIds.push(id);
    const metrics = Array.from({ length: 3000 }, (_, step) => [
      { key: "loss", step, timestamp: step, value: Math.exp(-step / 500) + r },
      ...(r < 2 ? [{ key: "acc", step, timestamp: step, value: step === 1234 ? 5 : step / 3000 }] : []),
    ]).flat();
    await logBatch(db, tenantId, { id, metrics });
  }
  const other = (await createTestTenant(db)).id;
  const foreign = await createExperiment(db, other, { name: "x" }, { root: "/d", allowedRoots: [] });
  otherTenantRun = (await createRun(db, other, { experiment_id: foreign.id })).id;
}, 120_000);

const input = (over: Partial<MetricHistoriesInput> = {}) =>
  MetricHistoriesInput.parse({ run_ids: runIds, keys: ["loss", "acc"], max_points: 200, ...over });

describe("getMetricHistories", () => {
  it("answers every run x key pair, in the order asked, exactly as getMetricHistory answers each", async () => {
    const { histories } = await getMetricHistories(db, tenantId, input());
    expect(histories.map((h) => [h.run_id, h.key])).toEqual(
      runIds.flatMap((id) => [
        [id, "loss"],
        [id, "acc"],
      ]),
    );
    for (const h of histories) {
      const { run_id, ...one } = h;
      expect(one).toEqual(await getMetricHistory(db, tenantId, { id: run_id, key: h.key, max_points: 200 }));
    }
    expect(histories[0]?.downsampled).toBe(true);
    expect(histories[0]?.points.length).toBeLessThanOrEqual(200);
    // The spike survives downsampling; a pair never logged is empty.
    expect(histories[1]?.points).toContainEqual({ step: 1234, timestamp: 1234, value: 5 });
    expect(histories[5]).toEqual({ run_id: runIds[2], key: "acc", points: [], total_points: 0, downsampled: false });
  });

  it("keeps to a step window: the new points of a live chart since the last step it has", async () => {
    const { histories } = await getMetricHistories(db, tenantId, input({ keys: ["loss"], start_step: 2990 }));
    for (const h of histories) {
      expect(h.points.map((p) => p.step)).toEqual([2990, 2991, 2992, 2993, 2994, 2995, 2996, 2997, 2998, 2999]);
      expect(h.downsampled).toBe(false);
    }
  });

  it("is a 404 naming the missing runs, another tenant's run among them; a reversed window is a 400", async () => {
    await expect(
      getMetricHistories(db, tenantId, input({ run_ids: [runIds[0] as string, MISSING, otherTenantRun] })),
    ).rejects.toMatchObject({ code: "NOT_FOUND", message: expect.stringContaining(`${MISSING}, ${otherTenantRun}`) });
    await expect(getMetricHistories(db, tenantId, input({ start_step: 5, end_step: 4 }))).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
    });
  });

  it("bounds the request: runs, keys, repeats and the points asked in all", () => {
    const ids = (n: number) =>
      Array.from({ length: n }, (_, i) => `0190f0e0-0000-7000-8000-${String(i).padStart(12, "0")}`);
    const ok = (over: Record<string, unknown>) => MetricHistoriesInput.safeParse({ ...input(), ...over }).success;
    expect(ok({ run_ids: ids(LIMITS.historyBulkRuns) })).toBe(true);
    expect(ok({ run_ids: ids(LIMITS.historyBulkRuns + 1) })).toBe(false);
    expect(ok({ run_ids: [] })).toBe(false);
    expect(ok({ keys: ["loss", "loss"] })).toBe(false);
    expect(ok({ run_ids: ids(100), keys: ["a", "b"], max_points: 5000 })).toBe(true);
    const tooMany = MetricHistoriesInput.safeParse({ run_ids: ids(100), keys: ["a", "b", "c"], max_points: 5000 });
    expect(tooMany.error?.issues[0]?.message).toMatch(/at most 1000000/);
  });
});
