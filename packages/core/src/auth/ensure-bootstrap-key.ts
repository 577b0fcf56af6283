import { count, eq, sql } from "drizzle-orm";
import { createApiKey } from "../admin/create-api-key";
import type { Database } from "../db";
import { apiKeyGrants, apiKeys, tenants } from "../db/schema";
import { newId, one } from "../shared/ids";
import { apiKeyPrefix, hashApiKey } from "./api-key-secret";

const DEFAULT_TENANT = "default";

async function ensureDefaultTenant(db: Database): Promise<string> {
  await db.insert(tenants).values({ id: newId(), slug: DEFAULT_TENANT, name: "Default" }).onConflictDoNothing();
  return one(await db.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, DEFAULT_TENANT))).id;
}

/**
 * Contract section 2. With a configured key: make sure exactly that key exists as an active admin key
 * granted tenant `default`. Without one, on a database that holds no key yet: create tenant `default` and one
 * admin key, and return it so that the caller can show it once. Otherwise returns null.
 */
export function ensureBootstrapKey(db: Database, configuredKey?: string): Promise<string | null> {
  return db.transaction(async (tx) => {
    // One start-up at a time decides (several replicas may start together).
    await tx.execute(sql`select pg_advisory_xact_lock(7347001)`);
    if (!configuredKey) {
      if (one(await tx.select({ n: count() }).from(apiKeys)).n > 0) return null;
      await ensureDefaultTenant(tx);
      const created = await createApiKey(tx, { name: "bootstrap", tenants: [DEFAULT_TENANT], admin: true });
      return created.key;
    }
    const tenantId = await ensureDefaultTenant(tx);
    const secret = { key: configuredKey, prefix: apiKeyPrefix(configuredKey), hash: hashApiKey(configuredKey) };
    const [existing] = await tx.select().from(apiKeys).where(eq(apiKeys.prefix, secret.prefix));
    if (!existing) {
      await createApiKey(tx, { name: "bootstrap", tenants: [DEFAULT_TENANT], admin: true }, secret);
      return null;
    }
    if (existing.keyHash !== secret.hash) {
      throw new Error("STEPWISE_BOOTSTRAP_KEY shares its first 12 characters with another key; choose another key");
    }
    await tx.update(apiKeys).set({ admin: true, revokedAt: null }).where(eq(apiKeys.id, existing.id));
    await tx.insert(apiKeyGrants).values({ tenantId, apiKeyId: existing.id }).onConflictDoNothing();
    return null;
  });
}
