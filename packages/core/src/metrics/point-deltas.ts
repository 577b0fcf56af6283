import { BUCKET_WIDTHS } from "./bucket-widths";

export interface SeriesPoint {
  seriesId: number;
  step: number;
  timestamp: number;
  value: number;
}
type Extreme = { step: number; timestamp: number; value: number };

/** Doubles as PostgreSQL orders them: NaN above every number and equal to itself. */
const compareValues = (a: number, b: number) =>
  Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : Number.isNaN(b) ? -1 : Math.sign(a - b);
const latestFirst = (a: Extreme, b: Extreme) =>
  a.step - b.step || a.timestamp - b.timestamp || compareValues(a.value, b.value);
/** The lowest point: least value, then earliest step and timestamp. */
const lower = (a: Extreme, b: Extreme) => a.value - b.value || a.step - b.step || a.timestamp - b.timestamp;
/** The highest point: greatest value, then earliest step and timestamp. */
const higher = (a: Extreme, b: Extreme) => b.value - a.value || a.step - b.step || a.timestamp - b.timestamp;

interface Bucket {
  seriesId: number;
  width: number;
  bucket: number;
  n: number;
  lo: Extreme | null;
  hi: Extreme | null;
}

/**
 * What a batch of new points adds to each series' summary and to each step bucket, computed here for the
 * COPY path with exactly the semantics of the SQL in write-points.ts (the tests compare both with a scan).
 */
export function pointDeltas(points: SeriesPoint[]) {
  const series = new Map<number, { n: number; min: number | null; max: number | null; first: number; last: Extreme }>();
  const buckets = new Map<string, Bucket>();
  for (const p of points) {
    const s = series.get(p.seriesId);
    const finite = !Number.isNaN(p.value);
    if (!s) {
      series.set(p.seriesId, {
        n: 1,
        min: finite ? p.value : null,
        max: finite ? p.value : null,
        first: p.step,
        last: p,
      });
    } else {
      s.n++;
      if (finite) {
        s.min = s.min === null ? p.value : Math.min(s.min, p.value);
        s.max = s.max === null ? p.value : Math.max(s.max, p.value);
      }
      s.first = Math.min(s.first, p.step);
      if (latestFirst(p, s.last) > 0) s.last = p;
    }
    for (const width of BUCKET_WIDTHS) {
      const bucket = Math.floor(p.step / width);
      const id = `${p.seriesId}/${width}/${bucket}`;
      const b = buckets.get(id) ?? { seriesId: p.seriesId, width, bucket, n: 0, lo: null, hi: null };
      buckets.set(id, b);
      b.n++;
      if (finite) {
        if (!b.lo || lower(p, b.lo) < 0) b.lo = p;
        if (!b.hi || higher(p, b.hi) < 0) b.hi = p;
      }
    }
  }
  return { series: [...series].map(([seriesId, s]) => ({ seriesId, ...s })), buckets: [...buckets.values()] };
}
