import { and, eq, gt, inArray } from "drizzle-orm";
import type { Database } from "../db";
import { metricSeries } from "../db/schema";
import type { RunResponse } from "../runs/schemas";
import { encodeMetricValue } from "./metric-value";

/** The latest point of every metric key of the given runs, from the series summaries (one indexed query). */
export async function latestMetrics(db: Database, tenantId: string, runIds: string[]) {
  const byRun = new Map<string, RunResponse["metrics"]>(runIds.map((id) => [id, {}]));
  if (runIds.length === 0) return byRun;
  const rows = await db
    .select({
      runId: metricSeries.runId,
      key: metricSeries.key,
      value: metricSeries.lastValue,
      step: metricSeries.lastStep,
      timestamp: metricSeries.lastTimestamp,
    })
    .from(metricSeries)
    .where(and(eq(metricSeries.tenantId, tenantId), inArray(metricSeries.runId, runIds), gt(metricSeries.count, 0)));
  for (const row of rows) {
    const metrics = byRun.get(row.runId);
    if (metrics && row.value !== null && row.step !== null && row.timestamp !== null) {
      metrics[row.key] = { value: encodeMetricValue(row.value), step: row.step, timestamp: row.timestamp };
    }
  }
  return byRun;
}
