import { and, asc, between, desc, eq, inArray } from "drizzle-orm";
import type { Database } from "../db";
import { metricBuckets, metricPoints } from "../db/schema";

export type Point = { step: number; timestamp: number; value: number };
export type BucketRow = typeof metricBuckets.$inferSelect;

/** The three reads of a history: points in a step range, pre-aggregated buckets, and a range's first or last point. */
export interface SeriesReader {
  raw(seriesId: number, from: number, to: number): Promise<Point[]>;
  buckets(seriesId: number, level: number, first: number, last: number): Promise<BucketRow[]>;
  endPoint(seriesId: number, start: number, end: number, dir: "asc" | "desc"): Promise<Point[]>;
}

const columns = { step: metricPoints.step, timestamp: metricPoints.timestamp, value: metricPoints.value };
const order = (by: typeof asc) => [by(metricPoints.step), by(metricPoints.timestamp), by(metricPoints.value)];

/** One query per read: for a single series. */
export function directReader(db: Database, tenantId: string): SeriesReader {
  const inSeries = (id: number) => and(eq(metricPoints.tenantId, tenantId), eq(metricPoints.seriesId, id));
  return {
    raw: (id, from, to) =>
      db
        .select(columns)
        .from(metricPoints)
        .where(and(inSeries(id), between(metricPoints.step, from, to)))
        .orderBy(...order(asc)),
    buckets: (id, level, first, last) =>
      db
        .select()
        .from(metricBuckets)
        .where(
          and(
            eq(metricBuckets.tenantId, tenantId),
            eq(metricBuckets.seriesId, id),
            eq(metricBuckets.width, level),
            between(metricBuckets.bucket, first, last),
          ),
        ),
    endPoint: (id, start, end, dir) =>
      db
        .select(columns)
        .from(metricPoints)
        .where(and(inSeries(id), between(metricPoints.step, start, end)))
        .orderBy(...order(dir === "asc" ? asc : desc))
        .limit(1),
  };
}

/**
 * The same reads for many series at once: the point and bucket reads asked for in one turn of the event loop go
 * to the database together (`series_id IN (...)`): one bucket query, one point query per distinct step range.
 */
export function batchedReader(db: Database, tenantId: string): SeriesReader {
  const batch = <Req, Res>(run: (reqs: Req[]) => Promise<Res[]>) => {
    let queue: { req: Req; done: (r: Res) => void; fail: (e: unknown) => void }[] = [];
    return (req: Req) =>
      new Promise<Res>((done, fail) => {
        if (queue.length === 0)
          setImmediate(() => {
            const taken = queue;
            queue = [];
            run(taken.map((t) => t.req)).then(
              (results) => {
                for (const [i, t] of taken.entries()) t.done(results[i] as Res);
              },
              (error) => {
                for (const t of taken) t.fail(error);
              },
            );
          });
        queue.push({ req, done, fail });
      });
  };
  const bySeries = <T extends { seriesId: number }>(rows: T[]) => {
    const map = new Map<number, T[]>();
    for (const r of rows) map.set(r.seriesId, [...(map.get(r.seriesId) ?? []), r]);
    return map;
  };
  const strip = ({ step, timestamp, value }: Point) => ({ step, timestamp, value });
  type Range = { id: number; from: number; to: number };

  // Points: one query per distinct step range (the series of a sweep share theirs), by `series_id IN (...)`.
  const raw = batch<Range, Point[]>(async (reqs) => {
    const ranges = new Map<string, Range[]>();
    for (const r of reqs) ranges.set(`${r.from}:${r.to}`, [...(ranges.get(`${r.from}:${r.to}`) ?? []), r]);
    const found = new Map<Range, Point[]>();
    for (const group of ranges.values()) {
      const { from, to } = group[0] as Range;
      const rows = await db
        .select({ seriesId: metricPoints.seriesId, ...columns })
        .from(metricPoints)
        .where(
          and(
            eq(metricPoints.tenantId, tenantId),
            inArray(metricPoints.seriesId, [...new Set(group.map((r) => r.id))]),
            between(metricPoints.step, from, to),
          ),
        )
        .orderBy(asc(metricPoints.seriesId), ...order(asc));
      const map = bySeries(rows);
      for (const r of group) found.set(r, (map.get(r.id) ?? []).map(strip));
    }
    return reqs.map((r) => found.get(r) ?? []);
  });
  // Buckets: one query for every series and level asked, the bucket ranges kept in memory.
  const buckets = batch<{ id: number; level: number; first: number; last: number }, BucketRow[]>(async (reqs) => {
    const rows = await db
      .select()
      .from(metricBuckets)
      .where(
        and(
          eq(metricBuckets.tenantId, tenantId),
          inArray(metricBuckets.seriesId, [...new Set(reqs.map((r) => r.id))]),
          inArray(metricBuckets.width, [...new Set(reqs.map((r) => r.level))]),
        ),
      );
    const map = bySeries(rows);
    return reqs.map((r) =>
      (map.get(r.id) ?? []).filter((b) => b.width === r.level && b.bucket >= r.first && b.bucket <= r.last),
    );
  });
  // A range's first and last point stay one indexed LIMIT 1 lookup each (a batched form would sort every point).
  const direct = directReader(db, tenantId);
  return {
    raw: (id, from, to) => raw({ id, from, to }),
    buckets: (id, level, f, l) => buckets({ id, level, first: f, last: l }),
    endPoint: direct.endPoint,
  };
}
