import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../db";
import { runs } from "../db/schema";
import { runOfArchivedExperiment } from "../runs/create-run";
import { getWritableRunOrThrow, runDeleted } from "../runs/writable-run";
import { TAGS_PER_ENTITY_MESSAGE } from "../shared/common-schemas";
import { conflict, invalid, notFound } from "../shared/errors";
import { LIMITS } from "../shared/limits";
import { decodeMetricValue } from "./metric-value";
import type { LogBatchInput } from "./schemas";
import { seriesIds } from "./series-ids";
import { appendPoints } from "./write-points";

export interface LogBatchResult {
  metrics: number;
  params: number;
  tags: number;
}

/** Params of one request as a map; a key given twice with different values is a 400. */
function paramMap(params: LogBatchInput["params"] = []) {
  const map = new Map<string, string>();
  for (const { key, value } of params) {
    const seen = map.get(key);
    if (seen !== undefined && seen !== value) {
      throw invalid(`param '${key}' is given twice in this request with different values`, "params");
    }
    map.set(key, value);
  }
  return map;
}

/**
 * THE write path for metrics, params and tags (log-metrics and log-params are batches with one kind of
 * item). One transaction: either everything in the request is stored or nothing is. Metrics append (an
 * exact re-send is a no-op), also to an ended run; params are write-once (another value is a 409); tags
 * take the last value. Runs of an archived experiment take no writes (409).
 */
export async function logBatch(
  db: Database,
  tenantId: string,
  input: LogBatchInput,
  now = Date.now(),
): Promise<LogBatchResult> {
  const params = paramMap(input.params);
  const tags = Object.fromEntries((input.tags ?? []).map((t) => [t.key, t.value]));
  const points = (input.metrics ?? []).map((m) => ({
    key: m.key,
    step: m.step ?? 0,
    timestamp: m.timestamp ?? now,
    value: decodeMetricValue(m.value),
  }));
  const writesRun = params.size > 0 || Object.keys(tags).length > 0;
  const keys = [...new Set(points.map((p) => p.key))];
  const ids = keys.length ? await seriesIds(db, tenantId, input.id, keys) : new Map<string, number>();
  const append = async (tx: Database) => {
    if (points.length === 0) return;
    if (ids.size < keys.length) {
      // Series are made only for a live run of an active experiment: the 404 or 409 of this run, else a bug
      // (never a silent success: a series that could not be found or made is an error, not a dropped point).
      await getWritableRunOrThrow(tx, tenantId, input.id);
      throw new Error(`metric series missing for run ${input.id}`);
    }
    const { stage, runDeleted: deleted } = await appendPoints(tx, tenantId, input.id, ids, points);
    if (stage === null) throw notFound("Run", input.id);
    if (stage !== "active") throw runOfArchivedExperiment(input.id);
    if (deleted) throw runDeleted(input.id);
  };
  const result = { metrics: points.length, params: params.size, tags: Object.keys(tags).length };

  // Metrics alone: one statement, atomic by itself. With params or tags: one transaction around the run row.
  if (!writesRun) {
    await append(db);
    return result;
  }
  return db.transaction(async (tx) => {
    const run = await getWritableRunOrThrow(tx, tenantId, input.id, "update");
    const changed = [...params]
      .filter(([key, value]) => Object.hasOwn(run.params, key) && run.params[key] !== value)
      .map(([k]) => k);
    if (changed.length) {
      throw conflict(`param(s) already logged with another value, and params are write-once: ${changed.join(", ")}`);
    }
    const tagCount = new Set([...Object.keys(run.tags), ...Object.keys(tags)]).size;
    if (tagCount > LIMITS.tagsPerEntity) {
      throw invalid(`${TAGS_PER_ENTITY_MESSAGE}: these tags would give the run ${tagCount}`, "tags");
    }
    await tx
      .update(runs)
      .set({
        params: sql`${runs.params} || ${JSON.stringify(Object.fromEntries(params))}::jsonb`,
        tags: sql`${runs.tags} || ${JSON.stringify(tags)}::jsonb`,
        updatedAt: sql`now()`,
      })
      .where(and(eq(runs.tenantId, tenantId), eq(runs.id, input.id)));
    await append(tx);
    return result;
  });
}
