import { createApiKey } from "@stepwise/core";
import { CreateApiKeyInput, CreatedApiKey } from "@stepwise/core/schemas";
import { adminProcedure } from "../../trpc/procedures";
import { writeErrors } from "../openapi";
import { adminExamples } from "./examples";

export const createApiKeyProcedure = adminProcedure
  .meta({
    openapi: {
      method: "POST",
      path: "/admin/api-keys",
      tags: ["admin"],
      summary: "Create an API key",
      description: "Admin keys only. The answer holds the secret `key`: it is shown this once and never again.",
      errorResponses: writeErrors(),
    },
    successStatus: 201,
    examples: adminExamples.createApiKey,
  })
  .input(CreateApiKeyInput)
  .output(CreatedApiKey)
  .mutation(({ ctx, input }) => createApiKey(ctx.db, input));
