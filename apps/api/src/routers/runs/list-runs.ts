import { listRuns } from "@stepwise/core";
import { ListRunsInput, RunList } from "@stepwise/core/schemas";
import { tenantProcedure } from "../../trpc/procedures";
import { readErrors } from "../openapi";
import { runExamples } from "./examples";

export const listRunsProcedure = tenantProcedure
  .meta({
    openapi: {
      method: "GET",
      path: "/experiments/runs",
      tags: ["runs"],
      summary: "List an experiment's runs",
      description: "Newest start first, optionally filtered by status.",
      errorResponses: readErrors(404),
    },
    examples: runExamples.list,
  })
  .input(ListRunsInput)
  .output(RunList)
  .query(({ ctx, input }) => listRuns(ctx.db, ctx.tenantId, input));
