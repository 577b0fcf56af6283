import { logMetrics } from "@stepwise/core";
import { LogMetricsInput, LogMetricsResult } from "@stepwise/core/schemas";
import { countPoints } from "../../trpc/count-points";
import { writeProcedure } from "../../trpc/procedures";
import { writeErrors } from "../openapi";
import { runExamples } from "./examples";

export const logMetricsProcedure = writeProcedure
  .meta({
    openapi: {
      method: "POST",
      path: "/experiments/runs/{id}/log-metrics",
      tags: ["runs"],
      summary: "Log metrics at one step",
      description:
        '1-1000 keys sharing one step (default 0) and timestamp (default: when the server received the request). Values are numbers or "NaN", "Infinity", "-Infinity".',
      errorResponses: writeErrors(404, 409),
    },
    examples: runExamples.logMetrics,
  })
  .use(countPoints)
  .input(LogMetricsInput)
  .output(LogMetricsResult)
  .mutation(({ ctx, input }) => logMetrics(ctx.db, ctx.tenantId, input, ctx.receivedAt));
