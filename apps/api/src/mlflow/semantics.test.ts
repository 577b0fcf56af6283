import type { TestTenant } from "@stepwise/core/testing";
import { beforeEach, describe, expect, it } from "vitest";
import { mlflowTestApp } from "./testing/mlflow-app";

const { ml, newTenant } = await mlflowTestApp();
let me: TestTenant;
let exp: string;
let rid: string;
beforeEach(async () => {
  me = await newTenant();
  exp = (await ml(me, "POST", "experiments/create", { body: { name: "sem" } })).body.experiment_id;
  rid = (await ml(me, "POST", "runs/create", { body: { experiment_id: exp, start_time: 1000 } })).body.run.info.run_id;
});
const history = (key: string, query: Record<string, string | number> = {}) =>
  ml(me, "GET", "metrics/get-history", { query: { run_id: rid, metric_key: key, ...query } });
const batch = (body: Record<string, unknown>) => ml(me, "POST", "runs/log-batch", { body: { run_id: rid, ...body } });

describe("MLflow value formats", () => {
  it("takes NaN and the infinities as strings, and answers them as strings", async () => {
    for (const [key, value] of [
      ["nan", "NaN"],
      ["inf", "Infinity"],
      ["ninf", "-Infinity"],
    ]) {
      expect(
        (await ml(me, "POST", "runs/log-metric", { body: { run_id: rid, key, value, timestamp: 5 } })).status,
      ).toBe(200);
    }
    expect((await batch({ metrics: [{ key: "b_nan", value: "NaN", timestamp: 1, step: 0 }] })).status).toBe(200);
    expect((await history("nan")).body.metrics).toEqual([{ key: "nan", value: "NaN", timestamp: 5, step: 0 }]);
    const run = (await ml(me, "GET", "runs/get", { query: { run_id: rid } })).body.run;
    expect(Object.fromEntries(run.data.metrics.map((m: { key: string; value: unknown }) => [m.key, m.value]))).toEqual({
      nan: "NaN",
      inf: "Infinity",
      ninf: "-Infinity",
      b_nan: "NaN",
    });
    const bad = await ml(me, "POST", "runs/log-metric", {
      body: { run_id: rid, key: "x", value: "lots", timestamp: 1 },
    });
    expect(bad).toMatchObject({ status: 400, body: { error_code: "INVALID_PARAMETER_VALUE" } });
  });

  it("takes int64 fields as numbers or strings, run_uuid for run_id, dashed UUIDs, and ignores unknown fields", async () => {
    const dashed = rid.replace(/^(.{8})(.{4})(.{4})(.{4})/, "$1-$2-$3-$4-");
    const sent = await ml(me, "POST", "runs/log-metric", {
      body: { run_uuid: dashed, key: "m", value: "0.5", timestamp: "1795731779282", step: "3", x_compat_extra: "1" },
    });
    expect(sent).toMatchObject({ status: 200, body: {} });
    expect((await history("m", { max_results: "10" })).body.metrics).toEqual([
      { key: "m", value: 0.5, timestamp: 1795731779282, step: 3 },
    ]);
    const run = (await ml(me, "GET", "runs/get", { query: { run_uuid: rid } })).body.run;
    expect(run.info).toMatchObject({ run_id: rid, run_uuid: rid, start_time: 1000 });
    const created = await ml(me, "POST", "runs/create", {
      body: { experiment_id: exp, start_time: "2000", unknown: { a: 1 } },
    });
    expect(created.body.run.info.start_time).toBe(2000);
  });

  it('serves "0" as the tenant\'s Default experiment, made on first use and found again after a rename', async () => {
    const run = await ml(me, "POST", "runs/create", { body: { start_time: 1 } });
    expect(run.body.run.info).toMatchObject({ experiment_id: "0" });
    expect(run.body.run.info.artifact_uri).toBe(`mlflow-artifacts:/0/${run.body.run.info.run_id}/artifacts`);
    const zero = await ml(me, "GET", "experiments/get", { query: { experiment_id: 0 } });
    expect(zero.body.experiment).toMatchObject({
      experiment_id: "0",
      name: "Default",
      artifact_location: "mlflow-artifacts:/0",
    });
    await ml(me, "POST", "experiments/update", { body: { experiment_id: "0", new_name: "Renamed" } });
    expect(
      (await ml(me, "GET", "experiments/get-by-name", { query: { experiment_name: "Renamed" } })).body.experiment
        .experiment_id,
    ).toBe("0");
    const other = await newTenant();
    expect((await ml(other, "GET", "experiments/get", { query: { experiment_id: "0" } })).body.experiment.name).toBe(
      "Default",
    );
  });
});

describe("MLflow write semantics", () => {
  it("keeps params write-once: the same value again is fine, another is a 400 that writes nothing", async () => {
    const param = (value: string) => ml(me, "POST", "runs/log-parameter", { body: { run_id: rid, key: "lr", value } });
    expect((await param("0.1")).status).toBe(200);
    expect((await param("0.1")).status).toBe(200);
    expect(await param("0.2")).toMatchObject({ status: 400, body: { error_code: "INVALID_PARAMETER_VALUE" } });
    const viaBatch = await batch({
      params: [{ key: "lr", value: "0.3" }],
      metrics: [{ key: "never", value: 1, timestamp: 1 }],
    });
    expect(viaBatch).toMatchObject({ status: 400, body: { error_code: "INVALID_PARAMETER_VALUE" } });
    const run = (await ml(me, "GET", "runs/get", { query: { run_id: rid } })).body.run;
    expect(run.data.params).toEqual([{ key: "lr", value: "0.1" }]);
    expect(run.data.metrics).toEqual([]);
  });

  it("takes async logging's parallel, out-of-order batches: every point kept, the latest by step", async () => {
    const steps = Array.from({ length: 200 }, (_, i) => i).sort(() => Math.random() - 0.5);
    for (let i = 0; i < steps.length; i += 10) {
      const wave = steps
        .slice(i, i + 10)
        .map((step) => batch({ metrics: [{ key: "loss", value: step / 10, timestamp: 1000 + step, step }] }));
      expect((await Promise.all(wave)).map((r) => r.status)).toEqual(Array(wave.length).fill(200));
    }
    const points = (await history("loss")).body.metrics;
    expect(points.map((p: { step: number }) => p.step)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    const run = (await ml(me, "GET", "runs/get", { query: { run_id: rid } })).body.run;
    expect(run.data.metrics).toEqual([{ key: "loss", value: 19.9, timestamp: 1199, step: 199 }]);
  });

  it("pages a history over 25,000 points with MLflow's offset tokens, and answers all of it without max_results", {
    timeout: 120_000,
  }, async () => {
    for (let start = 0; start < 25_500; start += 1000) {
      const metrics = Array.from({ length: Math.min(1000, 25_500 - start) }, (_, i) => ({
        key: "long",
        value: start + i,
        timestamp: 1,
        step: start + i,
      }));
      expect((await batch({ metrics })).status).toBe(200);
    }
    const first = await history("long", { max_results: 25_000 });
    expect(first.body.metrics).toHaveLength(25_000);
    // Byte for byte MLflow's token: base64 of `{"offset": 25000}`; passed back as the client does.
    expect(first.body.next_page_token).toBe("eyJvZmZzZXQiOiAyNTAwMH0=");
    const second = await history("long", { max_results: 25_000, page_token: "eyJvZmZzZXQiOiAyNTAwMH0=" });
    expect(second.body.metrics.map((m: { step: number }) => m.step)).toEqual(
      Array.from({ length: 500 }, (_, i) => 25_000 + i),
    );
    expect(second.body.next_page_token).toBeUndefined();
    const all = await history("long");
    expect(all.body.metrics).toHaveLength(25_500);
    expect(all.body.next_page_token).toBeUndefined();
    expect((await history("no_such_metric")).body).toEqual({});
  });
});
