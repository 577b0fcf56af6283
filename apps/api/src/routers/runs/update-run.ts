import { updateRun } from "@stepwise/core";
import { RunResponse, UpdateRunInput } from "@stepwise/core/schemas";
import { writeProcedure } from "../../trpc/procedures";
import { writeErrors } from "../openapi";
import { runExamples } from "./examples";

export const updateRunProcedure = writeProcedure
  .meta({
    openapi: {
      method: "PATCH",
      path: "/experiments/runs/{id}",
      tags: ["runs"],
      summary: "Rename a run or edit its description",
      description: "Give at least one of name, description (null removes it). A deleted run is a 409.",
      errorResponses: writeErrors(404, 409),
    },
    examples: runExamples.update,
  })
  .input(UpdateRunInput)
  .output(RunResponse)
  .mutation(({ ctx, input }) => updateRun(ctx.db, ctx.tenantId, input));
