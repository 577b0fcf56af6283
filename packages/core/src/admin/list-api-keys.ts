import { asc, eq, sql } from "drizzle-orm";
import type { Database } from "../db";
import { apiKeys } from "../db/schema";
import type { ApiKeyResponse } from "./schemas";
import { toApiKeyResponse } from "./to-response";

// Literal names: Drizzle leaves columns unqualified in a one-table select, which a subquery would misread.
const grantedSlugs = sql<string[]>`coalesce(
  (select array_agg(t.slug order by t.slug)
     from api_key_grants g join tenants t on t.id = g.tenant_id
    where g.api_key_id = api_keys.id), '{}')`;

export async function listApiKeys(db: Database, id?: string): Promise<{ api_keys: ApiKeyResponse[] }> {
  const rows = await db
    .select({ key: apiKeys, tenants: grantedSlugs })
    .from(apiKeys)
    .where(id ? eq(apiKeys.id, id) : undefined)
    .orderBy(asc(apiKeys.createdAt), asc(apiKeys.id));
  return { api_keys: rows.map((r) => toApiKeyResponse(r.key, r.tenants)) };
}
