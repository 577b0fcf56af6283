import type { TestTenant } from "@stepwise/core/testing";
import { beforeEach, describe, expect, it } from "vitest";
import { mlflowTestApp } from "./testing/mlflow-app";

const { ml, newTenant, rest } = await mlflowTestApp();
let me: TestTenant;
beforeEach(async () => {
  me = await newTenant();
});

describe("MLflow fluent flow (scenario a)", () => {
  it("set_experiment, start_run, log, end_run; the same run through /api/v1", async () => {
    const miss = await ml(me, "GET", "experiments/get-by-name", { query: { experiment_name: "wire-a" } });
    expect(miss).toMatchObject({ status: 404, body: { error_code: "RESOURCE_DOES_NOT_EXIST" } });
    const created = await ml(me, "POST", "experiments/create", { body: { name: "wire-a" } });
    expect(created.status).toBe(200);
    const exp = created.body.experiment_id;
    const got = await ml(me, "GET", "experiments/get", { query: { experiment_id: exp } });
    expect(got.body.experiment).toMatchObject({
      experiment_id: exp,
      name: "wire-a",
      lifecycle_stage: "active",
      artifact_location: `mlflow-artifacts:/${exp}`,
    });

    const run = await ml(me, "POST", "runs/create", {
      body: {
        experiment_id: exp,
        user_id: "wire",
        run_name: "r1",
        start_time: 1795731779282,
        tags: [
          { key: "mlflow.user", value: "wire" },
          { key: "mlflow.source.name", value: "scen_a.py" },
          { key: "mlflow.runName", value: "r1" },
        ],
      },
    });
    expect(run.status).toBe(200);
    const info = run.body.run.info;
    expect(info).toMatchObject({
      run_name: "r1",
      user_id: "wire",
      status: "RUNNING",
      start_time: 1795731779282,
      lifecycle_stage: "active",
      experiment_id: exp,
    });
    expect(info.run_id).toMatch(/^[0-9a-f]{32}$/);
    expect(info.run_uuid).toBe(info.run_id);
    expect(info.artifact_uri).toBe(`mlflow-artifacts:/${exp}/${info.run_id}/artifacts`);
    const rid = info.run_id;

    expect(
      (await ml(me, "POST", "runs/log-parameter", { body: { run_uuid: rid, key: "lr", value: "0.01", run_id: rid } }))
        .status,
    ).toBe(200);
    for (let i = 0; i < 5; i++) {
      const r = await ml(me, "POST", "runs/log-metric", {
        body: { run_uuid: rid, key: "loss", value: 1 / (i + 1), timestamp: 1795731779336 + i, step: i, run_id: rid },
      });
      expect(r).toMatchObject({ status: 200, body: {} });
    }
    expect((await ml(me, "POST", "runs/set-tag", { body: { run_id: rid, key: "team", value: "ml" } })).status).toBe(
      200,
    );
    const end = await ml(me, "POST", "runs/update", {
      body: { run_uuid: rid, status: "FINISHED", end_time: 1795731780053, run_id: rid },
    });
    expect(end.body.run_info).toMatchObject({ status: "FINISHED", end_time: 1795731780053, run_id: rid });

    const full = await ml(me, "GET", "runs/get", { query: { run_uuid: rid, run_id: rid } });
    expect(full.body.run.data.metrics).toEqual([{ key: "loss", value: 0.2, timestamp: 1795731779340, step: 4 }]);
    expect(full.body.run.data.params).toEqual([{ key: "lr", value: "0.01" }]);
    expect(full.body.run.data.tags).toEqual(
      expect.arrayContaining([
        { key: "mlflow.runName", value: "r1" },
        { key: "mlflow.user", value: "wire" },
        { key: "team", value: "ml" },
      ]),
    );
    const native = await rest(
      me,
      "GET",
      `/experiments/runs/${full.body.run.info.run_id.replace(/^(.{8})(.{4})(.{4})(.{4})/, "$1-$2-$3-$4-")}`,
    );
    expect(native.body).toMatchObject({ name: "r1", status: "FINISHED", params: { lr: "0.01" }, tags: { team: "ml" } });
  });
});

describe("MLflow run lifecycle and system tags", () => {
  const newRun = async (body: Record<string, unknown> = {}) =>
    (await ml(me, "POST", "runs/create", { body: { experiment_id: "0", ...body } })).body.run.info.run_id as string;
  const getRun = async (rid: string) => (await ml(me, "GET", "runs/get", { query: { run_id: rid } })).body.run;

  it("deletes softly (readable, lifecycle_stage deleted, writes refused with 400), restores, re-terminates", async () => {
    const rid = await newRun();
    await ml(me, "POST", "runs/update", { body: { run_id: rid, status: "FINISHED", end_time: Date.now() } });
    const failed = await ml(me, "POST", "runs/update", {
      body: { run_id: rid, status: "FAILED", end_time: Date.now() },
    });
    expect(failed.body.run_info.status).toBe("FAILED");
    expect((await ml(me, "POST", "runs/delete", { body: { run_id: rid } })).body).toEqual({});
    expect((await getRun(rid)).info.lifecycle_stage).toBe("deleted");
    const write = await ml(me, "POST", "runs/log-metric", {
      body: { run_id: rid, key: "after_delete", value: 1, timestamp: 1 },
    });
    expect(write).toMatchObject({ status: 400, body: { error_code: "INVALID_PARAMETER_VALUE" } });
    expect((await ml(me, "POST", "runs/restore", { body: { run_uuid: rid } })).status).toBe(200);
    expect((await getRun(rid)).info.lifecycle_stage).toBe("active");
    expect(
      (await ml(me, "POST", "runs/log-metric", { body: { run_id: rid, key: "back", value: 1, timestamp: 1 } })).status,
    ).toBe(200);
  });

  it("maps mlflow.runName, mlflow.note.content and mlflow.parentRunId onto the run's name, description and parent", async () => {
    const parent = await newRun({ run_name: "parent" });
    const child = await newRun({
      tags: [
        { key: "mlflow.parentRunId", value: parent },
        { key: "mlflow.runName", value: "child" },
      ],
    });
    await ml(me, "POST", "runs/set-tag", { body: { run_id: child, key: "mlflow.note.content", value: "notes" } });
    await ml(me, "POST", "runs/log-batch", {
      body: { run_id: child, tags: [{ key: "mlflow.runName", value: "renamed" }] },
    });
    const native = await rest(
      me,
      "GET",
      `/experiments/runs/${(await getRun(child)).info.run_id.replace(/^(.{8})(.{4})(.{4})(.{4})/, "$1-$2-$3-$4-")}`,
    );
    expect(native.body).toMatchObject({
      name: "renamed",
      description: "notes",
      parent_run_id: expect.stringMatching(/-/),
    });
    expect(native.body.tags).toEqual({});
    const tags = (await getRun(child)).data.tags;
    expect(tags).toEqual(
      expect.arrayContaining([
        { key: "mlflow.runName", value: "renamed" },
        { key: "mlflow.note.content", value: "notes" },
        { key: "mlflow.parentRunId", value: parent },
      ]),
    );
    await ml(me, "POST", "runs/set-tag", { body: { run_id: child, key: "team", value: "ml" } });
    expect((await ml(me, "POST", "runs/delete-tag", { body: { run_id: child, key: "team" } })).status).toBe(200);
    expect(await ml(me, "POST", "runs/delete-tag", { body: { run_id: child, key: "team" } })).toMatchObject({
      status: 404,
      body: { error_code: "RESOURCE_DOES_NOT_EXIST" },
    });
  });

  it("stores log-inputs datasets and shows them in runs/get inputs.dataset_inputs", async () => {
    const rid = await newRun();
    const dataset = {
      name: "iris",
      digest: "abc123",
      source_type: "local",
      source: '{"uri": "/data/iris.csv"}',
      schema: '{"cols": []}',
    };
    const body = { run_id: rid, datasets: [{ tags: [{ key: "mlflow.data.context", value: "train" }], dataset }] };
    expect((await ml(me, "POST", "runs/log-inputs", { body })).status).toBe(200);
    expect((await ml(me, "POST", "runs/log-inputs", { body })).status).toBe(200);
    expect((await getRun(rid)).inputs).toEqual({
      dataset_inputs: [{ tags: [{ key: "mlflow.data.context", value: "train" }], dataset }],
    });
    const bad = await ml(me, "POST", "runs/log-inputs", {
      body: { run_id: rid, datasets: [{ dataset: { name: "x" } }] },
    });
    expect(bad).toMatchObject({ status: 400, body: { error_code: "INVALID_PARAMETER_VALUE" } });
  });

  it("sets and deletes experiment tags, and the note tag as the description", async () => {
    const exp = (
      await ml(me, "POST", "experiments/create", { body: { name: "tagged", tags: [{ key: "a", value: "1" }] } })
    ).body.experiment_id;
    await ml(me, "POST", "experiments/set-experiment-tag", { body: { experiment_id: exp, key: "b", value: "2" } });
    await ml(me, "POST", "experiments/set-experiment-tag", {
      body: { experiment_id: exp, key: "mlflow.note.content", value: "about" },
    });
    await ml(me, "POST", "experiments/delete-experiment-tag", { body: { experiment_id: exp, key: "a" } });
    const got = (await ml(me, "GET", "experiments/get", { query: { experiment_id: exp } })).body.experiment;
    expect(got.tags).toEqual([
      { key: "b", value: "2" },
      { key: "mlflow.note.content", value: "about" },
    ]);
    expect((await rest(me, "GET", `/experiments/${exp}`)).body).toMatchObject({
      description: "about",
      tags: { b: "2" },
    });
  });
});
