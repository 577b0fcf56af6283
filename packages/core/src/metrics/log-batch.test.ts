import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { queryRows } from "../db/rows";
import { createExperiment } from "../experiments/create-experiment";
import { archiveExperiment } from "../experiments/set-lifecycle-stage";
import { createRun } from "../runs/create-run";
import { endRun } from "../runs/end-run";
import { getRunOrThrow } from "../runs/get-run";
import { createTestTenant, type TestTenant, testDatabase } from "../testing";
import { logBatch } from "./log-batch";
import { logMetrics, logParams } from "./log-metrics";

const { db } = await testDatabase();
const artifacts = { root: "/data", allowedRoots: [] };
let tenant: TestTenant;
let runId: string;
let experimentId: string;
beforeEach(async () => {
  tenant = await createTestTenant(db);
  experimentId = (await createExperiment(db, tenant.id, { name: "e" }, artifacts)).id;
  runId = (await createRun(db, tenant.id, { experiment_id: experimentId })).id;
});

const batch = (input: Omit<Parameters<typeof logBatch>[2], "id">, now?: number) =>
  logBatch(db, tenant.id, { id: runId, ...input }, now);
const storedPoints = () =>
  queryRows<{ key: string; step: number; ts: number; value: number }>(
    db,
    sql`select s.key, p.step::float8 as step, p.timestamp::float8 as ts, p.value
        from metric_points p join metric_series s on s.tenant_id = p.tenant_id and s.id = p.series_id
        where s.tenant_id = ${tenant.id} and s.run_id = ${runId} order by s.key, p.step, p.timestamp, p.value`,
  );

describe("log-batch", () => {
  it("stores metrics, params and tags in one go and reports the counts", async () => {
    const result = await batch({
      metrics: [
        { key: "loss", value: 0.5, step: 1, timestamp: 1000 },
        { key: "loss", value: 0.4, step: 2, timestamp: 2000 },
      ],
      params: [{ key: "lr", value: "0.01" }],
      tags: [
        { key: "stage", value: "a" },
        { key: "stage", value: "b" },
      ],
    });
    expect(result).toEqual({ metrics: 2, params: 1, tags: 1 });
    const run = await getRunOrThrow(db, tenant.id, runId);
    expect(run.params).toEqual({ lr: "0.01" });
    expect(run.tags).toEqual({ stage: "b" });
    expect(run.metrics).toEqual({ loss: { value: 0.4, step: 2, timestamp: 2000 } });
  });

  it("keeps metrics append-only: an exact re-send is a no-op, the same step at another timestamp is kept", async () => {
    const points = [
      { key: "acc", value: 0.1, step: 1, timestamp: 10 },
      { key: "acc", value: 0.2, step: 1, timestamp: 11 },
    ];
    await batch({ metrics: points });
    await batch({ metrics: points });
    await batch({ metrics: [{ key: "acc", value: 0.3, step: 1, timestamp: 10 }] });
    expect(await storedPoints()).toEqual([
      { key: "acc", step: 1, ts: 10, value: 0.1 },
      { key: "acc", step: 1, ts: 10, value: 0.3 },
      { key: "acc", step: 1, ts: 11, value: 0.2 },
    ]);
  });

  it("round-trips NaN and the infinities, and defaults step to 0 and timestamp to the request time", async () => {
    await batch(
      {
        metrics: [
          { key: "x", value: "NaN" },
          { key: "y", value: "Infinity" },
          { key: "z", value: "-Infinity" },
        ],
      },
      1234,
    );
    const run = await getRunOrThrow(db, tenant.id, runId);
    expect(run.metrics).toEqual({
      x: { value: "NaN", step: 0, timestamp: 1234 },
      y: { value: "Infinity", step: 0, timestamp: 1234 },
      z: { value: "-Infinity", step: 0, timestamp: 1234 },
    });
  });

  it("takes metrics on an ended run, and refuses every write to a run of an archived experiment", async () => {
    await endRun(db, tenant.id, { id: runId, status: "FINISHED" });
    await expect(batch({ metrics: [{ key: "eval", value: 1 }] })).resolves.toMatchObject({ metrics: 1 });
    await archiveExperiment(db, tenant.id, experimentId);
    for (const input of [
      { metrics: [{ key: "eval", value: 2 }] },
      { params: [{ key: "a", value: "1" }] },
      { tags: [{ key: "t", value: "v" }] },
    ]) {
      await expect(batch(input)).rejects.toMatchObject({ code: "CONFLICT" });
    }
    expect((await storedPoints()).map((p) => p.value)).toEqual([1]);
  });

  it("keeps params write-once and writes nothing of a batch that conflicts", async () => {
    await logParams(db, tenant.id, { id: runId, params: { lr: "0.01" } });
    await expect(logParams(db, tenant.id, { id: runId, params: { lr: "0.01" } })).resolves.toEqual({ params: 1 });
    const conflicting = batch({
      metrics: [{ key: "loss", value: 1 }],
      params: [{ key: "lr", value: "0.02" }],
      tags: [{ key: "t", value: "v" }],
    });
    await expect(conflicting).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringContaining("lr") });
    const run = await getRunOrThrow(db, tenant.id, runId);
    expect(run).toMatchObject({ params: { lr: "0.01" }, tags: {}, metrics: {} });
    expect(await storedPoints()).toEqual([]);
  });

  it("refuses a param given twice with different values in one request (400), and allows the same value twice", async () => {
    await expect(
      batch({
        params: [
          { key: "a", value: "1" },
          { key: "a", value: "2" },
        ],
      }),
    ).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
    });
    await expect(
      batch({
        params: [
          { key: "a", value: "1" },
          { key: "a", value: "1" },
        ],
      }),
    ).resolves.toMatchObject({ params: 1 });
  });

  it("lets the last tag value win across requests", async () => {
    await batch({ tags: [{ key: "t", value: "1" }] });
    await batch({
      tags: [
        { key: "t", value: "2" },
        { key: "u", value: "3" },
      ],
    });
    expect((await getRunOrThrow(db, tenant.id, runId)).tags).toEqual({ t: "2", u: "3" });
  });

  it("shows the latest point of each key: greatest step, then timestamp", async () => {
    await logMetrics(db, tenant.id, { id: runId, metrics: { m: 1 }, step: 5, timestamp: 100 });
    await logMetrics(db, tenant.id, { id: runId, metrics: { m: 2 }, step: 3, timestamp: 999 });
    await logMetrics(db, tenant.id, { id: runId, metrics: { m: 3 }, step: 5, timestamp: 101 });
    await logMetrics(db, tenant.id, { id: runId, metrics: { m: 4 }, step: 5, timestamp: 50 });
    expect((await getRunOrThrow(db, tenant.id, runId)).metrics).toEqual({ m: { value: 3, step: 5, timestamp: 101 } });
  });

  it("answers NOT_FOUND for another tenant's run", async () => {
    const other = await createTestTenant(db);
    await expect(logBatch(db, other.id, { id: runId, tags: [{ key: "a", value: "b" }] })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});
