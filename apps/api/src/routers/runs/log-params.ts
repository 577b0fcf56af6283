import { logParams } from "@stepwise/core";
import { LogParamsInput, LogParamsResult } from "@stepwise/core/schemas";
import { writeProcedure } from "../../trpc/procedures";
import { writeErrors } from "../openapi";
import { runExamples } from "./examples";

export const logParamsProcedure = writeProcedure
  .meta({
    openapi: {
      method: "POST",
      path: "/experiments/runs/{id}/log-params",
      tags: ["runs"],
      summary: "Log params",
      description: "1-1000 keys. Params are write-once: the same value again is fine, another value is a 409.",
      errorResponses: writeErrors(404, 409),
    },
    examples: runExamples.logParams,
  })
  .input(LogParamsInput)
  .output(LogParamsResult)
  .mutation(({ ctx, input }) => logParams(ctx.db, ctx.tenantId, input));
