import { createHash } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../db";
import { queryRows } from "../db/rows";
import { idempotencyKeys } from "../db/schema";
import { DomainError } from "../shared/errors";
import { LIMITS } from "../shared/limits";

export interface IdempotencyScope {
  tenantId: string;
  apiKeyId: string;
  /** The client's Idempotency-Key. */
  key: string;
}

const WINDOW = sql`now() - interval '24 hours'`;

/** Sorted keys at every level, so that the same request always hashes the same. */
const canonical = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(canonical)
    : value && typeof value === "object"
      ? Object.fromEntries(
          Object.keys(value)
            .sort()
            .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
        )
      : value;

/** What identifies a request: the operation and its input. */
export const requestHash = (operation: string, input: unknown) =>
  createHash("sha256")
    .update(`${operation}\n${JSON.stringify(canonical(input) ?? null)}`)
    .digest("hex");

/**
 * Runs a write once per Idempotency-Key (per tenant and API key, for 24 h): `write` runs in a transaction that
 * also stores its answer, so the effect and the stored answer commit together. A repeat gets the stored answer
 * and writes nothing; the same key with another request is a 422; a repeat while the first is still running is
 * a 409. A write that fails stores nothing, so its repeat runs again.
 */
export async function withIdempotencyKey<T>(
  db: Database,
  scope: IdempotencyScope,
  hash: string,
  write: (tx: Database) => Promise<T>,
): Promise<T> {
  if (scope.key.length === 0 || scope.key.length > LIMITS.idempotencyKey || /[^\x20-\x7e]/.test(scope.key)) {
    throw new DomainError(
      "INVALID_ARGUMENT",
      `Idempotency-Key must be 1-${LIMITS.idempotencyKey} printable ASCII characters`,
    );
  }
  return db.transaction(async (tx) => {
    const lockId = `${scope.tenantId}/${scope.apiKeyId}/${scope.key}`;
    const [lock] = await queryRows<{ locked: boolean }>(
      tx,
      sql`select pg_try_advisory_xact_lock(hashtextextended(${lockId}, 0)) as locked`,
    );
    if (!lock?.locked) {
      throw new DomainError(
        "CONFLICT",
        "A request with this Idempotency-Key is still running; retry once it has finished",
        { retryAfterSeconds: 1 },
      );
    }
    const where = and(
      eq(idempotencyKeys.tenantId, scope.tenantId),
      eq(idempotencyKeys.apiKeyId, scope.apiKeyId),
      eq(idempotencyKeys.key, scope.key),
    );
    const [stored] = await tx
      .select()
      .from(idempotencyKeys)
      .where(and(where, sql`${idempotencyKeys.createdAt} > ${WINDOW}`));
    if (stored) {
      if (stored.requestHash !== hash) {
        throw new DomainError(
          "IDEMPOTENCY_KEY_REUSED",
          "This Idempotency-Key was used for another request in the last 24 hours; use a new key for a new request",
        );
      }
      return stored.response as T;
    }
    const answer = await write(tx);
    await tx
      .insert(idempotencyKeys)
      .values({ ...scope, requestHash: hash, response: answer as object })
      .onConflictDoUpdate({
        target: [idempotencyKeys.tenantId, idempotencyKeys.apiKeyId, idempotencyKeys.key],
        set: { requestHash: hash, response: answer as object, createdAt: sql`now()` },
      });
    return answer;
  });
}

const PRUNE_BATCH = 5000;

/** Deletes stored answers older than the 24 h window, a batch at a time (short statements); answers how many. */
export async function pruneIdempotencyKeys(db: Database): Promise<number> {
  let total = 0;
  for (;;) {
    const [deleted] = await queryRows<{ n: number }>(
      db,
      sql`with gone as (
            delete from idempotency_keys where ctid = any(array(
              select ctid from idempotency_keys where created_at < ${WINDOW} limit ${PRUNE_BATCH}))
            returning 1)
          select count(*)::int as n from gone`,
    );
    total += deleted?.n ?? 0;
    if ((deleted?.n ?? 0) < PRUNE_BATCH) return total;
  }
}
