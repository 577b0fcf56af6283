import { getMetricHistory } from "@stepwise/core";
import { MetricHistory, MetricHistoryInput } from "@stepwise/core/schemas";
import { tenantProcedure } from "../../trpc/procedures";
import { readErrors } from "../openapi";
import { runExamples } from "./examples";

export const getMetricHistoryProcedure = tenantProcedure
  .meta({
    openapi: {
      method: "GET",
      path: "/experiments/runs/{id}/metrics/history",
      tags: ["runs"],
      summary: "A metric's history",
      description:
        "Ordered by step, then timestamp. Over `max_points` (default 1000) it is downsampled: each step bucket keeps its minimum and maximum point, plus the first and last point; `total_points` counts what is stored in range.",
      errorResponses: readErrors(404),
    },
    examples: runExamples.metricHistory,
    heavy: true,
  })
  .input(MetricHistoryInput)
  .output(MetricHistory)
  .query(({ ctx, input }) => getMetricHistory(ctx.db, ctx.tenantId, input));
