import { restoreRun } from "@stepwise/core";
import { RunIdInput, RunResponse } from "@stepwise/core/schemas";
import { writeProcedure } from "../../trpc/procedures";
import { writeErrors } from "../openapi";
import { runExamples } from "./examples";

export const restoreRunProcedure = writeProcedure
  .meta({
    openapi: {
      method: "POST",
      path: "/experiments/runs/{id}/restore",
      tags: ["runs"],
      summary: "Restore a deleted run",
      description: "Brings the run back unchanged. Restoring a run that is not deleted is a 409.",
      errorResponses: writeErrors(404, 409),
    },
    examples: runExamples.restore,
  })
  .input(RunIdInput)
  .output(RunResponse)
  .mutation(({ ctx, input }) => restoreRun(ctx.db, ctx.tenantId, input.id));
