import { listArtifacts } from "@stepwise/core";
import { ArtifactList, ListArtifactsInput } from "@stepwise/core/schemas";
import { tenantProcedure } from "../../trpc/procedures";
import { readErrors } from "../openapi";
import { runExamples } from "./examples";

export const listArtifactsProcedure = tenantProcedure
  .meta({
    openapi: {
      method: "GET",
      path: "/experiments/runs/{id}/artifacts",
      tags: ["artifacts"],
      summary: "List a folder of a run's artifacts",
      description: "`path` is a folder relative to the run's artifact root (the root when left out).",
      errorResponses: readErrors(404),
    },
    examples: runExamples.listArtifacts,
  })
  .input(ListArtifactsInput)
  .output(ArtifactList)
  .query(({ ctx, input }) => listArtifacts(ctx.db, ctx.tenantId, input, ctx.artifacts));
