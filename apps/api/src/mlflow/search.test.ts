import type { TestTenant } from "@stepwise/core/testing";
import { beforeEach, describe, expect, it } from "vitest";
import { mlflowTestApp } from "./testing/mlflow-app";

const { ml, newTenant } = await mlflowTestApp();
let me: TestTenant;
beforeEach(async () => {
  me = await newTenant();
});
const names = (body: { experiments?: { name: string }[] }) => (body.experiments ?? []).map((e) => e.name);

describe("MLflow experiments/search (scenarios b, g)", () => {
  it("filters by name LIKE and tags, orders by name, pages with MLflow's offset tokens, and takes view types", async () => {
    for (const [name, team] of [
      ["wire-b", "ml"],
      ["wire-a", "cv"],
      ["other", "ml"],
    ]) {
      await ml(me, "POST", "experiments/create", { body: { name, tags: [{ key: "team", value: team }] } });
    }
    const search = (body: object) =>
      ml(me, "POST", "experiments/search", { body: { view_type: "ACTIVE_ONLY", ...body } });
    expect(
      names((await search({ filter: "name LIKE 'wire-%'", order_by: ["name ASC"], max_results: 10 })).body),
    ).toEqual(["wire-a", "wire-b"]);
    expect(names((await search({ filter: "tags.team = 'ml' AND attributes.name ILIKE 'WIRE%'" })).body)).toEqual([
      "wire-b",
    ]);
    expect(names((await search({ filter: "creation_time > 0", order_by: ["name DESC"] })).body)).toEqual([
      "wire-b",
      "wire-a",
      "other",
      "Default",
    ]);
    const first = await search({ max_results: 2, order_by: ["name ASC"] });
    expect([names(first.body), first.body.next_page_token]).toEqual([["Default", "other"], "eyJvZmZzZXQiOiAyfQ=="]);
    const second = await search({ max_results: 2, order_by: ["name ASC"], page_token: first.body.next_page_token });
    expect([names(second.body), second.body.next_page_token]).toEqual([["wire-a", "wire-b"], undefined]);
    const exp = (await ml(me, "GET", "experiments/get-by-name", { query: { experiment_name: "other" } })).body
      .experiment.experiment_id;
    await ml(me, "POST", "experiments/delete", { body: { experiment_id: exp } });
    expect(names((await search({ view_type: "DELETED_ONLY" })).body)).toEqual(["other"]);
    expect(names((await search({ view_type: "ALL" })).body)).toHaveLength(4);
    for (const [filter, order_by] of [
      ["name = 'x' OR name = 'y'", []],
      ["bogus = 'x'", []],
      ["name > 'x'", []],
      ["", ["name SIDEWAYS"]],
    ]) {
      expect(await search({ filter, order_by })).toMatchObject({
        status: 400,
        body: { error_code: "INVALID_PARAMETER_VALUE" },
      });
    }
  });
});

describe("MLflow runs/search (scenarios b, d, f, g)", () => {
  it("filters in MLflow's grammar, orders, pages with offset tokens, and refuses what MLflow refuses", async () => {
    const exp = (await ml(me, "POST", "experiments/create", { body: { name: "runs" } })).body.experiment_id;
    const rids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const rid = (
        await ml(me, "POST", "runs/create", { body: { experiment_id: exp, run_name: `g${i}`, start_time: 1000 + i } })
      ).body.run.info.run_id;
      await ml(me, "POST", "runs/log-batch", {
        body: {
          run_id: rid,
          metrics: [{ key: "m0", value: i, timestamp: 1, step: 0 }],
          params: [{ key: "opt", value: i % 2 ? "adam" : "sgd" }],
        },
      });
      rids.push(rid);
    }
    const search = (body: object) =>
      ml(me, "POST", "runs/search", {
        body: { experiment_ids: [exp], run_view_type: "ACTIVE_ONLY", filter: "", ...body },
      });
    const runNames = (body: { runs?: { info: { run_name: string } }[] }) =>
      (body.runs ?? []).map((r) => r.info.run_name);
    expect(
      runNames(
        (await search({ filter: "metrics.m0 > 0.5 and params.opt = 'adam'", order_by: ["metrics.m0 DESC"] })).body,
      ),
    ).toEqual(["g3", "g1"]);
    // Default order: newest start first; MLflow's offset tokens, byte for byte.
    const first = await search({ max_results: 2 });
    expect([runNames(first.body), first.body.next_page_token]).toEqual([["g4", "g3"], "eyJvZmZzZXQiOiAyfQ=="]);
    const second = await search({ max_results: 2, page_token: first.body.next_page_token });
    expect(runNames(second.body)).toEqual(["g2", "g1"]);
    expect(runNames((await search({ max_results: 10_000 })).body)).toHaveLength(5);
    await ml(me, "POST", "runs/delete", { body: { run_id: rids[0] } });
    expect(runNames((await search({ run_view_type: "DELETED_ONLY" })).body)).toEqual(["g0"]);
    expect(runNames((await search({ run_view_type: "ALL" })).body)).toHaveLength(5);
    expect((await search({ experiment_ids: ["0"] })).body).toEqual({});
    const run = (await search({ filter: "attributes.run_name = 'g1'" })).body.runs[0];
    expect(run).toMatchObject({
      info: { run_id: rids[1], experiment_id: exp },
      data: { params: [{ key: "opt", value: "adam" }] },
      inputs: {},
    });
    for (const body of [
      { filter: "metrics.m0 >> 1 or x" },
      { filter: "params.a = '1' OR params.b = '2'" },
      { order_by: ["metrics.m0 SIDEWAYS"] },
      { page_token: "nope" },
      { max_results: 50_001 },
    ]) {
      expect(await search(body)).toMatchObject({ status: 400, body: { error_code: "INVALID_PARAMETER_VALUE" } });
    }
  });
});
