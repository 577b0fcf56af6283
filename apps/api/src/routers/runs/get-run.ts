import { getRunOrThrow } from "@stepwise/core";
import { RunIdInput, RunResponse } from "@stepwise/core/schemas";
import { tenantProcedure } from "../../trpc/procedures";
import { readErrors } from "../openapi";
import { runExamples } from "./examples";

export const getRunProcedure = tenantProcedure
  .meta({
    openapi: {
      method: "GET",
      path: "/experiments/runs/{id}",
      tags: ["runs"],
      summary: "Get a run",
      description: "With its tags, params and the latest point of each metric.",
      errorResponses: readErrors(404),
    },
    examples: runExamples.get,
  })
  .input(RunIdInput)
  .output(RunResponse)
  .query(({ ctx, input }) => getRunOrThrow(ctx.db, ctx.tenantId, input.id));
