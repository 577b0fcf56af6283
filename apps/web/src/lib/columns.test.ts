import { describe, expect, it } from "vitest";
import { defaultColumns, nextSort, runColumns, sortRuns, toggleColumn, visibleColumns } from "./columns";

const run = (name: string, params: Record<string, string>, metrics: Record<string, number | "NaN">, start = 0) => ({
  name,
  status: "FINISHED" as const,
  start_time: new Date(Date.UTC(2026, 0, 1) + start * 1000).toISOString(),
  end_time: new Date(Date.UTC(2026, 0, 1) + (start + 10) * 1000).toISOString(),
  params,
  metrics: Object.fromEntries(Object.entries(metrics).map(([k, value]) => [k, { value, step: 1, timestamp: 0 }])),
});

const runs = [
  run("a", { lr: "0.1", opt: "adam" }, { loss: 0.5, acc: 0.7 }, 1),
  run("b", { lr: "0.01" }, { loss: 0.2 }, 3),
  run("c", { lr: "1e-3", batch: "64" }, { loss: "NaN", acc: 0.9 }, 2),
];

describe("runColumns", () => {
  it("lists the fixed columns, then params and metrics by name", () => {
    expect(runColumns(runs).map((c) => c.id)).toEqual([
      "name",
      "status",
      "start",
      "duration",
      "param:batch",
      "param:lr",
      "param:opt",
      "metric:acc",
      "metric:loss",
    ]);
  });
  it("shows a few of each kind by default, and keeps column order when toggling", () => {
    const columns = runColumns(runs);
    const picked = defaultColumns(columns, 1);
    expect(picked).toEqual(["name", "status", "start", "duration", "param:batch", "metric:acc"]);
    const more = toggleColumn(picked, "param:lr");
    expect(visibleColumns(columns, more).map((c) => c.id)).toEqual([
      "name",
      "status",
      "start",
      "duration",
      "param:batch",
      "param:lr",
      "metric:acc",
    ]);
    expect(toggleColumn(more, "param:lr")).toEqual(picked);
  });
});

describe("sortRuns", () => {
  const columns = runColumns(runs);
  const col = (id: string) => columns.find((c) => c.id === id);
  it("sorts numeric params as numbers", () => {
    expect(sortRuns(runs, col("param:lr"), "asc").map((r) => r.name)).toEqual(["c", "b", "a"]);
  });
  it("puts missing and NaN values last in both directions", () => {
    expect(sortRuns(runs, col("metric:loss"), "asc").map((r) => r.name)).toEqual(["b", "a", "c"]);
    expect(sortRuns(runs, col("metric:loss"), "desc").map((r) => r.name)).toEqual(["a", "b", "c"]);
    expect(sortRuns(runs, col("param:opt"), "desc").map((r) => r.name)).toEqual(["a", "b", "c"]);
  });
  it("sorts by start time and leaves the input alone", () => {
    const copy = [...runs];
    expect(sortRuns(runs, col("start"), "desc").map((r) => r.name)).toEqual(["b", "c", "a"]);
    expect(runs).toEqual(copy);
  });
  it("cycles a header through first direction, the other, and off", () => {
    const loss = col("metric:loss");
    const name = col("name");
    if (!loss || !name) throw new Error("columns missing");
    expect(nextSort(null, loss)).toEqual({ column: "metric:loss", dir: "desc" });
    expect(nextSort({ column: "metric:loss", dir: "desc" }, loss)).toEqual({ column: "metric:loss", dir: "asc" });
    expect(nextSort({ column: "metric:loss", dir: "asc" }, loss)).toBeNull();
    expect(nextSort({ column: "metric:loss", dir: "asc" }, name)).toEqual({ column: "name", dir: "asc" });
  });
});
