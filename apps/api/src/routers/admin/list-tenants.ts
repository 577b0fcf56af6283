import { listTenants } from "@stepwise/core";
import { TenantList } from "@stepwise/core/schemas";
import { adminProcedure } from "../../trpc/procedures";
import { readErrors } from "../openapi";

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
  })
  .output(TenantList)
  .query(({ ctx }) => listTenants(ctx.db));
