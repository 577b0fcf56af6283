import type { TestTenant } from "@stepwise/core/testing";
import { beforeEach, describe, expect, it } from "vitest";
import { testApp } from "../../testing/app";

const { rest, newTenant, caller } = await testApp();
let me: TestTenant;
let experimentId: string;
let runId: string;
beforeEach(async () => {
  me = await newTenant();
  experimentId = (await rest(me, "POST", "/experiments", { body: { name: "exp" } })).body.id;
  runId = (await rest(me, "POST", "/experiments/runs", { body: { experiment_id: experimentId } })).body.id;
});

const post = (action: string, body: unknown, id = runId) =>
  rest(me, "POST", `/experiments/runs/${id}/${action}`, { body });
const getRun = async () => (await rest(me, "GET", `/experiments/runs/${runId}`)).body;
const MISSING = "0190f0e0-0000-7000-8000-000000000000";

describe("log-metrics and log-params", () => {
  it("logs metrics at one step and params as strings; both show on the run", async () => {
    const metrics = await post("log-metrics", {
      metrics: { loss: 0.25, acc: "NaN" },
      step: 7,
      timestamp: 1700000000000,
    });
    expect(metrics).toMatchObject({ status: 200, body: { metrics: 2 } });
    const params = await post("log-params", { params: { lr: 0.01, layers: 3, amp: true, name: "resnet" } });
    expect(params).toMatchObject({ status: 200, body: { params: 4 } });
    const run = await getRun();
    expect(run.metrics).toEqual({
      loss: { value: 0.25, step: 7, timestamp: 1700000000000 },
      acc: { value: "NaN", step: 7, timestamp: 1700000000000 },
    });
    expect(run.params).toEqual({ lr: "0.01", layers: "3", amp: "true", name: "resnet" });
  });

  it("answers 409 for a param that already holds another value, and 404 for an unknown run", async () => {
    await post("log-params", { params: { lr: "0.01" } });
    const res = await post("log-params", { params: { lr: "0.02", other: "x" } });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: "CONFLICT", message: expect.stringContaining("lr") });
    expect((await getRun()).params).toEqual({ lr: "0.01" });
    expect((await post("log-metrics", { metrics: { a: 1 } }, MISSING)).status).toBe(404);
  });
});

describe("400s that say what to change", () => {
  it("names the rule broken: a bad metric value, a bad map key, max_points out of range, a duplicate param", async () => {
    const value = await post("log-metrics", { metrics: { loss: "high" } });
    expect(value.body).toMatchObject({
      code: "BAD_REQUEST",
      issues: [{ path: ["metrics", "loss"], message: expect.stringContaining('"NaN", "Infinity", "-Infinity"') }],
    });
    const key = await post("log-metrics", { metrics: { "bad key!": 1 } });
    expect(key.body).toMatchObject({
      message: expect.stringContaining("key may hold only letters"),
      issues: [{ path: ["metrics", "bad key!"], message: expect.stringContaining("key may hold only letters") }],
    });
    for (const [max, text] of [
      ["1", "at least 2"],
      ["10001", "at most 10000"],
      ["2.5", "integer"],
    ] as const) {
      const res = await rest(me, "GET", `/experiments/runs/${runId}/metrics/history?key=m&max_points=${max}`);
      expect(res.body).toMatchObject({
        code: "BAD_REQUEST",
        issues: [{ path: ["max_points"], message: expect.stringContaining(text) }],
      });
    }
    const twice = await post("log-batch", {
      params: [
        { key: "lr", value: "1" },
        { key: "lr", value: "2" },
      ],
    });
    expect(twice.body).toMatchObject({ code: "BAD_REQUEST", issues: [{ path: ["params"] }] });
  });
});

describe("a key named twice in one JSON object", () => {
  it("is a 400 with different values (JSON.parse would keep the last silently), and fine with the same", async () => {
    const send = (action: string, body: string) => rest(me, "POST", `/experiments/runs/${runId}/${action}`, { body });
    const params = await send("log-params", '{"params":{"d":"a","lr":"1","d":"b"}}');
    expect(params.status).toBe(400);
    expect(params.body).toMatchObject({ code: "BAD_REQUEST", issues: [{ path: ["params", "d"] }] });
    const metrics = await send("log-metrics", '{"metrics":{"loss":1,"loss":2},"step":3}');
    expect(metrics.body).toMatchObject({ code: "BAD_REQUEST", issues: [{ path: ["metrics", "loss"] }] });
    const run = await getRun();
    expect([run.params, run.metrics]).toEqual([{}, {}]);
    expect((await send("log-params", '{"params":{"d":"a","d":"a"}}')).status).toBe(200);
    expect((await getRun()).params).toEqual({ d: "a" });
    const tags = await rest(me, "POST", "/experiments", { body: '{"name":"t","tags":{"k":"1","k":"2"}}' });
    expect(tags.body).toMatchObject({ code: "BAD_REQUEST", issues: [{ path: ["tags", "k"] }] });
  });
});

describe("keys that are names of Object.prototype", () => {
  it("are ordinary keys: params write-once as any other, and compare shows them only where logged", async () => {
    const keys = ["toString", "constructor", "hasOwnProperty", "valueOf"];
    const params = Object.fromEntries(keys.map((k) => [k, `v-${k}`]));
    expect(await post("log-params", { params })).toMatchObject({ status: 200, body: { params: 4 } });
    expect((await post("log-params", { params })).status).toBe(200); // the same values again
    expect((await post("log-params", { params: { toString: "other" } })).status).toBe(409);
    expect((await getRun()).params).toEqual(params);
    const other = (await rest(me, "POST", "/experiments/runs", { body: { experiment_id: experimentId } })).body.id;
    const res = await rest(me, "POST", "/experiments/runs/compare", { body: { run_ids: [runId, other] } });
    expect(res.body.params).toContainEqual({
      key: "toString",
      values: { [runId]: "v-toString", [other]: null },
      differs: true,
    });
  });
});

describe("log-batch", () => {
  it("stores everything in one request and counts what it received", async () => {
    const res = await post("log-batch", {
      metrics: [
        { key: "loss", value: 1, step: 1, timestamp: 10 },
        { key: "loss", value: 0.5, step: 2, timestamp: 20 },
      ],
      params: [{ key: "lr", value: "0.1" }],
      tags: [
        { key: "phase", value: "warmup" },
        { key: "phase", value: "main" },
      ],
    });
    expect(res).toMatchObject({ status: 200, body: { metrics: 2, params: 1, tags: 1 } });
    expect(await getRun()).toMatchObject({
      params: { lr: "0.1" },
      tags: { phase: "main" },
      metrics: { loss: { value: 0.5, step: 2 } },
    });
  });

  const many = (n: number, item: (i: number) => unknown) => Array.from({ length: n }, (_, i) => item(i));
  it.each([
    ["no items", { metrics: [] }, ""],
    ["10001 metrics", { metrics: many(10_001, (i) => ({ key: "m", value: i, step: i })) }, "metrics"],
    ["1001 params", { params: many(1001, (i) => ({ key: `p${i}`, value: "v" })) }, "params"],
    ["1001 tags", { tags: many(1001, (i) => ({ key: `t${i}`, value: "v" })) }, "tags"],
    ["a 251-character key", { metrics: [{ key: "k".repeat(251), value: 1 }] }, "metrics.0.key"],
    [
      "a key with a bad character",
      {
        metrics: [
          { key: "ok", value: 1 },
          { key: "bad*key", value: 1 },
        ],
      },
      "metrics.1.key",
    ],
    ["a key with a .. segment", { tags: [{ key: "a/../b", value: "v" }] }, "tags.0.key"],
    ["a value spelled nan", { metrics: [{ key: "m", value: "nan" }] }, "metrics.0.value"],
    ["a step past the safe range", { metrics: [{ key: "m", value: 1, step: 2 ** 53 }] }, "metrics.0.step"],
    ["a fractional step", { metrics: [{ key: "m", value: 1, step: 1.5 }] }, "metrics.0.step"],
    ["a negative timestamp", { metrics: [{ key: "m", value: 1, timestamp: -1 }] }, "metrics.0.timestamp"],
    ["a 6001-character param", { params: [{ key: "p", value: "v".repeat(6001) }] }, "params.0.value"],
    ["an 8001-character tag", { tags: [{ key: "t", value: "v".repeat(8001) }] }, "tags.0.value"],
    [
      "a param twice with two values",
      {
        params: [
          { key: "p", value: "1" },
          { key: "p", value: "2" },
        ],
      },
      "",
    ],
  ])("answers 400 naming the item for %s, and writes nothing", async (_, body, path) => {
    const res = await post("log-batch", { metrics: [{ key: "fine", value: 1 }], ...body });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("BAD_REQUEST");
    if (path) expect(res.body.message).toContain(path);
    expect(await getRun()).toMatchObject({ metrics: {}, params: {}, tags: {} });
  });

  it.each(['{"metrics":[{"key":"m","value":NaN}]}', '{"metrics":[{"key":"m","value":1e309}]}'])(
    "answers 400 for %s",
    async (body) => {
      const res = await post("log-batch", body);
      expect(res.status).toBe(400);
      expect((await getRun()).metrics).toEqual({});
    },
  );
});

describe("metrics/history", () => {
  it("returns the points in order with the IEEE specials spelled out, and validates its query", async () => {
    await post("log-batch", {
      metrics: [
        { key: "m", value: "Infinity", step: 2, timestamp: 5 },
        { key: "m", value: 1.5, step: 1, timestamp: 5 },
        { key: "m", value: "-Infinity", step: 3, timestamp: 5 },
      ],
    });
    const res = await rest(me, "GET", `/experiments/runs/${runId}/metrics/history?key=m&max_points=10&start_step=1`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      key: "m",
      points: [
        { step: 1, value: 1.5, timestamp: 5 },
        { step: 2, value: "Infinity", timestamp: 5 },
        { step: 3, value: "-Infinity", timestamp: 5 },
      ],
      total_points: 3,
      downsampled: false,
    });
    for (const query of [
      "",
      "key=m&max_points=1",
      "key=m&max_points=10001",
      "key=m&start_step=x",
      "key=m&start_step=5&end_step=1",
    ]) {
      expect((await rest(me, "GET", `/experiments/runs/${runId}/metrics/history?${query}`)).status, query).toBe(400);
    }
    expect((await rest(me, "GET", `/experiments/runs/${MISSING}/metrics/history?key=m`)).status).toBe(404);
  });
});

describe("compare", () => {
  it("puts 2-10 runs side by side: metric summaries, params and whether they differ", async () => {
    const other = (await rest(me, "POST", "/experiments/runs", { body: { experiment_id: experimentId, name: "b" } }))
      .body.id;
    await post("log-batch", {
      metrics: [1, 3, 2].map((v, step) => ({ key: "loss", value: v, step })),
      params: [
        { key: "lr", value: "0.1" },
        { key: "bs", value: "32" },
      ],
    });
    await post(
      "log-batch",
      {
        params: [
          { key: "lr", value: "0.2" },
          { key: "bs", value: "32" },
        ],
      },
      other,
    );
    const res = await rest(me, "POST", "/experiments/runs/compare", { body: { run_ids: [runId, other] } });
    expect(res.status).toBe(200);
    expect(res.body.runs.map((r: { id: string }) => r.id)).toEqual([runId, other]);
    expect(res.body.metrics).toEqual([
      { key: "loss", runs: { [runId]: { last: 2, last_step: 2, min: 1, max: 3, count: 3 }, [other]: null } },
    ]);
    expect(res.body.params).toEqual([
      { key: "bs", values: { [runId]: "32", [other]: "32" }, differs: false },
      { key: "lr", values: { [runId]: "0.1", [other]: "0.2" }, differs: true },
    ]);
    const typed = await caller(me).runs.compare({ run_ids: [runId, other], metrics: ["loss", "none", "loss"] });
    expect(typed.metrics.map((m) => m.key)).toEqual(["loss", "none"]);
  });

  it("answers 400 for fewer than 2, more than 10 or repeated IDs, and 404 naming a missing one", async () => {
    for (const run_ids of [[runId], Array.from({ length: 11 }, () => runId), [runId, runId], [runId, "x"]]) {
      expect((await rest(me, "POST", "/experiments/runs/compare", { body: { run_ids } })).status).toBe(400);
    }
    const res = await rest(me, "POST", "/experiments/runs/compare", { body: { run_ids: [runId, MISSING] } });
    expect(res.status).toBe(404);
    expect(res.body.message).toContain(MISSING);
  });
});
