import { archiveExperiment } from "@stepwise/core";
import { ExperimentIdInput, ExperimentResponse } from "@stepwise/core/schemas";
import { tenantProcedure } from "../../trpc/procedures";
import { readErrors } from "../openapi";
import { experimentExamples } from "./examples";

export const archiveExperimentProcedure = tenantProcedure
  .meta({
    openapi: {
      method: "DELETE",
      path: "/experiments/{id}",
      tags: ["experiments"],
      summary: "Archive an experiment",
      description: "Soft delete: runs and data stay readable but closed to writes. Archiving twice is fine.",
      errorResponses: readErrors(404),
    },
    examples: experimentExamples.archive,
  })
  .input(ExperimentIdInput)
  .output(ExperimentResponse)
  .mutation(({ ctx, input }) => archiveExperiment(ctx.db, ctx.tenantId, input.id));
