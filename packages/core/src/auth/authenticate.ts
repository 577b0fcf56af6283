import { and, eq, isNull, sql } from "drizzle-orm";
import type { Database } from "../db";
import { apiKeys } from "../db/schema";
import { apiKeyMatches, apiKeyPrefix } from "./api-key-secret";

export interface Principal {
  apiKeyId: string;
  admin: boolean;
  tenants: { id: string; slug: string }[];
}

/** The principal behind an API key, or null for an unknown or revoked key. One query. */
export async function authenticateApiKey(db: Database, key: string): Promise<Principal | null> {
  const [row] = await db
    .select({
      id: apiKeys.id,
      keyHash: apiKeys.keyHash,
      admin: apiKeys.admin,
      // Literal names: Drizzle leaves columns unqualified in a one-table select, which a subquery would misread.
      tenants: sql<{ id: string; slug: string }[]>`coalesce(
        (select json_agg(json_build_object('id', t.id, 'slug', t.slug) order by t.slug)
           from api_key_grants g join tenants t on t.id = g.tenant_id
          where g.api_key_id = api_keys.id), '[]'::json)`,
    })
    .from(apiKeys)
    .where(and(eq(apiKeys.prefix, apiKeyPrefix(key)), isNull(apiKeys.revokedAt)));
  if (!row || !apiKeyMatches(key, row.keyHash)) return null;
  return { apiKeyId: row.id, admin: row.admin, tenants: row.tenants };
}
