import { createTenant } from "@stepwise/core";
import { CreateTenantInput, TenantResponse } from "@stepwise/core/schemas";
import { adminProcedure } from "../../trpc/procedures";
import { writeErrors } from "../openapi";
import { adminExamples } from "./examples";

export const createTenantProcedure = adminProcedure
  .meta({
    openapi: {
      method: "POST",
      path: "/admin/tenants",
      tags: ["admin"],
      summary: "Create a tenant",
      description: "Admin keys only. The slug is 2-63 characters of a-z, 0-9 and -.",
      errorResponses: writeErrors(409),
    },
    successStatus: 201,
    examples: adminExamples.createTenant,
  })
  .input(CreateTenantInput)
  .output(TenantResponse)
  .mutation(({ ctx, input }) => createTenant(ctx.db, input));
