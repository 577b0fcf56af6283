import { type SQL, sql } from "drizzle-orm";
import type { Database } from "../db";
import { numberArray, queryRows } from "../db/rows";
import { BUCKET_WIDTHS } from "./bucket-widths";

export interface Point {
  key: string;
  step: number;
  timestamp: number;
  value: number;
}

/** Whether a batch's latest point (greatest step, then timestamp, then value) beats the stored one. */
const NEWER = sql.raw(
  "(s.last_step is null or a.last > array[s.last_step::float8, s.last_timestamp::float8, s.last_value])",
);
/** Whether a batch's first point (least step, then timestamp, then value) comes before the stored one. */
const OLDER = sql.raw(
  "(s.first_timestamp is null or a.first < array[s.first_step::float8, s.first_timestamp::float8, s.first_value])",
);
const [finest, ...coarser] = BUCKET_WIDTHS;
const FINEST = sql.raw(String(finest));
const COARSER = sql.raw(coarser.map((w) => `(${w})`).join(", "));
/** Floor division in SQL (bigint `/` truncates toward zero, which is wrong for negative steps). */
const floorDiv = (a: SQL, b: SQL) => sql`(case when ${a} >= 0 then ${a} / ${b} else -((-${a} - 1) / ${b}) - 1 end)`;

export interface AppendResult {
  /** The lifecycle stage of the run's experiment, or null when the run does not exist (nothing was written). */
  stage: "active" | "deleted" | null;
  /** Whether the run is deleted (nothing was written). */
  runDeleted: boolean;
  /** How many points were new (exact re-sends are not). */
  inserted: number;
}

/**
 * Appends points to a run's series in ONE statement, atomic by itself: it checks the run and its active
 * experiment (share-locked against archiving), locks the series rows in id order (so concurrent batches
 * queue instead of deadlocking), inserts the points (an exact duplicate of a stored point is skipped), and
 * from the points that were really new updates the per-series summary and the pre-aggregated step buckets.
 */
export async function appendPoints(
  db: Database,
  tenantId: string,
  runId: string,
  ids: Map<string, number>,
  points: Point[],
): Promise<AppendResult> {
  const seriesList = [...new Set(ids.values())];
  const [result] = await queryRows<AppendResult>(
    db,
    sql`
    with run as materialized (
      select e.lifecycle_stage as stage, r.deleted_at is not null as run_deleted from runs r
      join experiments e on e.tenant_id = r.tenant_id and e.id = r.experiment_id
      where r.tenant_id = ${tenantId} and r.id = ${runId}
      for share of e, r
    ),
    locked as materialized (
      select id from metric_series where tenant_id = ${tenantId} and id = any(${numberArray(seriesList)}::bigint[])
      order by id for update
    ),
    input as (
      select * from unnest(
        ${numberArray(points.map((p) => ids.get(p.key) as number))}::bigint[],
        ${numberArray(points.map((p) => p.step))}::bigint[],
        ${numberArray(points.map((p) => p.timestamp))}::bigint[],
        ${numberArray(points.map((p) => p.value))}::float8[]
      ) as i(series_id, step, ts, value)
      -- Only for a live run of an active experiment, and only once every series row is locked.
      where (select stage from run) = 'active' and not (select run_deleted from run) and (select count(*) from locked) >= 0
    ),
    new as (
      -- In key order: the primary key index then takes each series' points as one run of neighbours.
      insert into metric_points (tenant_id, series_id, step, timestamp, value)
      select ${tenantId}, series_id, step, ts, value from input order by series_id, step, ts, value
      on conflict do nothing
      returning series_id, step, timestamp, value
    ),
    agg as (
      select series_id, count(*) as n,
        min(value) filter (where value <> 'NaN') as min_v,
        max(value) filter (where value <> 'NaN') as max_v,
        min(step) as first_step,
        sum(value) filter (where value <> 'NaN') as sum_v,
        count(*) filter (where value = 'NaN') as nans,
        min(array[step::float8, timestamp::float8, value]) as first,
        -- Arrays compare element by element (NaN above every number, as in ORDER BY): the latest point.
        max(array[step::float8, timestamp::float8, value]) as last
      from new group by series_id
    ),
    summary as (
      update metric_series s set
        count = s.count + a.n,
        min_value = least(s.min_value, a.min_v),
        max_value = greatest(s.max_value, a.max_v),
        first_step = least(s.first_step, a.first_step),
        first_timestamp = case when ${OLDER} then a.first[2]::bigint else s.first_timestamp end,
        first_value = case when ${OLDER} then a.first[3] else s.first_value end,
        sum_value = case when a.sum_v is null then s.sum_value else coalesce(s.sum_value, 0) + a.sum_v end,
        nan_count = s.nan_count + a.nans,
        last_step = case when ${NEWER} then a.last[1]::bigint else s.last_step end,
        last_timestamp = case when ${NEWER} then a.last[2]::bigint else s.last_timestamp end,
        last_value = case when ${NEWER} then a.last[3] else s.last_value end
      from agg a
      where s.tenant_id = ${tenantId} and s.id = a.series_id
      returning 1
    ),
    -- The finest buckets from the new points, then the coarser ones rolled up from those. lo is the lowest
    -- point (value, step, timestamp), hi the highest (value, -step, -timestamp: the earliest among equals).
    fine as (
      select series_id, ${floorDiv(sql.raw("step"), FINEST)} as bucket, count(*) as n,
        min(array[value, step::float8, timestamp::float8]) filter (where value <> 'NaN') as lo,
        max(array[value, -step::float8, -timestamp::float8]) filter (where value <> 'NaN') as hi
      from new group by 1, 2
    ),
    rolled as (
      select series_id, ${FINEST}::int as width, bucket, n, lo, hi from fine
      union all
      select f.series_id, w.width, ${floorDiv(sql.raw("f.bucket"), sql.raw(`(w.width / ${finest})`))}, sum(f.n), min(f.lo), max(f.hi)
      from fine f cross join (values ${COARSER}) as w(width) group by 1, 2, 3
    ),
    buckets as (
      insert into metric_buckets as b (tenant_id, series_id, width, bucket, count,
        min_step, min_timestamp, min_value, max_step, max_timestamp, max_value)
      select ${tenantId}, series_id, width, bucket, n,
        lo[2]::bigint, lo[3]::bigint, lo[1], (-hi[2])::bigint, (-hi[3])::bigint, hi[1]
      from rolled order by series_id, width, bucket
      on conflict (tenant_id, series_id, width, bucket) do update set
        count = b.count + excluded.count,
        min_step = case when b.min_value is null or excluded.min_value < b.min_value then excluded.min_step else b.min_step end,
        min_timestamp = case when b.min_value is null or excluded.min_value < b.min_value then excluded.min_timestamp else b.min_timestamp end,
        min_value = least(b.min_value, excluded.min_value),
        max_step = case when b.max_value is null or excluded.max_value > b.max_value then excluded.max_step else b.max_step end,
        max_timestamp = case when b.max_value is null or excluded.max_value > b.max_value then excluded.max_timestamp else b.max_timestamp end,
        max_value = greatest(b.max_value, excluded.max_value)
      returning 1
    )
    select (select stage from run) as stage, (select run_deleted from run) as "runDeleted",
      (select count(*) from new)::int as inserted,
      (select count(*) from summary)::int as series, (select count(*) from buckets)::int as buckets`,
  );
  return { stage: result?.stage ?? null, runDeleted: result?.runDeleted === true, inserted: result?.inserted ?? 0 };
}
