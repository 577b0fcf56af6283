import { getMetricHistories } from "@stepwise/core";
import { MetricHistories, MetricHistoriesInput } from "@stepwise/core/schemas";
import { tenantProcedure } from "../../trpc/procedures";
import { writeErrors } from "../openapi";
import { runExamples } from "./examples";

export const getMetricHistoriesProcedure = tenantProcedure
  .meta({
    openapi: {
      method: "POST",
      path: "/experiments/runs/metrics/history-bulk",
      tags: ["runs"],
      summary: "Several runs' metric histories at once",
      description:
        "For each of `run_ids` (up to 100) and each of `keys` (up to 50), the history as GET .../metrics/history gives it (same downsampling to `max_points`, same optional step window), ordered by run, then key; a pair never logged has no points. run_ids x keys x max_points is at most 1,000,000. A 404 names the missing run IDs.",
      errorResponses: writeErrors(404),
    },
    examples: runExamples.metricHistories,
    heavy: true,
  })
  .input(MetricHistoriesInput)
  .output(MetricHistories)
  .mutation(({ ctx, input }) => getMetricHistories(ctx.db, ctx.tenantId, input));
