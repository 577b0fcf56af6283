import { deleteRunTag } from "@stepwise/core";
import { RunResponse, RunTagInput } from "@stepwise/core/schemas";
import { tenantProcedure } from "../../trpc/procedures";
import { readErrors } from "../openapi";
import { runExamples } from "./examples";

export const deleteRunTagProcedure = tenantProcedure
  .meta({
    openapi: {
      method: "DELETE",
      path: "/experiments/runs/{id}/tags/{key}",
      tags: ["runs"],
      summary: "Delete a tag of a run",
      description:
        "Percent-encode the key in the path (`val%2Floss` for `val/loss`). A tag the run lacks is a 404; a deleted run is a 409.",
      errorResponses: readErrors(404, 409),
    },
    examples: runExamples.deleteTag,
  })
  .input(RunTagInput)
  .output(RunResponse)
  .mutation(({ ctx, input }) => deleteRunTag(ctx.db, ctx.tenantId, input));
