import { updateExperiment } from "@stepwise/core";
import { ExperimentResponse, UpdateExperimentInput } from "@stepwise/core/schemas";
import { writeProcedure } from "../../trpc/procedures";
import { writeErrors } from "../openapi";
import { experimentExamples } from "./examples";

export const updateExperimentProcedure = writeProcedure
  .meta({
    openapi: {
      method: "PATCH",
      path: "/experiments/{id}",
      tags: ["experiments"],
      summary: "Update an experiment",
      description: "Give at least one of name, description, tags. Tags merge; a null value removes that key.",
      errorResponses: writeErrors(404, 409),
    },
    examples: experimentExamples.update,
  })
  .input(UpdateExperimentInput)
  .output(ExperimentResponse)
  .mutation(({ ctx, input }) => updateExperiment(ctx.db, ctx.tenantId, input));
