import { and, eq, isNull, sql } from "drizzle-orm";
import type { Database } from "../db";
import { apiKeyGrants, apiKeys, tenants } from "../db/schema";
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
      tenants: sql<{ id: string; slug: string }[]>`coalesce(
        (select json_agg(json_build_object('id', ${tenants.id}, 'slug', ${tenants.slug}))
           from ${apiKeyGrants} join ${tenants} on ${tenants.id} = ${apiKeyGrants.tenantId}
          where ${apiKeyGrants.apiKeyId} = ${apiKeys.id}), '[]'::json)`,
    })
    .from(apiKeys)
    .where(and(eq(apiKeys.prefix, apiKeyPrefix(key)), isNull(apiKeys.revokedAt)));
  if (!row || !apiKeyMatches(key, row.keyHash)) return null;
  return { apiKeyId: row.id, admin: row.admin, tenants: row.tenants };
}
