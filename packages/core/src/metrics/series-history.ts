import type { Database } from "../db";
import type { metricSeries } from "../db/schema";
import { invalid } from "../shared/errors";
import { BUCKET_WIDTHS } from "./bucket-widths";
import { encodeMetricValue } from "./metric-value";
import type { MetricHistory } from "./schemas";
import { directReader, type Point, type SeriesReader } from "./series-reader";

type Series = typeof metricSeries.$inferSelect;
export interface HistoryWindow {
  key: string;
  max_points: number;
  start_step?: number | undefined;
  end_step?: number | undefined;
}

const floorDiv = (a: number, b: number) => Math.floor(a / b);
const byStep = (a: Point, b: Point) => a.step - b.step || a.timestamp - b.timestamp || a.value - b.value;

/** A step range whose start lies after its end is a 400. */
export function checkStepRange(input: { start_step?: number | undefined; end_step?: number | undefined }) {
  if (input.start_step !== undefined && input.end_step !== undefined && input.start_step > input.end_step) {
    throw invalid("start_step must not be greater than end_step", "start_step");
  }
}

/**
 * One series' points in a step range, downsampled to at most `max_points` (`series` undefined: none logged).
 * Long ranges read the pre-aggregated step buckets (metric_buckets) and only the partial buckets at the
 * two edges point by point; each bucket keeps its minimum and maximum point, plus the range's first and last.
 */
export async function seriesHistory(
  db: Database,
  tenantId: string,
  series: Series | undefined,
  input: HistoryWindow,
  reader: SeriesReader = directReader(db, tenantId),
): Promise<MetricHistory> {
  const empty = { key: input.key, points: [], total_points: 0, downsampled: false };
  if (!series || series.firstStep === null || series.lastStep === null) return empty;

  const start = Math.max(input.start_step ?? series.firstStep, series.firstStep);
  const end = Math.min(input.end_step ?? series.lastStep, series.lastStep);
  if (start > end) return empty;
  const raw = (from: number, to: number) =>
    from > to ? Promise.resolve([] as Point[]) : reader.raw(series.id, from, to);
  /** The first (asc) or last (desc) point of the range. */
  const endPoint = (dir: "asc" | "desc") => reader.endPoint(series.id, start, end, dir);
  const answer = (points: Point[], total: number, downsampled: boolean) => ({
    key: input.key,
    points: points.map((p) => ({ step: p.step, timestamp: p.timestamp, value: encodeMetricValue(p.value) })),
    total_points: total,
    downsampled,
  });

  const whole = start === series.firstStep && end === series.lastStep;
  if (whole && series.count <= input.max_points) return answer(await raw(start, end), series.count, false);

  const buckets = Math.max(1, Math.floor((input.max_points - 2) / 2) - 1);
  const wanted = Math.ceil((end - start + 1) / buckets);
  const level = [...BUCKET_WIDTHS].reverse().find((w) => w <= wanted);
  const candidates: Point[] = [];
  let total = 0;
  let width = wanted;
  if (level === undefined) {
    // A short range: read it point by point.
    const points = await raw(start, end);
    if (points.length <= input.max_points) return answer(points, points.length, false);
    candidates.push(...points);
    total = points.length;
  } else {
    // Whole pre-aggregated buckets inside the range, and the partial ones at its edges point by point.
    width = level * Math.ceil(wanted / level);
    const first = Math.ceil(start / level);
    const last = floorDiv(end + 1, level) - 1;
    const [rows, head, tail] = await Promise.all([
      first > last ? Promise.resolve([]) : reader.buckets(series.id, level, first, last),
      raw(start, Math.min(end, first * level - 1)),
      raw(Math.max(start, (last + 1) * level), end),
    ]);
    total = head.length + tail.length + rows.reduce((n, r) => n + r.count, 0);
    if (total <= input.max_points) {
      const points = await raw(start, end);
      return answer(points, points.length, false);
    }
    candidates.push(...head, ...tail);
    for (const r of rows) {
      if (r.minStep !== null && r.minTimestamp !== null && r.minValue !== null) {
        candidates.push({ step: r.minStep, timestamp: r.minTimestamp, value: r.minValue });
      }
      if (r.maxStep !== null && r.maxTimestamp !== null && r.maxValue !== null) {
        candidates.push({ step: r.maxStep, timestamp: r.maxTimestamp, value: r.maxValue });
      }
    }
  }

  const extremes = new Map<number, { min: Point; max: Point }>();
  for (const p of candidates) {
    if (Number.isNaN(p.value)) continue;
    const bucket = floorDiv(p.step, width);
    const seen = extremes.get(bucket);
    if (!seen) extremes.set(bucket, { min: p, max: p });
    else {
      if (p.value < seen.min.value) seen.min = p;
      if (p.value > seen.max.value) seen.max = p;
    }
  }
  const [firstPoint, lastPoint] = await Promise.all([endPoint("asc"), endPoint("desc")]);
  const ends = [...firstPoint, ...lastPoint];
  let kept = unique([...ends, ...[...extremes.values()].flatMap((e) => [e.min, e.max])]);
  if (kept.length > input.max_points) {
    // Under 6 points there is no room for two buckets: the ends, then the highest and the lowest point.
    const all = [...extremes.values()];
    const highest = all
      .map((e) => e.max)
      .reduce<Point | undefined>((a, p) => (a && a.value >= p.value ? a : p), undefined);
    const lowest = all
      .map((e) => e.min)
      .reduce<Point | undefined>((a, p) => (a && a.value <= p.value ? a : p), undefined);
    kept = unique([...ends, ...(highest ? [highest] : []), ...(lowest ? [lowest] : [])]).slice(0, input.max_points);
  }
  return answer(kept.sort(byStep), total, true);
}

/** The points without repeats (the same step, timestamp and value), in their first order. */
function unique(points: Point[]): Point[] {
  return [...new Map(points.map((p) => [`${p.step}:${p.timestamp}:${p.value}`, p])).values()];
}
