import { deleteRun } from "@stepwise/core";
import { RunIdInput, RunResponse } from "@stepwise/core/schemas";
import { writeProcedure } from "../../trpc/procedures";
import { writeErrors } from "../openapi";
import { runExamples } from "./examples";

export const deleteRunProcedure = writeProcedure
  .meta({
    openapi: {
      method: "POST",
      path: "/experiments/runs/{id}/delete",
      tags: ["runs"],
      summary: "Delete a run",
      description:
        "The run keeps its data and stays readable by ID, but leaves lists and searches (unless they ask for deleted runs) and refuses writes until it is restored. Deleting a deleted run is a 409.",
      errorResponses: writeErrors(404, 409),
    },
    examples: runExamples.delete,
  })
  .input(RunIdInput)
  .output(RunResponse)
  .mutation(({ ctx, input }) => deleteRun(ctx.db, ctx.tenantId, input.id));
