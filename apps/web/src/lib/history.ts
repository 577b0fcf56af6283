import { LIMITS } from "@stepwise/core/schemas";
import type { History, Inputs } from "./api";
import { formatMetric, metricNumber } from "./format";

/** A chart's zoomed step range, both ends included. */
export interface StepWindow {
  start: number;
  end: number;
}

/** Points asked for the whole series: enough for a wide chart, cheap for the server (bucketed). */
export const OVERVIEW_POINTS = LIMITS.historyPointsDefault;

/**
 * The `runs.metricHistory` request of one chart: the whole series downsampled to OVERVIEW_POINTS, or, when
 * zoomed, just the window's steps with the most points the API gives, so a window of up to 10000 stored
 * points comes back at full detail (`downsampled: false`).
 */
export function historyInput(id: string, key: string, window: StepWindow | null): Inputs["runs"]["metricHistory"] {
  if (!window) return { id, key, max_points: OVERVIEW_POINTS };
  return { id, key, start_step: window.start, end_step: window.end, max_points: LIMITS.historyPointsMax };
}

/**
 * The step window of a drag-selection between two x values (in steps, any order, fractional): whole steps
 * that the selection covers, or null when it covers less than two steps (nothing to zoom into).
 */
export function selectionWindow(a: number, b: number): StepWindow | null {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return null;
  const start = Math.ceil(Math.min(a, b));
  const end = Math.floor(Math.max(a, b));
  const clamp = (n: number) => Math.max(Number.MIN_SAFE_INTEGER, Math.min(Number.MAX_SAFE_INTEGER, n));
  return end > start ? { start: clamp(start), end: clamp(end) } : null;
}

/** Points as uPlot's columns: steps, and values with NaN as gaps (infinities too: they cannot be drawn). */
export function historyColumns(history: Pick<History, "points"> | undefined): [number[], (number | null)[]] {
  const steps: number[] = [];
  const values: (number | null)[] = [];
  for (const point of history?.points ?? []) {
    const n = metricNumber(point.value);
    steps.push(point.step);
    values.push(Number.isFinite(n) ? n : null);
  }
  return [steps, values];
}

/**
 * Several series on one x axis (uPlot wants one shared, sorted x): the union of steps, each series holding
 * null where it has no point. A step logged twice keeps its last value.
 */
export function alignSeries(series: readonly [number[], (number | null)[]][]): [number[], ...(number | null)[][]] {
  const steps = [...new Set(series.flatMap(([xs]) => xs))].sort((a, b) => a - b);
  const index = new Map(steps.map((step, i) => [step, i]));
  const columns = series.map(([xs, ys]) => {
    const column: (number | null)[] = new Array(steps.length).fill(null);
    xs.forEach((x, i) => {
      column[index.get(x) ?? 0] = ys[i] ?? null;
    });
    return column;
  });
  return [steps, ...columns];
}

/** A step window as a URL param ("100-200", "-5-10") and back; null for none or a malformed one. */
export const windowParam = (window: StepWindow | null) => (window ? `${window.start}-${window.end}` : null);
export function parseWindow(value: string | null): StepWindow | null {
  const match = value?.match(/^(-?\d+)-(-?\d+)$/);
  return match ? selectionWindow(Number(match[1]), Number(match[2])) : null;
}

/**
 * The text alternative of a chart: per series its step range, last value, lowest and highest (of the points
 * drawn), so a screen reader hears what the lines show.
 */
export function chartSummary(metric: string, data: readonly (readonly (number | null)[])[], labels: readonly string[]) {
  const steps = data[0] ?? [];
  const parts = labels.map((label, i) => {
    const values = data[i + 1] ?? [];
    let first: number | undefined;
    let last: number | undefined;
    let low = Number.POSITIVE_INFINITY;
    let high = Number.NEGATIVE_INFINITY;
    values.forEach((v, j) => {
      if (v === null) return;
      first ??= j;
      last = j;
      low = Math.min(low, v);
      high = Math.max(high, v);
    });
    if (first === undefined || last === undefined) return `${label}: no points`;
    return `${label}: steps ${steps[first]} to ${steps[last]}, last ${formatMetric(values[last])}, lowest ${formatMetric(low)}, highest ${formatMetric(high)}`;
  });
  return `Line chart of ${metric}. ${parts.join("; ")}.`;
}
