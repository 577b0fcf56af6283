import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { revokeApiKey } from "../admin/revoke-api-key";
import { apiKeys } from "../db/schema";
import { createTestTenant, testDatabase } from "../testing";
import { AUTH_CACHE_TTL_MS, authenticateApiKey } from "./authenticate";

const { db } = await testDatabase();
afterEach(() => vi.useRealTimers());

const keyIdOf = async (key: string) => (await authenticateApiKey(db, key))?.apiKeyId as string;

describe("authenticateApiKey", () => {
  it("answers the key's principal, and null for an unknown key", async () => {
    const t = await createTestTenant(db);
    expect(await authenticateApiKey(db, t.key)).toMatchObject({ admin: false, tenants: [{ id: t.id, slug: t.slug }] });
    expect(await authenticateApiKey(db, `${t.key.slice(0, -1)}x`)).toBeNull();
  });

  it("stops accepting a key revoked through revokeApiKey at once, although it was cached", async () => {
    const t = await createTestTenant(db);
    const id = await keyIdOf(t.key);
    await revokeApiKey(db, id);
    expect(await authenticateApiKey(db, t.key)).toBeNull();
  });

  it("reuses a lookup for AUTH_CACHE_TTL_MS (a revocation by another process shows after it)", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const t = await createTestTenant(db);
    const id = await keyIdOf(t.key);
    // As another server process would: revoke in the database only.
    await db.update(apiKeys).set({ revokedAt: sql`now()` }).where(eq(apiKeys.id, id));
    expect(await authenticateApiKey(db, t.key)).not.toBeNull();
    vi.advanceTimersByTime(AUTH_CACHE_TTL_MS + 1);
    expect(await authenticateApiKey(db, t.key)).toBeNull();
  });
});
