import { LIMITS } from "@stepwise/core/schemas";
import type { Comparison } from "./api";
import type { Direction } from "./direction";
import { metricNumber } from "./format";

/** Runs a comparison takes: 2 up to what one bulk history request reads. */
export const COMPARE_MIN = 2;
export const COMPARE_MAX = LIMITS.historyBulkRuns;

type MetricRow = Comparison["metrics"][number];

/** The run whose last value is best for the direction (NaN ignored); undefined when no run has a number. */
export function bestRun(row: MetricRow, direction: Direction): string | undefined {
  let best: { id: string; value: number } | undefined;
  for (const [id, summary] of Object.entries(row.runs)) {
    if (!summary) continue;
    const value = metricNumber(summary.last);
    if (Number.isNaN(value)) continue;
    if (!best || (direction === "min" ? value < best.value : value > best.value)) best = { id, value };
  }
  return best?.id;
}

/** The run IDs in groups that `runs.compare` takes (at most LIMITS.compareRunsMax each, never a group of one). */
export function compareGroups(ids: readonly string[], size: number = LIMITS.compareRunsMax): string[][] {
  const groups: string[][] = [];
  for (let i = 0; i < ids.length; i += size) groups.push(ids.slice(i, i + size));
  const last = groups.at(-1);
  if (groups.length > 1 && last && last.length < LIMITS.compareRunsMin) {
    // Move one run from the group before, so the last group has two.
    const before = groups[groups.length - 2] as string[];
    last.unshift(before.pop() as string);
  }
  return groups;
}

/** One comparison of all runs from the answers of their groups: runs in order, metrics and params joined. */
export function mergeComparisons(parts: readonly Comparison[]): Comparison {
  const runs = parts.flatMap((p) => p.runs);
  const metricKeys = [...new Set(parts.flatMap((p) => p.metrics.map((m) => m.key)))].sort();
  const metrics = metricKeys.map((key) => ({
    key,
    runs: Object.fromEntries(
      runs.map((run) => {
        const part = parts.find((p) => p.runs.some((r) => r.id === run.id));
        return [run.id, part?.metrics.find((m) => m.key === key)?.runs[run.id] ?? null];
      }),
    ),
  }));
  const paramKeys = [...new Set(runs.flatMap((r) => Object.keys(r.params)))].sort();
  const params = paramKeys.map((key) => {
    const values = Object.fromEntries(
      runs.map((r) => [r.id, Object.hasOwn(r.params, key) ? (r.params[key] ?? null) : null]),
    );
    return { key, values, differs: new Set(Object.values(values)).size > 1 };
  });
  return { runs, metrics, params };
}
