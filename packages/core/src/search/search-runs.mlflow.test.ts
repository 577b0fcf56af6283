import { beforeAll, describe, expect, it } from "vitest";
import { searchFixture } from "./fixture.test-helper";

// MLflow's search_runs semantics (its SQL store and tests: tests/store/tracking/test_sqlalchemy_store.py), on the
// same data as its tests where they have one. Results in the default order: newest start first.
const f = await searchFixture();
let r1: string;
beforeAll(async () => {
  r1 = await f.run({
    name: "r1",
    params: { generic_param: "p_val", generic_2: "some value", p_a: "abc", "my key": "x", under_score: "a_b" },
    tags: { generic_tag: "p_val", p_a: "abc", "mlflow.user": "alice", "dotted.key": "d" },
    metrics: [
      ["common", 1, 1, 0],
      ["measure_a", 1, 1, 0],
      ["m_a", 2, 2, 0],
    ],
  });
  await f.run({
    name: "r2",
    params: { generic_param: "p_val", generic_2: "another value", p_b: "ABC", under_score: "axb" },
    tags: { generic_tag: "p_val", p_b: "ABC", "mlflow.user": "bob" },
    metrics: [
      ["common", 1, 1, 0],
      ["measure_a", 200, 2, 0],
      ["measure_a", 400, 3, 0],
      ["m_b", 3, 2, 0],
      ["m_b", 4, 8, 0], // the greatest step wins, not the last logged
      ["m_b", 8, 3, 0],
      ["ts", 1, 5, 10],
      ["ts", 2, 5, 20], // same step: the greatest timestamp wins
      ["ts", 3, 4, 30],
    ],
  });
});

describe("metrics: the latest value, numeric comparators", () => {
  it.each([
    ["metrics.common = 1.0", ["r2", "r1"]],
    ["metrics.common > 0.0", ["r2", "r1"]],
    ["metrics.common >= 0.0", ["r2", "r1"]],
    ["metrics.common < 4.0", ["r2", "r1"]],
    ["metrics.common <= 4.0", ["r2", "r1"]],
    ["metrics.common != 1.0", []],
    ["metrics.common >= 3.0", []],
    ["metrics.measure_a < 50.0", ["r1"]],
    ["metrics.measure_a != -12.0", ["r2", "r1"]],
    ["metrics.measure_a = 400.0", ["r2"]],
    ["metrics.m_a > 1.0", ["r1"]],
    ["metrics.m_b > 5.0", []],
    ["metrics.m_b = 4.0", ["r2"]],
    ["metrics.ts = 2", ["r2"]],
    // A run without the key never matches, != included.
    ["metrics.m_a != 99", ["r1"]],
  ])("%s", async (filter, expected) => {
    expect(await f.names(filter)).toEqual(expected);
  });
});

describe("params, tags and attributes: strings, byte-wise", () => {
  it.each([
    ["params.generic_param = 'p_val'", ["r2", "r1"]],
    ["params.generic_2 = 'some value'", ["r1"]],
    ["params.generic_param != 'p_val'", []],
    ["params.generic_2 != 'wrong_val'", ["r2", "r1"]],
    ["params.p_a = 'ABC'", []],
    ["params.p_a != 'ABC'", ["r1"]],
    ["params.generic_2 LIKE '%other%'", ["r2"]],
    ["params.generic_2 LIKE 'other%'", []],
    ["params.generic_2 LIKE '%Other%'", []],
    ["params.generic_2 ILIKE '%Other%'", ["r2"]],
    ['params.generic_2 = "another value"', ["r2"]],
    ["params.`my key` = 'x'", ["r1"]],
    ["params.\"my key\" = 'x'", ["r1"]],
    // LIKE escapes as MLflow's SQL store on PostgreSQL: backslash makes _ and % literal.
    ["params.under_score LIKE 'a_b'", ["r2", "r1"]],
    ["params.under_score LIKE 'a\\_b'", ["r1"]],
    ["tags.generic_tag = 'P_VAL'", []],
    ["tags.generic_tag != 'P_VAL'", ["r2", "r1"]],
    ["tags.generic_2 = 'x'", []],
    ["tags.`dotted.key` = 'd'", ["r1"]],
    ["tags.generic_tag ILIKE 'P_VAL' and tags.p_b = 'ABC'", ["r2"]],
    ["attributes.status = 'RUNNING'", ["r2", "r1"]],
    ["attribute.status != 'RUNNING'", []],
    ["attributes.run_name = 'r1'", ["r1"]],
    ["attributes.`Run name` = 'r2'", ["r2"]],
    ["run_name LIKE 'r%' and status = 'RUNNING'", ["r2", "r1"]],
    ["attributes.user_id = 'alice'", ["r1"]],
    ["attributes.artifact_uri LIKE '%/artifacts'", ["r2", "r1"]],
    ["attributes.start_time > 0", ["r2", "r1"]],
    [`attributes.created > ${Date.UTC(2026, 0, 1) + 500}`, ["r2"]],
    ["attributes.end_time > 0", []],
    ["params.generic_param = 'p_val' and metrics.common = 1.0 and metrics.m_a > 1.0 and params.p_a LIKE 'a%'", ["r1"]],
    ["params.random_bad_name = 'p_val' and metrics.common = 1.0", []],
  ])("%s", async (filter, expected) => {
    expect(await f.names(filter)).toEqual(expected);
  });

  it("run_id with =, !=, IN and NOT IN, also in MLflow's 32-hex form", async () => {
    const hex = r1.replace(/-/g, "");
    expect(await f.names(`attributes.run_id = '${r1}'`)).toEqual(["r1"]);
    expect(await f.names(`attributes.run_id = '${hex}'`)).toEqual(["r1"]);
    expect(await f.names(`attributes.run_id != '${r1}'`)).toEqual(["r2"]);
    expect(await f.names(`attributes.run_id IN ('${hex}', 'nope')`)).toEqual(["r1"]);
    expect(await f.names(`attributes.run_id NOT IN ('${r1}')`)).toEqual(["r2"]);
    expect(await f.names("attributes.run_id = 'not-a-run-id'")).toEqual([]);
  });
});
