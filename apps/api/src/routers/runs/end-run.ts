import { endRun } from "@stepwise/core";
import { EndRunInput, RunResponse } from "@stepwise/core/schemas";
import { writeProcedure } from "../../trpc/procedures";
import { writeErrors } from "../openapi";
import { runExamples } from "./examples";

export const endRunProcedure = writeProcedure
  .meta({
    openapi: {
      method: "POST",
      path: "/experiments/runs/{id}/end",
      tags: ["runs"],
      summary: "End a run",
      description: "Status FINISHED unless given; end_time defaults to now. Ending an ended run is a 409.",
      errorResponses: writeErrors(404, 409),
    },
    examples: runExamples.end,
  })
  .input(EndRunInput)
  .output(RunResponse)
  .mutation(({ ctx, input }) => endRun(ctx.db, ctx.tenantId, input));
