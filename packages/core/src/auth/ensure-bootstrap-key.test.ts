import { count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createApiKey } from "../admin/create-api-key";
import { revokeApiKey } from "../admin/revoke-api-key";
import { apiKeyGrants, apiKeys, tenants } from "../db/schema";
import { one } from "../shared/ids";
import { createTestTenant, testDatabase } from "../testing";
import { apiKeyPrefix, generateApiKey, hashApiKey } from "./api-key-secret";
import { authenticateApiKey } from "./authenticate";
import { ensureBootstrapKey } from "./ensure-bootstrap-key";

// The case of a database without any key is in ensure-bootstrap-key.empty.test.ts (it needs a database of its own).
const { db } = await testDatabase();
const keysWithPrefix = async (key: string) =>
  one(
    await db
      .select({ n: count() })
      .from(apiKeys)
      .where(eq(apiKeys.prefix, apiKeyPrefix(key))),
  ).n;
const defaultTenants = async () =>
  one(await db.select({ n: count() }).from(tenants).where(eq(tenants.slug, "default"))).n;

describe("ensureBootstrapKey with a configured key", () => {
  it("creates it as an admin key granted tenant default, and returns null", async () => {
    const { key } = generateApiKey();
    expect(await authenticateApiKey(db, key)).toBeNull();
    expect(await ensureBootstrapKey(db, key)).toBeNull();
    const principal = await authenticateApiKey(db, key);
    expect(principal).toMatchObject({ admin: true, tenants: [{ slug: "default", id: expect.any(String) }] });
    const [row] = await db
      .select()
      .from(apiKeys)
      .where(eq(apiKeys.prefix, apiKeyPrefix(key)));
    expect(row).toMatchObject({ name: "bootstrap", keyHash: hashApiKey(key), admin: true, revokedAt: null });
  });

  it("is idempotent: a second start-up adds no key, tenant or grant", async () => {
    const { key } = generateApiKey();
    await ensureBootstrapKey(db, key);
    const before = await authenticateApiKey(db, key);
    expect(await ensureBootstrapKey(db, key)).toBeNull();
    expect(await authenticateApiKey(db, key)).toEqual(before);
    expect(await keysWithPrefix(key)).toBe(1);
    expect(await defaultTenants()).toBe(1);
    const grants = await db
      .select()
      .from(apiKeyGrants)
      .where(eq(apiKeyGrants.apiKeyId, before?.apiKeyId ?? ""));
    expect(grants).toHaveLength(1);
  });

  it("re-activates a revoked configured key", async () => {
    const { key } = generateApiKey();
    await ensureBootstrapKey(db, key);
    const principal = await authenticateApiKey(db, key);
    await revokeApiKey(db, principal?.apiKeyId ?? "");
    expect(await authenticateApiKey(db, key)).toBeNull();
    await ensureBootstrapKey(db, key);
    expect(await authenticateApiKey(db, key)).toEqual(principal);
    expect(await keysWithPrefix(key)).toBe(1);
  });

  it("makes an existing non-admin key with that secret an admin key granted default, keeping its grants", async () => {
    const tenant = await createTestTenant(db);
    const secret = generateApiKey();
    await createApiKey(db, { name: "ci", tenants: [tenant.slug], admin: false }, secret);
    await ensureBootstrapKey(db, secret.key);
    const principal = await authenticateApiKey(db, secret.key);
    expect(principal?.admin).toBe(true);
    expect(principal?.tenants.map((t) => t.slug).sort()).toEqual(["default", tenant.slug].sort());
  });

  it("refuses a configured key that shares its prefix with another key, and changes nothing", async () => {
    const tenant = await createTestTenant(db);
    const existing = generateApiKey();
    await createApiKey(db, { name: "other", tenants: [tenant.slug], admin: false }, existing);
    const clash = `${existing.prefix}${generateApiKey().key.slice(12)}`;
    await expect(ensureBootstrapKey(db, clash)).rejects.toThrow(/first 12 characters/);
    expect(await authenticateApiKey(db, clash)).toBeNull();
    expect(await authenticateApiKey(db, existing.key)).toMatchObject({ admin: false });
  });
});

describe("ensureBootstrapKey without a configured key", () => {
  it("returns null and creates nothing on a database that holds keys", async () => {
    await createTestTenant(db);
    const before = one(await db.select({ n: count() }).from(apiKeys)).n;
    expect(await ensureBootstrapKey(db)).toBeNull();
    expect(one(await db.select({ n: count() }).from(apiKeys)).n).toBe(before);
  });
});
