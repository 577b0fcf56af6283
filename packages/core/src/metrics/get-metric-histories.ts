import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "../db";
import { metricSeries, runs } from "../db/schema";
import { DomainError } from "../shared/errors";
import type { MetricHistories, MetricHistoriesInput } from "./schemas";
import { checkStepRange, seriesHistory } from "./series-history";
import { batchedReader } from "./series-reader";

/**
 * The histories of `keys` for each of `run_ids` in one call, as getMetricHistory gives one (same downsampling,
 * same step window): one query for the runs, one for their series, then a few for all their points together. Ordered by run,
 * then key, as asked; a pair that was never logged has no points. A 404 names the missing run IDs.
 */
export async function getMetricHistories(
  db: Database,
  tenantId: string,
  input: MetricHistoriesInput,
): Promise<MetricHistories> {
  checkStepRange(input);
  const found = await db
    .select({ id: runs.id })
    .from(runs)
    .where(and(eq(runs.tenantId, tenantId), inArray(runs.id, input.run_ids)));
  const missing = input.run_ids.filter((id) => !found.some((r) => r.id === id));
  if (missing.length) throw new DomainError("NOT_FOUND", `Run(s) not found: ${missing.join(", ")}`);
  const series = await db
    .select()
    .from(metricSeries)
    .where(
      and(
        eq(metricSeries.tenantId, tenantId),
        inArray(metricSeries.runId, input.run_ids),
        inArray(metricSeries.key, input.keys),
      ),
    );
  const byPair = new Map(series.map((s) => [`${s.runId}\u0000${s.key}`, s]));
  const pairs = input.run_ids.flatMap((runId) => input.keys.map((key) => ({ runId, key })));
  // Every series at once through one batched reader: a handful of queries in all, whatever the number of series.
  const reader = batchedReader(db, tenantId);
  const window = { max_points: input.max_points, start_step: input.start_step, end_step: input.end_step };
  const histories = await Promise.all(
    pairs.map(async ({ runId, key }) => ({
      run_id: runId,
      ...(await seriesHistory(db, tenantId, byPair.get(`${runId}\u0000${key}`), { key, ...window }, reader)),
    })),
  );
  return { histories };
}
