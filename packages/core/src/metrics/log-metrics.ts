import type { Database } from "../db";
import { type LogBatchResult, logBatch } from "./log-batch";
import type { LogMetricsInput, LogParamsInput } from "./schemas";

/** `{metrics: {key: value}, step?, timestamp?}`: a batch of metrics that share one step and timestamp. */
export async function logMetrics(
  db: Database,
  tenantId: string,
  input: LogMetricsInput,
  now = Date.now(),
): Promise<{ metrics: number }> {
  const metrics = Object.entries(input.metrics).map(([key, value]) => ({
    key,
    value,
    step: input.step,
    timestamp: input.timestamp,
  }));
  const result: LogBatchResult = await logBatch(db, tenantId, { id: input.id, metrics }, now);
  return { metrics: result.metrics };
}

/** `{params: {key: value}}`: a batch of params. */
export async function logParams(db: Database, tenantId: string, input: LogParamsInput): Promise<{ params: number }> {
  const params = Object.entries(input.params).map(([key, value]) => ({ key, value }));
  return { params: (await logBatch(db, tenantId, { id: input.id, params })).params };
}
