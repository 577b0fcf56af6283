import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { sql } from "drizzle-orm";
import type postgres from "postgres";
import type { Database } from "../db";
import { numberArray, queryRows } from "../db/rows";
import { pointDeltas } from "./point-deltas";
import { type AppendResult, appendPoints, mergeDeltas, type Point } from "./write-points";

/** Batches at least this large take the COPY path on PostgreSQL. */
export const COPY_MIN_POINTS = 200;

/** The postgres.js connection under a Drizzle transaction, when the database is PostgreSQL (not PGlite). */
export function postgresConnection(tx: Database): postgres.Sql | undefined {
  const client = (tx as unknown as { session?: { client?: { unsafe?: unknown } } }).session?.client;
  return typeof client?.unsafe === "function" ? (client as postgres.Sql) : undefined;
}

/**
 * appendPoints for large batches on PostgreSQL, inside the caller's transaction: lock the run and the series,
 * COPY the points (about twice as fast as INSERT), then fold the batch's figures, computed here, into the
 * summaries and buckets.
 */
export async function copyPoints(
  tx: Database,
  connection: postgres.Sql,
  tenantId: string,
  runId: string,
  ids: Map<string, number>,
  points: Point[],
): Promise<AppendResult> {
  const seriesList = [...new Set(ids.values())];
  const [lock] = await queryRows<{ stage: AppendResult["stage"]; series: { id: number; last: number | null }[] }>(
    tx,
    sql`with run as materialized (
          select e.lifecycle_stage as stage from runs r
          join experiments e on e.tenant_id = r.tenant_id and e.id = r.experiment_id
          where r.tenant_id = ${tenantId} and r.id = ${runId}
          for share of e),
        locked as materialized (
          select id, last_step from metric_series
          where tenant_id = ${tenantId} and id = any(${numberArray(seriesList)}::bigint[])
          order by id for update)
        select (select stage from run) as stage,
          (select json_agg(json_build_object('id', id, 'last', last_step)) from locked) as series`,
  );
  if (lock?.stage !== "active") return { stage: lock?.stage ?? null, inserted: 0 };

  const rows = points.map((p) => ({
    seriesId: ids.get(p.key) as number,
    step: p.step,
    timestamp: p.timestamp,
    value: p.value,
  }));
  // COPY cannot skip a point that is stored already, so it takes only batches that cannot hold one: every
  // point past its series' last stored step (the series rows are locked, so that stays true) and no point
  // twice in the batch. Anything else (a client's retry, say) takes the INSERT ... ON CONFLICT path.
  const lastStored = new Map((lock.series ?? []).map((s) => [Number(s.id), s.last === null ? null : Number(s.last)]));
  const seen = new Set<string>();
  const copyable = rows.every((r) => {
    const last = lastStored.get(r.seriesId);
    const key = `${r.seriesId}/${r.step}/${r.timestamp}/${r.value}`;
    if ((last !== null && last !== undefined && r.step <= last) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (!copyable) return appendPoints(tx, tenantId, runId, ids, points);

  const lines = function* () {
    for (let i = 0; i < rows.length; i += 1000) {
      yield rows
        .slice(i, i + 1000)
        .map((r) => `${tenantId}\t${r.seriesId}\t${r.step}\t${r.timestamp}\t${r.value}\n`)
        .join("");
    }
  };
  const copy =
    await connection`copy metric_points (tenant_id, series_id, step, timestamp, value) from stdin`.writable();
  await pipeline(Readable.from(lines()), copy);

  const { series, buckets } = pointDeltas(rows);
  await tx.execute(sql`
    with deltas as (
      select * from unnest(
        ${numberArray(series.map((s) => s.seriesId))}::bigint[], ${numberArray(series.map((s) => s.n))}::bigint[],
        ${numberArray(series.map((s) => s.min))}::float8[], ${numberArray(series.map((s) => s.max))}::float8[],
        ${numberArray(series.map((s) => s.first))}::bigint[], ${numberArray(series.map((s) => s.last.step))}::bigint[],
        ${numberArray(series.map((s) => s.last.timestamp))}::bigint[], ${numberArray(series.map((s) => s.last.value))}::float8[]
      ) as d(series_id, n, min_v, max_v, first_step, last_step, last_ts, last_v)
    ),
    rolled as (
      select * from unnest(
        ${numberArray(buckets.map((b) => b.seriesId))}::bigint[], ${numberArray(buckets.map((b) => b.width))}::int[],
        ${numberArray(buckets.map((b) => b.bucket))}::bigint[], ${numberArray(buckets.map((b) => b.n))}::bigint[],
        ${numberArray(buckets.map((b) => b.lo?.step ?? null))}::bigint[],
        ${numberArray(buckets.map((b) => b.lo?.timestamp ?? null))}::bigint[],
        ${numberArray(buckets.map((b) => b.lo?.value ?? null))}::float8[],
        ${numberArray(buckets.map((b) => b.hi?.step ?? null))}::bigint[],
        ${numberArray(buckets.map((b) => b.hi?.timestamp ?? null))}::bigint[],
        ${numberArray(buckets.map((b) => b.hi?.value ?? null))}::float8[]
      ) as r(series_id, width, bucket, n, min_step, min_ts, min_v, max_step, max_ts, max_v)
    ),
    ${mergeDeltas(tenantId)}
    select 1`);
  return { stage: "active", inserted: rows.length };
}
