import { beforeEach, describe, expect, it } from "vitest";
import { createExperiment } from "../experiments/create-experiment";
import { listRunInputs, logRunInputs } from "../inputs/log-run-inputs";
import { listMetricPoints } from "../metrics/list-metric-points";
import { logBatch } from "../metrics/log-batch";
import { createTestTenant, type TestTenant, testDatabase } from "../testing";
import { createRun } from "./create-run";
import { deleteRun } from "./delete-run";
import { setRunStatus } from "./set-run-status";

const { db } = await testDatabase();
let tenant: TestTenant;
let runId: string;
beforeEach(async () => {
  tenant = await createTestTenant(db);
  const e = await createExperiment(db, tenant.id, { name: "e" }, { root: "/data/artifacts", allowedRoots: [] });
  runId = (await createRun(db, tenant.id, { experiment_id: e.id, start_time: "2026-01-01T00:00:00.000Z" })).id;
});

describe("setRunStatus (MLflow's update-run)", () => {
  it("re-terminates an ended run, reopens it as RUNNING, and refuses an end before the start and a deleted run", async () => {
    const end = "2026-01-01T01:00:00.000Z";
    expect(await setRunStatus(db, tenant.id, { id: runId, status: "FINISHED", end_time: end })).toMatchObject({
      status: "FINISHED",
      end_time: end,
    });
    expect(await setRunStatus(db, tenant.id, { id: runId, status: "FAILED" })).toMatchObject({
      status: "FAILED",
      end_time: end,
    });
    expect(await setRunStatus(db, tenant.id, { id: runId, status: "RUNNING" })).toMatchObject({
      status: "RUNNING",
      end_time: null,
    });
    await expect(
      setRunStatus(db, tenant.id, { id: runId, status: "KILLED", end_time: "2025-01-01T00:00:00.000Z" }),
    ).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    await deleteRun(db, tenant.id, runId);
    await expect(setRunStatus(db, tenant.id, { id: runId, status: "KILLED" })).rejects.toMatchObject({
      code: "CONFLICT",
    });
  });
});

describe("listMetricPoints and run inputs", () => {
  it("pages the whole history in step order by offset", async () => {
    const metrics = [5, 3, 9, 1].map((step) => ({ key: "m", value: step, step, timestamp: 1 }));
    await logBatch(db, tenant.id, { id: runId, metrics });
    expect(await listMetricPoints(db, tenant.id, { id: runId, key: "m", offset: 1, limit: 2 })).toEqual({
      points: [
        { step: 3, timestamp: 1, value: 3 },
        { step: 5, timestamp: 1, value: 5 },
      ],
      total: 4,
    });
    expect((await listMetricPoints(db, tenant.id, { id: runId, key: "m" })).points).toHaveLength(4);
    expect(await listMetricPoints(db, tenant.id, { id: runId, key: "none" })).toEqual({ points: [], total: 0 });
  });

  it("keeps one row per dataset (name, digest), the last tags winning, and refuses a deleted run", async () => {
    const dataset = { name: "d", digest: "1", source_type: "local", source: "/x" };
    await logRunInputs(db, tenant.id, { id: runId, datasets: [{ dataset, tags: { a: "1" } }] });
    await logRunInputs(db, tenant.id, { id: runId, datasets: [{ dataset, tags: { a: "2" } }] });
    expect((await listRunInputs(db, tenant.id, [runId])).get(runId)).toEqual([{ dataset, tags: { a: "2" } }]);
    expect((await listRunInputs(db, (await createTestTenant(db)).id, [runId])).get(runId)).toEqual([]);
    await deleteRun(db, tenant.id, runId);
    await expect(logRunInputs(db, tenant.id, { id: runId, datasets: [] })).rejects.toMatchObject({ code: "CONFLICT" });
  });
});
