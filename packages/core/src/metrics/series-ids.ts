import { sql } from "drizzle-orm";
import type { Database } from "../db";
import { queryRows, textArray } from "../db/rows";

const MAX_CACHED = 200_000;
/** Series ids per database: a series row is never deleted or re-keyed, so an id, once read, stays right. */
const caches = new WeakMap<Database, Map<string, number>>();

/**
 * The series ids of a run's metric keys, creating the missing series of a run that exists, is not deleted,
 * and whose experiment is active (otherwise the answer lacks those keys, and the caller reports 404 or 409).
 * Known ids come from a per-process cache, so a training loop's steady state costs no query here.
 */
export async function seriesIds(db: Database, tenantId: string, runId: string, keys: string[]) {
  const cache = caches.get(db) ?? new Map<string, number>();
  caches.set(db, cache);
  const ids = new Map<string, number>();
  const missing: string[] = [];
  for (const key of keys) {
    const id = cache.get(`${tenantId}/${runId}/${key}`);
    if (id === undefined) missing.push(key);
    else ids.set(key, id);
  }
  if (missing.length === 0) return ids;

  const keyArray = textArray(missing);
  // Create what is missing (only for a run of an active experiment), then read in a new statement: a series
  // that a concurrent request created is visible by then, since this insert waited for it on the index.
  await db.execute(sql`
    insert into metric_series (tenant_id, run_id, key)
    select ${tenantId}, ${runId}, k from unnest(${keyArray}::text[]) as k
    where exists (
      select 1 from runs r join experiments e on e.tenant_id = r.tenant_id and e.id = r.experiment_id
      where r.tenant_id = ${tenantId} and r.id = ${runId} and r.deleted_at is null and e.lifecycle_stage = 'active')
    order by k
    on conflict (tenant_id, run_id, key) do nothing`);
  const rows = await queryRows<{ id: string | number; key: string }>(
    db,
    sql`select id, key from metric_series
        where tenant_id = ${tenantId} and run_id = ${runId} and key = any(${keyArray}::text[])`,
  );
  if (cache.size > MAX_CACHED) cache.clear();
  for (const row of rows) {
    ids.set(row.key, Number(row.id));
    cache.set(`${tenantId}/${runId}/${row.key}`, Number(row.id));
  }
  return ids;
}
