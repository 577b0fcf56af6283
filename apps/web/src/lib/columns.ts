import type { Run } from "./api";
import { metricDirection } from "./direction";
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

const HEAD: Column[] = [
  { id: "name", kind: "name", label: "Name" },
  { id: "status", kind: "status", label: "Status" },
];
const TAIL: Column[] = [
  { id: "duration", kind: "duration", label: "Duration" },
  { id: "start", kind: "start", label: "Start" },
];

/**
 * Every column the runs allow, metrics first (what a laptop screen should show without scrolling): name and
 * status, each metric key, each param key (alphabetical), then duration and start.
 */
export function runColumns(runs: readonly RunRow[]): Column[] {
  const params = new Set<string>();
  const metrics = new Set<string>();
  for (const run of runs) {
    for (const key of Object.keys(run.params)) params.add(key);
    for (const key of Object.keys(run.metrics)) metrics.add(key);
  }
  const byName = (a: string, b: string) => a.localeCompare(b);
  return [
    ...HEAD,
    ...[...metrics].sort(byName).map((key): Column => ({ id: `metric:${key}`, kind: "metric", label: key, key })),
    ...[...params].sort(byName).map((key): Column => ({ id: `param:${key}`, kind: "param", label: key, key })),
    ...TAIL,
  ];
}

/** Shown until the user picks: the fixed columns, up to `metrics` metrics and `params` params (fits 1440 px). */
export function defaultColumns(columns: readonly Column[], metrics = 6, params = 3): string[] {
  return [
    ...HEAD.map((c) => c.id),
    ...columns
      .filter((c) => c.kind === "metric")
      .slice(0, metrics)
      .map((c) => c.id),
    ...columns
      .filter((c) => c.kind === "param")
      .slice(0, params)
      .map((c) => c.id),
    ...TAIL.map((c) => c.id),
  ];
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

/** The sort as a URL param ("metric:loss:asc"), and back (null for none or a malformed one). */
export const sortParam = (sort: Sort | null) => (sort ? `${sort.column}:${sort.dir}` : null);
export function parseSort(value: string | null): Sort | null {
  const match = value?.match(/^(.+):(asc|desc)$/);
  return match ? { column: match[1] as string, dir: match[2] as SortDir } : null;
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

/**
 * The direction a header sorts in first: a metric best first by its name's rule (lowest first for loss-like
 * names, highest first for accuracy-like ones and for names that do not say, see metricDirection); newest
 * start first; text A-Z, durations shortest first.
 */
export function firstSortDir(column: Column): SortDir {
  if (column.kind === "metric") return metricDirection(column.key ?? "") === "min" ? "asc" : "desc";
  return column.kind === "start" ? "desc" : "asc";
}

/** Clicking a header: sort by it (firstSortDir), again flips, a third time stops. */
export function nextSort(current: Sort | null, column: Column): Sort | null {
  const first = firstSortDir(column);
  if (current?.column !== column.id) return { column: column.id, dir: first };
  if (current.dir === first) return { column: column.id, dir: first === "asc" ? "desc" : "asc" };
  return null;
}
