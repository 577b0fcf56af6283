import { beforeAll, describe, expect, it } from "vitest";
import { searchFixture } from "./fixture.test-helper";

// The constructs beyond MLflow's grammar, and NaN as MLflow compares and sorts it.
const f = await searchFixture();
beforeAll(async () => {
  await f.run({
    name: "a",
    params: { opt: "adam", lr: "0.0001", layers: "2" },
    tags: { team: "x" },
    metrics: [
      ["loss", 5, 0],
      ["loss", 1, 1],
      ["loss", "NaN", 2],
      ["loss", 3, 3],
    ],
  });
  await f.run({
    name: "b",
    params: { opt: "sgd", lr: "0.01", layers: "10" },
    metrics: [
      ["loss", 2, 0],
      ["loss", 4, 1],
    ],
  });
  await f.run({ name: "c", params: { opt: "adam", lr: "abc" }, tags: { team: "y" }, metrics: [["loss", "NaN", 0]] });
  await f.run({ name: "d", tags: { team: "x" } });
});

describe("boolean structure", () => {
  it.each([
    ["params.opt = 'sgd' OR params.opt = 'adam' AND tags.team = 'x'", ["b", "a"]],
    ["(params.opt = 'sgd' OR params.opt = 'adam') AND tags.team = 'x'", ["a"]],
    // NOT matches exactly the runs that its operand does not: a run lacking the key included.
    ["NOT params.opt = 'adam'", ["d", "b"]],
    ["NOT (metrics.loss > 2.5)", ["d", "c"]],
    ["NOT NOT tags.team = 'x'", ["d", "a"]],
    ["not params.opt != 'adam'", ["d", "c", "a"]],
  ])("%s", async (filter, expected) => {
    expect(await f.names(filter)).toEqual(expected);
  });
});

describe("comparators beyond MLflow's", () => {
  it.each([
    ["params.opt IN ('sgd', 'none')", ["b"]],
    ["params.opt NOT IN ('sgd')", ["c", "a"]],
    ["tags.team IS NULL", ["b"]],
    ["tags.team IS NOT NULL", ["d", "c", "a"]],
    ["metrics.loss IS NULL", ["d"]],
    ["metrics.loss BETWEEN 3 AND 4", ["b", "a"]],
    ["params.opt RLIKE '^(ad|sg)'", ["c", "b", "a"]],
    ["params.opt RLIKE 'AM$'", []],
    // A number against a param compares as numbers; a value that is not one does not match.
    ["params.lr < 1e-3", ["a"]],
    ["params.layers > 3", ["b"]],
    ["params.layers > '3'", []],
    ["params.lr BETWEEN 0.001 AND 1", ["b"]],
    ["created_at > 0", ["d", "c", "b", "a"]],
    ["start_time BETWEEN '2026-01-01T00:00:00Z' AND '2026-01-01T00:00:01Z'", ["b", "a"]],
  ])("%s", async (filter, expected) => {
    expect(await f.names(filter)).toEqual(expected);
  });

  it("parent_run_id finds nested runs (and IS NULL the top-level ones)", async () => {
    const parent = f.byName.get("a") as string;
    await f.run({ name: "child", parent, start: -1 });
    expect(await f.names(`parent_run_id = '${parent}'`)).toEqual(["child"]);
    expect(await f.names(`parent_run_id IN ('${parent.replace(/-/g, "")}')`)).toEqual(["child"]);
    expect(await f.names("parent_run_id IS NULL")).toEqual(["d", "c", "b", "a"]);
    expect(await f.names("parent_run_id IS NOT NULL")).toEqual(["child"]);
  });

  it("an invalid regular expression is a 400, not a 500", async () => {
    await expect(f.names("params.opt RLIKE '(unclosed'")).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
      message: expect.stringContaining("RLIKE pattern is not a valid regular expression"),
    });
  });
});

describe("aggregates over the whole series", () => {
  it.each([
    // a: 5, 1, NaN, 3 (steps 0-3); b: 2, 4; c: NaN.
    ["min(metrics.loss) < 1.5", ["a"]],
    ["max(metrics.loss) >= 4", ["b", "a"]],
    ["max(metrics.loss) IS NULL", ["d", "c", "child"]],
    ["avg(metrics.loss) = 3", ["b", "a"]],
    ["count(metrics.loss) = 4", ["a"]],
    ["count(metrics.loss) >= 1", ["c", "b", "a"]],
    ["first(metrics.loss) = 5", ["a"]],
    ["last_step(metrics.loss) = 1", ["b"]],
  ])("%s", async (filter, expected) => {
    expect(await f.names(filter)).toEqual(expected);
  });
});

describe("NaN, as MLflow's SQL store compares and sorts it", () => {
  it("compares a NaN latest value as 0 (MLflow stores NaN as 0 with an is_nan flag)", async () => {
    expect(await f.names("metrics.loss = 0")).toEqual(["c"]);
    expect(await f.names("metrics.loss < 1")).toEqual(["c"]);
    expect(await f.names("metrics.loss > 100")).toEqual([]);
    expect(await f.names("metrics.loss != 0")).toEqual(["b", "a"]);
  });

  it("sorts NaN after every number and before missing keys, in both directions", async () => {
    await f.run({ name: "inf", metrics: [["loss", "Infinity"]] });
    await f.run({ name: "-inf", metrics: [["loss", "-Infinity"]] });
    const all = "tags.none IS NULL";
    expect(await f.names(all, ["metrics.loss ASC"])).toEqual(["-inf", "a", "b", "inf", "c", "d", "child"]);
    expect(await f.names(all, ["metrics.loss DESC"])).toEqual(["inf", "b", "a", "-inf", "c", "d", "child"]);
  });
});
