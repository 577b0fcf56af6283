import type { Run } from "./api";
import { metricNumber, runDuration } from "./format";

export type ColumnKind = "status" | "name" | "start" | "duration" | "param" | "metric";

export interface Column {
  /** "status", "name", "start", "duration", "param:<key>" or "metric:<key>". */
  id: string;
  kind: ColumnKind;
  label: string;
  /** The param or metric key. */
  key?: string;
}

export type SortDir = "asc" | "desc";
export interface Sort {
  column: string;
  dir: SortDir;
}

type RunRow = Pick<Run, "name" | "status" | "start_time" | "end_time" | "params" | "metrics">;

const BASE: Column[] = [
  { id: "name", kind: "name", label: "Name" },
  { id: "status", kind: "status", label: "Status" },
  { id: "start", kind: "start", label: "Start" },
  { id: "duration", kind: "duration", label: "Duration" },
];

/** Every column the runs allow: the fixed ones, then each param key, then each metric key (alphabetical). */
export function runColumns(runs: readonly RunRow[]): Column[] {
  const params = new Set<string>();
  const metrics = new Set<string>();
  for (const run of runs) {
    for (const key of Object.keys(run.params)) params.add(key);
    for (const key of Object.keys(run.metrics)) metrics.add(key);
  }
  const byName = (a: string, b: string) => a.localeCompare(b);
  return [
    ...BASE,
    ...[...params].sort(byName).map((key): Column => ({ id: `param:${key}`, kind: "param", label: key, key })),
    ...[...metrics].sort(byName).map((key): Column => ({ id: `metric:${key}`, kind: "metric", label: key, key })),
  ];
}

/** Shown until the user picks: the fixed columns and up to `perKind` params and metrics each. */
export function defaultColumns(columns: readonly Column[], perKind = 4): string[] {
  const params = columns.filter((c) => c.kind === "param").slice(0, perKind);
  const metrics = columns.filter((c) => c.kind === "metric").slice(0, perKind);
  return [...BASE.map((c) => c.id), ...params.map((c) => c.id), ...metrics.map((c) => c.id)];
}

/** The picked columns that exist, in the order of `columns` (so toggling one back on puts it in its place). */
export const visibleColumns = (columns: readonly Column[], picked: readonly string[]) =>
  columns.filter((c) => picked.includes(c.id));

export const toggleColumn = (picked: readonly string[], id: string) =>
  picked.includes(id) ? picked.filter((p) => p !== id) : [...picked, id];

/** The value a column sorts by: numbers where the data is numeric (params like "0.001" too), else text. */
export function sortValue(run: RunRow, column: Column, now = Date.now()): number | string | undefined {
  switch (column.kind) {
    case "name":
      return run.name;
    case "status":
      return run.status;
    case "start":
      return Date.parse(run.start_time);
    case "duration":
      return runDuration(run, now);
    case "param": {
      const value = run.params[column.key ?? ""];
      if (value === undefined) return undefined;
      const n = Number(value);
      return value.trim() !== "" && Number.isFinite(n) ? n : value;
    }
    case "metric": {
      const latest = run.metrics[column.key ?? ""];
      if (!latest) return undefined;
      const n = metricNumber(latest.value);
      return Number.isNaN(n) ? undefined : n;
    }
  }
}

/** A sorted copy: numbers before text, missing values (and NaN) last in either direction. */
export function sortRuns<T extends RunRow>(
  runs: readonly T[],
  column: Column | undefined,
  dir: SortDir,
  now = Date.now(),
) {
  if (!column) return [...runs];
  const sign = dir === "asc" ? 1 : -1;
  const keyed = runs.map((run) => ({ run, value: sortValue(run, column, now) }));
  keyed.sort((a, b) => {
    if (a.value === undefined || b.value === undefined) return a.value === b.value ? 0 : a.value === undefined ? 1 : -1;
    if (typeof a.value === "number" && typeof b.value === "number") return (a.value - b.value) * sign;
    if (typeof a.value === "number") return -1;
    if (typeof b.value === "number") return 1;
    return a.value.localeCompare(b.value, undefined, { numeric: true }) * sign;
  });
  return keyed.map((k) => k.run);
}

/** Clicking a header: sort by it (metrics start best-first high, text A-Z), again flips, a third time stops. */
export function nextSort(current: Sort | null, column: Column): Sort | null {
  const first: SortDir = column.kind === "metric" || column.kind === "start" ? "desc" : "asc";
  if (current?.column !== column.id) return { column: column.id, dir: first };
  if (current.dir === first) return { column: column.id, dir: first === "asc" ? "desc" : "asc" };
  return null;
}
