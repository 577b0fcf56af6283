import { asc, eq, sql } from "drizzle-orm";
import type { Database } from "../db";
import { apiKeyGrants, apiKeys, tenants } from "../db/schema";
import type { ApiKeyResponse } from "./schemas";
import { toApiKeyResponse } from "./to-response";

const grantedSlugs = sql<string[]>`coalesce(
  (select array_agg(${tenants.slug} order by ${tenants.slug})
     from ${apiKeyGrants} join ${tenants} on ${tenants.id} = ${apiKeyGrants.tenantId}
    where ${apiKeyGrants.apiKeyId} = ${apiKeys.id}), '{}')`;

export async function listApiKeys(db: Database, id?: string): Promise<{ api_keys: ApiKeyResponse[] }> {
  const rows = await db
    .select({ key: apiKeys, tenants: grantedSlugs })
    .from(apiKeys)
    .where(id ? eq(apiKeys.id, id) : undefined)
    .orderBy(asc(apiKeys.createdAt), asc(apiKeys.id));
  return { api_keys: rows.map((r) => toApiKeyResponse(r.key, r.tenants)) };
}
