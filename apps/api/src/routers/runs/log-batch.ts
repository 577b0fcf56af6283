import { logBatch } from "@stepwise/core";
import { LogBatchInput, LogBatchResult } from "@stepwise/core/schemas";
import { countPoints } from "../../trpc/count-points";
import { writeProcedure } from "../../trpc/procedures";
import { writeErrors } from "../openapi";
import { runExamples } from "./examples";

export const logBatchProcedure = writeProcedure
  .meta({
    openapi: {
      method: "POST",
      path: "/experiments/runs/{id}/log-batch",
      tags: ["runs"],
      summary: "Log metrics, params and tags in one request",
      description:
        "Up to 10000 metrics, 1000 params and 1000 tags; all or nothing. Metrics append (an exact re-send is a no-op) and may go to an ended run; params are write-once (another value is a 409); tags take the last value. The counts are of the items received.",
      errorResponses: writeErrors(404, 409),
    },
    examples: runExamples.logBatch,
    heavy: "large-body",
  })
  .use(countPoints)
  .input(LogBatchInput)
  .output(LogBatchResult)
  .mutation(({ ctx, input }) => logBatch(ctx.db, ctx.tenantId, input, ctx.receivedAt));
