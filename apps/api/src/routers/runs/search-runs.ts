import { searchRuns } from "@stepwise/core";
import { SearchRunsInput, SearchRunsResponse } from "@stepwise/core/schemas";
import { tenantProcedure } from "../../trpc/procedures";
import { writeErrors } from "../openapi";
import { runExamples } from "./examples";

export const searchRunsProcedure = tenantProcedure
  .meta({
    openapi: {
      method: "POST",
      path: "/experiments/runs/search",
      tags: ["runs"],
      summary: "Search runs with a filter, in any order",
      description:
        "MLflow's search_runs filter language and more (OR, NOT, parentheses, IN, IS NULL, BETWEEN, RLIKE, aggregates such as min(metrics.loss)); order by any operand, missing keys last; opaque keyset page tokens. A syntax error names the position and the token.",
      errorResponses: writeErrors(404),
    },
    examples: runExamples.search,
    heavy: true,
  })
  .input(SearchRunsInput)
  .output(SearchRunsResponse)
  .mutation(({ ctx, input }) => searchRuns(ctx.db, ctx.tenantId, input));
