import type { tables } from "../db";
import type { ApiKeyResponse, TenantResponse } from "./schemas";

export const toTenantResponse = (row: typeof tables.tenants.$inferSelect): TenantResponse => ({
  id: row.id,
  slug: row.slug,
  name: row.name,
  created_at: row.createdAt.toISOString(),
});

export const toApiKeyResponse = (row: typeof tables.apiKeys.$inferSelect, tenants: string[]): ApiKeyResponse => ({
  id: row.id,
  name: row.name,
  prefix: row.prefix,
  tenants,
  admin: row.admin,
  created_at: row.createdAt.toISOString(),
  revoked_at: row.revokedAt?.toISOString() ?? null,
});
