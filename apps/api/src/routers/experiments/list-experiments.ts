import { listExperiments } from "@stepwise/core";
import { ExperimentList, ListExperimentsInput } from "@stepwise/core/schemas";
import { tenantProcedure } from "../../trpc/procedures";
import { readErrors } from "../openapi";
import { experimentExamples } from "./examples";

export const listExperimentsProcedure = tenantProcedure
  .meta({
    openapi: {
      method: "GET",
      path: "/experiments",
      tags: ["experiments"],
      summary: "List experiments",
      description: "Newest first. `search` is a case-insensitive substring of the name; `%` and `_` are literal.",
      errorResponses: readErrors(),
    },
    examples: experimentExamples.list,
  })
  .input(ListExperimentsInput)
  .output(ExperimentList)
  .query(({ ctx, input }) => listExperiments(ctx.db, ctx.tenantId, input));
