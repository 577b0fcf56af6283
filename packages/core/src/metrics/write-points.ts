import { sql } from "drizzle-orm";
import type { Database } from "../db";
import { numberArray, queryRows, textArray } from "../db/rows";
import { BUCKET_WIDTHS } from "./bucket-widths";

export interface Point {
  key: string;
  step: number;
  timestamp: number;
  value: number;
}

/**
 * The series ids of a run's metric keys, creating the missing series. The series rows are locked in id
 * order, so concurrent batches to the same series queue up instead of deadlocking on the summary.
 */
async function seriesIds(db: Database, tenantId: string, runId: string, keys: string[]) {
  const keyArray = textArray(keys);
  const ids = new Map<string, number>();
  const read = async () => {
    const rows = await queryRows<{ id: string | number; key: string }>(
      db,
      sql`select id, key from metric_series
          where tenant_id = ${tenantId} and run_id = ${runId} and key = any(${keyArray}::text[])
          order by id for update`,
    );
    for (const row of rows) ids.set(row.key, Number(row.id));
  };
  await read();
  if (ids.size < keys.length) {
    await db.execute(sql`
      insert into metric_series (tenant_id, run_id, key)
      select ${tenantId}, ${runId}, k from unnest(${keyArray}::text[]) as k order by k
      on conflict (tenant_id, run_id, key) do nothing`);
    await read();
  }
  return ids;
}

/** Whether a batch's latest point (greatest step, then timestamp, then value) beats the stored one. */
const NEWER = sql.raw(
  "(s.last_step is null or (a.last_step, a.last_ts, a.last_v) > (s.last_step, s.last_timestamp, s.last_value))",
);
const WIDTHS = sql.raw(BUCKET_WIDTHS.map((w) => `(${w})`).join(", "));

/**
 * Appends points to a run's series in a few set-based statements, inside the caller's transaction: the
 * points (an exact duplicate of a stored point is skipped), then, from the points that were really new,
 * the per-series summary and the pre-aggregated step buckets. Returns how many points were new.
 */
export async function writePoints(db: Database, tenantId: string, runId: string, points: Point[]): Promise<number> {
  if (points.length === 0) return 0;
  const ids = await seriesIds(db, tenantId, runId, [...new Set(points.map((p) => p.key))]);
  const [result] = await queryRows<{ inserted: number }>(
    db,
    sql`
    with input as (
      select * from unnest(
        ${numberArray(points.map((p) => ids.get(p.key) as number))}::bigint[],
        ${numberArray(points.map((p) => p.step))}::bigint[],
        ${numberArray(points.map((p) => p.timestamp))}::bigint[],
        ${numberArray(points.map((p) => p.value))}::float8[]
      ) as i(series_id, step, ts, value)
    ),
    new as (
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
        (array_agg(step order by step desc, timestamp desc, value desc))[1] as last_step,
        (array_agg(timestamp order by step desc, timestamp desc, value desc))[1] as last_ts,
        (array_agg(value order by step desc, timestamp desc, value desc))[1] as last_v
      from new group by series_id
    ),
    summary as (
      update metric_series s set
        count = s.count + a.n,
        min_value = least(s.min_value, a.min_v),
        max_value = greatest(s.max_value, a.max_v),
        first_step = least(s.first_step, a.first_step),
        last_step = case when ${NEWER} then a.last_step else s.last_step end,
        last_timestamp = case when ${NEWER} then a.last_ts else s.last_timestamp end,
        last_value = case when ${NEWER} then a.last_v else s.last_value end
      from agg a
      where s.tenant_id = ${tenantId} and s.id = a.series_id
      returning 1
    ),
    bucketed as (
      select n.series_id, w.width,
        case when n.step >= 0 then n.step / w.width else -((-n.step - 1) / w.width) - 1 end as bucket,
        n.step, n.timestamp, n.value
      from new n cross join (values ${WIDTHS}) as w(width)
    ),
    buckets as (
      insert into metric_buckets as b (tenant_id, series_id, width, bucket, count,
        min_step, min_timestamp, min_value, max_step, max_timestamp, max_value)
      select ${tenantId}, series_id, width, bucket, count(*),
        (array_agg(step order by value, step, timestamp) filter (where value <> 'NaN'))[1],
        (array_agg(timestamp order by value, step, timestamp) filter (where value <> 'NaN'))[1],
        min(value) filter (where value <> 'NaN'),
        (array_agg(step order by value desc, step, timestamp) filter (where value <> 'NaN'))[1],
        (array_agg(timestamp order by value desc, step, timestamp) filter (where value <> 'NaN'))[1],
        max(value) filter (where value <> 'NaN')
      from bucketed group by series_id, width, bucket order by series_id, width, bucket
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
    select (select count(*) from new)::int as inserted,
      (select count(*) from summary)::int as series, (select count(*) from buckets)::int as buckets`,
  );
  return result?.inserted ?? 0;
}
