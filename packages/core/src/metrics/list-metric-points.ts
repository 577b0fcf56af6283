import { and, asc, eq } from "drizzle-orm";
import type { Database } from "../db";
import { metricPoints, metricSeries } from "../db/schema";
import { getRunRowOrThrow } from "../runs/get-run";
import type { MetricValue } from "../runs/schemas";
import { encodeMetricValue } from "./metric-value";

export interface MetricPointPage {
  points: { step: number; timestamp: number; value: MetricValue }[];
  /** How many points the series holds in all. */
  total: number;
}

/**
 * Every stored point of one metric, not downsampled, ordered by step, then timestamp, then value, from
 * `offset`, at most `limit` (all of them when left out): MLflow's full metric history, paged by offset.
 */
export async function listMetricPoints(
  db: Database,
  tenantId: string,
  input: { id: string; key: string; offset?: number; limit?: number },
): Promise<MetricPointPage> {
  await getRunRowOrThrow(db, tenantId, input.id);
  const [series] = await db
    .select({ id: metricSeries.id, count: metricSeries.count })
    .from(metricSeries)
    .where(and(eq(metricSeries.tenantId, tenantId), eq(metricSeries.runId, input.id), eq(metricSeries.key, input.key)));
  if (!series || series.count === 0) return { points: [], total: 0 };
  const query = db
    .select({ step: metricPoints.step, timestamp: metricPoints.timestamp, value: metricPoints.value })
    .from(metricPoints)
    .where(and(eq(metricPoints.tenantId, tenantId), eq(metricPoints.seriesId, series.id)))
    .orderBy(asc(metricPoints.step), asc(metricPoints.timestamp), asc(metricPoints.value))
    .offset(input.offset ?? 0);
  const rows = input.limit === undefined ? await query : await query.limit(input.limit);
  return {
    points: rows.map((p) => ({ step: p.step, timestamp: p.timestamp, value: encodeMetricValue(p.value) })),
    total: series.count,
  };
}
