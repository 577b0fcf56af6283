import { getExperimentOrThrow } from "@stepwise/core";
import { ExperimentIdInput, ExperimentResponse } from "@stepwise/core/schemas";
import { tenantProcedure } from "../../trpc/procedures";
import { readErrors } from "../openapi";
import { experimentExamples } from "./examples";

export const getExperimentProcedure = tenantProcedure
  .meta({
    openapi: {
      method: "GET",
      path: "/experiments/{id}",
      tags: ["experiments"],
      summary: "Get an experiment",
      description: "Archived experiments are returned too.",
      errorResponses: readErrors(404),
    },
    examples: experimentExamples.get,
  })
  .input(ExperimentIdInput)
  .output(ExperimentResponse)
  .query(({ ctx, input }) => getExperimentOrThrow(ctx.db, ctx.tenantId, input.id));
