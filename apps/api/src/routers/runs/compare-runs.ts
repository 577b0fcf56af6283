import { compareRuns } from "@stepwise/core";
import { CompareRunsInput, CompareRunsResponse } from "@stepwise/core/schemas";
import { tenantProcedure } from "../../trpc/procedures";
import { writeErrors } from "../openapi";
import { runExamples } from "./examples";

export const compareRunsProcedure = tenantProcedure
  .meta({
    openapi: {
      method: "POST",
      path: "/experiments/runs/compare",
      tags: ["runs"],
      summary: "Compare 2-10 runs",
      description:
        "Each metric's last, last_step, min, max (NaN ignored) and count per run, and each param's values with whether they differ. A 404 names the missing run IDs.",
      errorResponses: writeErrors(404),
    },
    examples: runExamples.compare,
    heavy: true,
  })
  .input(CompareRunsInput)
  .output(CompareRunsResponse)
  .mutation(({ ctx, input }) => compareRuns(ctx.db, ctx.tenantId, input));
