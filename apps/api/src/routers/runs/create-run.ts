import { createRun } from "@stepwise/core";
import { CreateRunInput, RunResponse } from "@stepwise/core/schemas";
import { writeProcedure } from "../../trpc/procedures";
import { writeErrors } from "../openapi";
import { runExamples } from "./examples";

export const createRunProcedure = writeProcedure
  .meta({
    openapi: {
      method: "POST",
      path: "/experiments/runs",
      tags: ["runs"],
      summary: "Create a run",
      description: "The run starts RUNNING. Without a name it gets a readable generated one (`brave-otter-417`).",
      errorResponses: writeErrors(404, 409),
    },
    successStatus: 201,
    examples: runExamples.create,
  })
  .input(CreateRunInput)
  .output(RunResponse)
  .mutation(({ ctx, input }) => createRun(ctx.db, ctx.tenantId, input));
