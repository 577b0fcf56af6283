import { createExperiment } from "@stepwise/core";
import { CreateExperimentInput, ExperimentResponse } from "@stepwise/core/schemas";
import { writeProcedure } from "../../trpc/procedures";
import { writeErrors } from "../openapi";
import { experimentExamples } from "./examples";

export const createExperimentProcedure = writeProcedure
  .meta({
    openapi: {
      method: "POST",
      path: "/experiments",
      tags: ["experiments"],
      summary: "Create an experiment",
      description: "Names are unique among the tenant's active experiments.",
      errorResponses: writeErrors(409),
    },
    successStatus: 201,
    examples: experimentExamples.create,
  })
  .input(CreateExperimentInput)
  .output(ExperimentResponse)
  .mutation(({ ctx, input }) => createExperiment(ctx.db, ctx.tenantId, input, ctx.artifacts));
