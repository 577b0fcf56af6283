import { describe, expect, it } from "vitest";
import type { Comparison } from "./api";
import { bestRun, compareGroups, mergeComparisons } from "./compare";

const summary = (last: number | "NaN") => ({ last, last_step: 10, min: 0, max: 1, count: 10 });
const run = (id: string, params: Record<string, string>) => ({
  id,
  name: `run-${id}`,
  experiment_id: "e",
  status: "FINISHED" as const,
  start_time: "2026-01-01T00:00:00.000Z",
  end_time: null,
  params,
  tags: {},
});

describe("bestRun", () => {
  const row = { key: "loss", runs: { a: summary(0.5), b: summary(0.2), c: summary("NaN"), d: null } };
  it("picks the lowest or highest last value, skipping NaN and runs without the metric", () => {
    expect(bestRun(row, "min")).toBe("b");
    expect(bestRun(row, "max")).toBe("a");
    expect(bestRun({ key: "x", runs: { c: summary("NaN"), d: null } }, "min")).toBeUndefined();
  });
});

describe("more runs than one compare call takes", () => {
  it("cuts the IDs into groups of at most 10, none of a single run", () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => String(i));
    expect(compareGroups(ids(10)).map((g) => g.length)).toEqual([10]);
    expect(compareGroups(ids(21)).map((g) => g.length)).toEqual([10, 9, 2]);
    expect(compareGroups(ids(25)).map((g) => g.length)).toEqual([10, 10, 5]);
    expect(compareGroups(ids(21)).flat()).toEqual(ids(21));
  });
  it("joins the groups' answers: every run in order, metrics for all, params that differ across groups", () => {
    const first: Comparison = {
      runs: [run("a", { lr: "0.1", bs: "32" }), run("b", { lr: "0.1", bs: "32" })],
      metrics: [{ key: "loss", runs: { a: summary(1), b: summary(2) } }],
      params: [],
    };
    const second: Comparison = {
      runs: [run("c", { lr: "0.2", bs: "32" }), run("d", { bs: "32" })],
      metrics: [{ key: "acc", runs: { c: summary(0.5), d: null } }],
      params: [],
    };
    const merged = mergeComparisons([first, second]);
    expect(merged.runs.map((r) => r.id)).toEqual(["a", "b", "c", "d"]);
    expect(merged.metrics).toEqual([
      { key: "acc", runs: { a: null, b: null, c: summary(0.5), d: null } },
      { key: "loss", runs: { a: summary(1), b: summary(2), c: null, d: null } },
    ]);
    expect(merged.params).toEqual([
      { key: "bs", values: { a: "32", b: "32", c: "32", d: "32" }, differs: false },
      { key: "lr", values: { a: "0.1", b: "0.1", c: "0.2", d: null }, differs: true },
    ]);
  });
});
