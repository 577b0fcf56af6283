import { and, eq } from "drizzle-orm";
import type { Database } from "../db";
import { metricSeries } from "../db/schema";
import { getRunRowOrThrow } from "../runs/get-run";
import type { MetricHistory, MetricHistoryInput } from "./schemas";
import { checkStepRange, seriesHistory } from "./series-history";

/**
 * The points of one metric in a step range, downsampled to at most `max_points`: the steps are cut into
 * equal buckets and each bucket keeps its minimum and maximum point (NaN ignored), plus the first and last
 * point of the range, so spikes and the final value always show (see seriesHistory).
 */
export async function getMetricHistory(
  db: Database,
  tenantId: string,
  input: MetricHistoryInput,
): Promise<MetricHistory> {
  await getRunRowOrThrow(db, tenantId, input.id);
  checkStepRange(input);
  const [series] = await db
    .select()
    .from(metricSeries)
    .where(and(eq(metricSeries.tenantId, tenantId), eq(metricSeries.runId, input.id), eq(metricSeries.key, input.key)));
  return seriesHistory(db, tenantId, series, input);
}
