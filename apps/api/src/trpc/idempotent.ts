import { type Database, requestHash, withIdempotencyKey } from "@stepwise/core";

interface WriteOptions<
  I,
  C extends { db: Database; tenantId: string; principal: { apiKeyId: string }; headers: Headers },
> {
  ctx: C;
  input: I;
  path: string;
}

/**
 * A write resolver that honours `Idempotency-Key` (contract section 3): with the header, the write and its
 * stored answer commit in one transaction, and a repeat within 24 h (same tenant, API key and key) gets that
 * answer without writing again. Without the header, the resolver runs as it is.
 */
export const idempotent =
  <I, O, C extends { db: Database; tenantId: string; principal: { apiKeyId: string }; headers: Headers }>(
    resolve: (opts: { ctx: C; input: I }) => Promise<O>,
  ) =>
  ({ ctx, input, path }: WriteOptions<I, C>): Promise<O> => {
    const key = ctx.headers.get("idempotency-key");
    if (key === null) return resolve({ ctx, input });
    const scope = { tenantId: ctx.tenantId, apiKeyId: ctx.principal.apiKeyId, key };
    return withIdempotencyKey(ctx.db, scope, requestHash(path, input), (tx) =>
      resolve({ ctx: { ...ctx, db: tx }, input }),
    );
  };
