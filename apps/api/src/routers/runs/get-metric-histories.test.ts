import type { TestTenant } from "@stepwise/core/testing";
import { beforeEach, describe, expect, it } from "vitest";
import { testApp } from "../../testing/app";

const { rest, newTenant, caller } = await testApp();
const PATH = "/experiments/runs/metrics/history-bulk";
const MISSING = "0190f0e0-0000-7000-8000-000000000000";
let me: TestTenant;
let runs: string[];
beforeEach(async () => {
  me = await newTenant();
  const experiment = (await rest(me, "POST", "/experiments", { body: { name: "exp" } })).body.id;
  runs = [];
  for (const name of ["a", "b"]) {
    const id = (await rest(me, "POST", "/experiments/runs", { body: { experiment_id: experiment, name } })).body.id;
    const metrics = [0, 1, 2].map((step) => ({ key: "loss", value: step + runs.length, step, timestamp: 10 + step }));
    await rest(me, "POST", `/experiments/runs/${id}/log-batch`, { body: { metrics } });
    runs.push(id);
  }
});

describe("POST /experiments/runs/metrics/history-bulk (runs.metricHistories)", () => {
  it("answers each run's history of each key in one request, on REST and tRPC alike", async () => {
    const res = await rest(me, "POST", PATH, { body: { run_ids: runs, keys: ["loss", "acc"], start_step: 1 } });
    expect(res.status).toBe(200);
    const point = (step: number, value: number) => ({ step, value, timestamp: 10 + step });
    expect(res.body.histories).toEqual([
      { run_id: runs[0], key: "loss", points: [point(1, 1), point(2, 2)], total_points: 2, downsampled: false },
      { run_id: runs[0], key: "acc", points: [], total_points: 0, downsampled: false },
      { run_id: runs[1], key: "loss", points: [point(1, 2), point(2, 3)], total_points: 2, downsampled: false },
      { run_id: runs[1], key: "acc", points: [], total_points: 0, downsampled: false },
    ]);
    const typed = await caller(me).runs.metricHistories({ run_ids: runs, keys: ["loss", "acc"], start_step: 1 });
    expect(typed).toEqual(res.body);
  });

  it("is a 400 that says what to change, and a 404 naming a missing run", async () => {
    const bad = [
      { run_ids: [], keys: ["loss"] },
      { run_ids: runs, keys: [] },
      { run_ids: [runs[0], runs[0]], keys: ["loss"] },
      { run_ids: runs, keys: ["loss"], max_points: 1 },
      { run_ids: runs, keys: ["loss"], start_step: 3, end_step: 2 },
      { run_ids: runs, keys: ["loss"], max_points: "100" },
    ];
    for (const body of bad) expect((await rest(me, "POST", PATH, { body })).status).toBe(400);
    const res = await rest(me, "POST", PATH, { body: { run_ids: [runs[0], MISSING], keys: ["loss"] } });
    expect(res.status).toBe(404);
    expect(res.body.message).toContain(MISSING);
  });
});
