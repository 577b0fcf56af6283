import { listApiKeys } from "@stepwise/core";
import { ApiKeyList } from "@stepwise/core/schemas";
import { adminProcedure } from "../../trpc/procedures";
import { readErrors } from "../openapi";
import { adminExamples } from "./examples";

export const listApiKeysProcedure = adminProcedure
  .meta({
    openapi: {
      method: "GET",
      path: "/admin/api-keys",
      tags: ["admin"],
      summary: "List API keys",
      description: "Admin keys only. Without secrets; revoked keys show `revoked_at`.",
      errorResponses: readErrors(),
    },
    examples: adminExamples.listApiKeys,
  })
  .output(ApiKeyList)
  .query(({ ctx }) => listApiKeys(ctx.db));
