import { foreignKey, index, pgTable, primaryKey, uuid } from "drizzle-orm/pg-core";
import { apiKeys } from "./api-keys";
import { createdAt, tenantId } from "./columns";
import { tenants } from "./tenants";

/** Which tenants a key may act for. */
export const apiKeyGrants = pgTable(
  "api_key_grants",
  {
    tenantId: tenantId(),
    apiKeyId: uuid("api_key_id").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: "api_key_grants_pkey", columns: [t.tenantId, t.apiKeyId] }),
    index("api_key_grants_api_key_idx").on(t.apiKeyId),
    foreignKey({ name: "api_key_grants_tenant_fk", columns: [t.tenantId], foreignColumns: [tenants.id] }),
    foreignKey({ name: "api_key_grants_api_key_fk", columns: [t.apiKeyId], foreignColumns: [apiKeys.id] }).onDelete(
      "cascade",
    ),
  ],
);
