import { and, eq, isNull, sql } from "drizzle-orm";
import type { Database } from "../db";
import { apiKeys } from "../db/schema";
import { apiKeyMatches, apiKeyPrefix, hashApiKey } from "./api-key-secret";

export interface Principal {
  apiKeyId: string;
  admin: boolean;
  tenants: { id: string; slug: string }[];
}

/** How long a successful authentication is reused by this process (revoking here forgets it at once). */
export const AUTH_CACHE_TTL_MS = 5000;
const MAX_CACHED = 10_000;
const caches = new WeakMap<Database, Map<string, { principal: Principal; expires: number }>>();

const cacheOf = (db: Database) => {
  const cache = caches.get(db) ?? new Map<string, { principal: Principal; expires: number }>();
  caches.set(db, cache);
  return cache;
};

/** Drops a key from this process's authentication cache (on revocation). */
export function forgetApiKey(db: Database, apiKeyId: string) {
  const cache = cacheOf(db);
  for (const [hash, entry] of cache) if (entry.principal.apiKeyId === apiKeyId) cache.delete(hash);
}

/**
 * The principal behind an API key, or null for an unknown or revoked key. One query, then reused for
 * AUTH_CACHE_TTL_MS: a training loop's requests do not pay a round trip each for the same key.
 */
export async function authenticateApiKey(db: Database, key: string): Promise<Principal | null> {
  const cache = cacheOf(db);
  const hash = hashApiKey(key);
  const hit = cache.get(hash);
  if (hit && hit.expires > Date.now()) return hit.principal;
  const principal = await lookUp(db, key);
  if (cache.size >= MAX_CACHED) cache.clear();
  if (principal) cache.set(hash, { principal, expires: Date.now() + AUTH_CACHE_TTL_MS });
  else cache.delete(hash);
  return principal;
}

async function lookUp(db: Database, key: string): Promise<Principal | null> {
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
