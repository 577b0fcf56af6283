import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "../db";
import { metricSeries, runs } from "../db/schema";
import { DomainError } from "../shared/errors";
import type { MetricHistories, MetricHistoriesInput } from "./schemas";
import { checkStepRange, seriesHistory } from "./series-history";

/** Series read at once: enough to keep a pool busy, few enough to leave connections for other requests. */
const PARALLEL_SERIES = 4;

/**
 * The histories of `keys` for each of `run_ids` in one call, as getMetricHistory gives one (same downsampling,
 * same step window): one query for the runs, one for their series, then each series' points. Ordered by run,
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
  const histories: MetricHistories["histories"] = new Array(pairs.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < pairs.length; i = next++) {
      const { runId, key } = pairs[i] as (typeof pairs)[number];
      const one = byPair.get(`${runId}\u0000${key}`);
      const window = { key, max_points: input.max_points, start_step: input.start_step, end_step: input.end_step };
      histories[i] = { run_id: runId, ...(await seriesHistory(db, tenantId, one, window)) };
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_SERIES, pairs.length) }, worker));
  return { histories };
}
