import { t } from "../../trpc/init";
import { createApiKeyProcedure } from "./create-api-key";
import { createTenantProcedure } from "./create-tenant";
import { listApiKeysProcedure } from "./list-api-keys";
import { listTenantsProcedure } from "./list-tenants";
import { revokeApiKeyProcedure } from "./revoke-api-key";

export const adminRouter = t.router({
  createTenant: createTenantProcedure,
  listTenants: listTenantsProcedure,
  createApiKey: createApiKeyProcedure,
  listApiKeys: listApiKeysProcedure,
  revokeApiKey: revokeApiKeyProcedure,
});
