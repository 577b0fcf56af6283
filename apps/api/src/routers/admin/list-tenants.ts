import { listTenants } from "@stepwise/core";
import { TenantList } from "@stepwise/core/schemas";
import { adminProcedure } from "../../trpc/procedures";
import { readErrors } from "../openapi";
import { adminExamples } from "./examples";

export const listTenantsProcedure = adminProcedure
  .meta({
    openapi: {
      method: "GET",
      path: "/admin/tenants",
      tags: ["admin"],
      summary: "List tenants",
      description: "Admin keys only.",
      errorResponses: readErrors(),
    },
    examples: adminExamples.listTenants,
  })
  .output(TenantList)
  .query(({ ctx }) => listTenants(ctx.db));
