import { getMetricHistory, invalid, listMetricPoints } from "@stepwise/core";
import { LIMITS, MetricHistoryInput } from "@stepwise/core/schemas";
import { z } from "zod";
import { mlflowRunId, offsetOf, pageToken, runIdOf } from "./ids";
import type { MlflowRouter } from "./router";
import { GetHistory, int64, parseInput } from "./schemas";
import { listField } from "./shapes";

const BulkInterval = z.object({
  metric_key: z.string({ error: "Missing value for required parameter 'metric_key'" }),
  start_step: int64.optional(),
  end_step: int64.optional(),
  max_results: int64.optional(),
});
/** MLflow's default and largest number of points per run of get-history-bulk-interval. */
const BULK_INTERVAL_DEFAULT = 320;
const BULK_INTERVAL_RUNS_MAX = 100;

export function metricRoutes({ on, deps }: MlflowRouter) {
  const { db } = deps;

  // The whole history (not downsampled), paged by MLflow's offset tokens; without max_results, every point.
  on("GET", "/mlflow/metrics/get-history", async ({ tenantId, input }) => {
    const q = parseInput(GetHistory, input);
    const offset = offsetOf(q.page_token);
    const { points, total } = await listMetricPoints(db, tenantId, {
      id: runIdOf(q),
      key: q.metric_key,
      offset,
      limit: q.max_results,
    });
    const next =
      offset + points.length < total && points.length > 0 ? { next_page_token: pageToken(offset + points.length) } : {};
    return {
      ...listField(
        "metrics",
        points.map((p) => ({ key: q.metric_key, ...p })),
      ),
      ...next,
    };
  });

  // The UI's chart read: each run's points of one key in a step range, downsampled as core's history is.
  on("GET", "/mlflow/metrics/get-history-bulk-interval", async ({ tenantId, input, c }) => {
    const q = parseInput(BulkInterval, input);
    const given = c.req.queries("run_ids") ?? [];
    if (given.length === 0) throw invalid("Missing value for required parameter 'run_ids'", "run_ids");
    if (given.length > BULK_INTERVAL_RUNS_MAX)
      throw invalid(`run_ids may name at most ${BULK_INTERVAL_RUNS_MAX} runs`, "run_ids");
    const maxPoints = Math.min(
      Math.max(q.max_results ?? BULK_INTERVAL_DEFAULT, LIMITS.historyPointsMin),
      LIMITS.historyPointsMax,
    );
    const metrics = [];
    for (const run of given) {
      const id = runIdOf({ run_id: run });
      const history = await getMetricHistory(
        db,
        tenantId,
        parseInput(MetricHistoryInput, {
          id,
          key: q.metric_key,
          max_points: maxPoints,
          start_step: q.start_step,
          end_step: q.end_step,
        }),
      );
      for (const p of history.points) metrics.push({ key: q.metric_key, ...p, run_id: mlflowRunId(id) });
    }
    return listField("metrics", metrics);
  });
}
