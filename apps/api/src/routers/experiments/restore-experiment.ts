import { restoreExperiment } from "@stepwise/core";
import { ExperimentIdInput, ExperimentResponse } from "@stepwise/core/schemas";
import { writeProcedure } from "../../trpc/procedures";
import { writeErrors } from "../openapi";
import { experimentExamples } from "./examples";

export const restoreExperimentProcedure = writeProcedure
  .meta({
    openapi: {
      method: "POST",
      path: "/experiments/{id}/restore",
      tags: ["experiments"],
      summary: "Restore an archived experiment",
      description: "A 409 if an active experiment has taken its name. Restoring an active one is fine.",
      errorResponses: writeErrors(404, 409),
    },
    examples: experimentExamples.restore,
  })
  .input(ExperimentIdInput)
  .output(ExperimentResponse)
  .mutation(({ ctx, input }) => restoreExperiment(ctx.db, ctx.tenantId, input.id));
