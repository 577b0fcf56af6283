import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { idempotencyKeys } from "../db/schema";
import { createTestTenant, testDatabase } from "../testing";
import { pruneIdempotencyKeys, requestHash, withIdempotencyKey } from "./with-idempotency-key";

const { db } = await testDatabase();

describe("withIdempotencyKey", () => {
  it("hashes a request by operation and content, not by key order", () => {
    expect(requestHash("runs.create", { a: 1, b: { c: 2, d: [1, 2] } })).toBe(
      requestHash("runs.create", { b: { d: [1, 2], c: 2 }, a: 1 }),
    );
    expect(requestHash("runs.create", { a: 1 })).not.toBe(requestHash("runs.end", { a: 1 }));
    expect(requestHash("runs.create", { a: [1, 2] })).not.toBe(requestHash("runs.create", { a: [2, 1] }));
  });

  it("replays within 24 h, runs again once the answer has expired, and prunes expired answers", async () => {
    const tenant = await createTestTenant(db);
    const scope = { tenantId: tenant.id, apiKeyId: randomUUID(), key: "k" };
    let writes = 0;
    const write = async () => ({ n: ++writes });
    expect(await withIdempotencyKey(db, scope, "h", write)).toEqual({ n: 1 });
    expect(await withIdempotencyKey(db, scope, "h", write)).toEqual({ n: 1 });
    const mine = eq(idempotencyKeys.tenantId, tenant.id);
    const age = () => db.update(idempotencyKeys).set({ createdAt: sql`now() - interval '25 hours'` }).where(mine);
    await age();
    expect(await withIdempotencyKey(db, scope, "other", write)).toEqual({ n: 2 });
    await age();
    expect(await pruneIdempotencyKeys(db)).toBeGreaterThanOrEqual(1);
    expect(await db.select().from(idempotencyKeys).where(mine)).toEqual([]);
  });

  it("stores nothing when the write fails, so a repeat runs it again", async () => {
    const tenant = await createTestTenant(db);
    const scope = { tenantId: tenant.id, apiKeyId: randomUUID(), key: "fails" };
    await expect(withIdempotencyKey(db, scope, "h", () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await withIdempotencyKey(db, scope, "h", async () => "ran")).toBe("ran");
  });
});
