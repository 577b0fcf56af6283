import { revokeApiKey } from "@stepwise/core";
import { ApiKeyIdInput, ApiKeyResponse } from "@stepwise/core/schemas";
import { adminProcedure } from "../../trpc/procedures";
import { readErrors } from "../openapi";
import { adminExamples } from "./examples";

export const revokeApiKeyProcedure = adminProcedure
  .meta({
    openapi: {
      method: "DELETE",
      path: "/admin/api-keys/{id}",
      tags: ["admin"],
      summary: "Revoke an API key",
      description: "Admin keys only. The key stops working at once. Revoking twice is fine.",
      errorResponses: readErrors(404),
    },
    examples: adminExamples.revokeApiKey,
  })
  .input(ApiKeyIdInput)
  .output(ApiKeyResponse)
  .mutation(({ ctx, input }) => revokeApiKey(ctx.db, input.id));
