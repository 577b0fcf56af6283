import { and, asc, between, desc, eq, inArray, or, type SQL } from "drizzle-orm";
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
 * The same reads for many series at once: the reads asked for in one turn of the event loop go to the database
 * as one query per kind (points, buckets, first points, last points), each series a branch of its WHERE.
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
  const pointBranches = (reqs: Range[]): SQL | undefined =>
    or(...reqs.map((r) => and(eq(metricPoints.seriesId, r.id), between(metricPoints.step, r.from, r.to))));

  const raw = batch<Range, Point[]>(async (reqs) => {
    const rows = await db
      .select({ seriesId: metricPoints.seriesId, ...columns })
      .from(metricPoints)
      .where(and(eq(metricPoints.tenantId, tenantId), pointBranches(reqs)))
      .orderBy(asc(metricPoints.seriesId), ...order(asc));
    const map = bySeries(rows);
    return reqs.map((r) => (map.get(r.id) ?? []).filter((p) => p.step >= r.from && p.step <= r.to).map(strip));
  });
  const buckets = batch<{ id: number; level: number; first: number; last: number }, BucketRow[]>(async (reqs) => {
    const rows = await db
      .select()
      .from(metricBuckets)
      .where(
        and(
          eq(metricBuckets.tenantId, tenantId),
          inArray(metricBuckets.seriesId, [...new Set(reqs.map((r) => r.id))]),
          or(
            ...reqs.map((r) =>
              and(
                eq(metricBuckets.seriesId, r.id),
                eq(metricBuckets.width, r.level),
                between(metricBuckets.bucket, r.first, r.last),
              ),
            ),
          ),
        ),
      );
    const map = bySeries(rows);
    return reqs.map((r) =>
      (map.get(r.id) ?? []).filter((b) => b.width === r.level && b.bucket >= r.first && b.bucket <= r.last),
    );
  });
  /** The first or last point of each range: DISTINCT ON the series, so one range per series and query. */
  const ends = (dir: typeof asc) =>
    batch<Range, Point[]>(async (reqs) => {
      const groups: Range[][] = [];
      for (const r of reqs) {
        const group = groups.find((g) => !g.some((x) => x.id === r.id));
        if (group) group.push(r);
        else groups.push([r]);
      }
      const found = new Map<Range, Point[]>();
      for (const group of groups) {
        const rows = await db
          .selectDistinctOn([metricPoints.seriesId], { seriesId: metricPoints.seriesId, ...columns })
          .from(metricPoints)
          .where(and(eq(metricPoints.tenantId, tenantId), pointBranches(group)))
          .orderBy(asc(metricPoints.seriesId), ...order(dir));
        const map = bySeries(rows);
        for (const r of group) found.set(r, (map.get(r.id) ?? []).map(strip));
      }
      return reqs.map((r) => found.get(r) ?? []);
    });
  const first = ends(asc);
  const last = ends(desc);
  return {
    raw: (id, from, to) => raw({ id, from, to }),
    buckets: (id, level, f, l) => buckets({ id, level, first: f, last: l }),
    endPoint: (id, start, end, dir) => (dir === "asc" ? first : last)({ id, from: start, to: end }),
  };
}
