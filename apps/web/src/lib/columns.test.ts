import { describe, expect, it } from "vitest";
import {
  defaultColumns,
  nextSort,
  parseSort,
  runColumns,
  sortParam,
  sortRuns,
  toggleColumn,
  visibleColumns,
} from "./columns";

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
  it("lists name and status, then metrics and params by name, then duration and start", () => {
    expect(runColumns(runs).map((c) => c.id)).toEqual([
      "name",
      "status",
      "metric:acc",
      "metric:loss",
      "param:batch",
      "param:lr",
      "param:opt",
      "duration",
      "start",
    ]);
  });
  it("shows a few of each kind by default, and keeps column order when toggling", () => {
    const columns = runColumns(runs);
    const picked = defaultColumns(columns, 1, 1);
    expect(picked).toEqual(["name", "status", "metric:acc", "param:batch", "duration", "start"]);
    const more = toggleColumn(picked, "param:lr");
    expect(visibleColumns(columns, more).map((c) => c.id)).toEqual([
      "name",
      "status",
      "metric:acc",
      "param:batch",
      "param:lr",
      "duration",
      "start",
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
  it("cycles a header through its first direction, the other, and off; loss starts lowest first, acc highest", () => {
    const loss = col("metric:loss");
    const acc = col("metric:acc");
    const name = col("name");
    if (!loss || !name || !acc) throw new Error("columns missing");
    expect(nextSort(null, loss)).toEqual({ column: "metric:loss", dir: "asc" });
    expect(nextSort({ column: "metric:loss", dir: "asc" }, loss)).toEqual({ column: "metric:loss", dir: "desc" });
    expect(nextSort({ column: "metric:loss", dir: "desc" }, loss)).toBeNull();
    expect(nextSort(null, acc)).toEqual({ column: "metric:acc", dir: "desc" });
    expect(nextSort({ column: "metric:loss", dir: "asc" }, name)).toEqual({ column: "name", dir: "asc" });
  });
  it("writes the sort into a URL param and reads it back", () => {
    expect(sortParam({ column: "metric:val/loss", dir: "asc" })).toBe("metric:val/loss:asc");
    expect(parseSort("metric:val/loss:asc")).toEqual({ column: "metric:val/loss", dir: "asc" });
    expect(parseSort("metric:loss")).toBeNull();
    expect(parseSort(null)).toBeNull();
  });
});
