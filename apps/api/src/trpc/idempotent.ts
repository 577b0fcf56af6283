import { requestHash, withIdempotencyKey } from "@stepwise/core";
import { t } from "./init";

/**
 * Honours `Idempotency-Key` (contract section 3) for every procedure built on writeProcedure: with the header,
 * the rest of the procedure (input validation and resolver) runs in one transaction with its stored answer,
 * and a repeat within 24 h (same tenant, API key and key) gets that answer without writing again; the
 * request is identified by the procedure and its input as sent (key order aside). Without the header, the
 * procedure runs as it is. A failed write rolls back and stores nothing.
 */
export const idempotency = t.middleware(async ({ ctx, path, getRawInput, next }) => {
  const c = ctx as typeof ctx & { tenantId: string; principal: { apiKeyId: string } };
  const key = c.headers.get("idempotency-key");
  if (key === null) return next();
  const scope = { tenantId: c.tenantId, apiKeyId: c.principal.apiKeyId, key };
  let result: Awaited<ReturnType<typeof next>> | undefined;
  const answer = await withIdempotencyKey(c.db, scope, requestHash(path, await getRawInput()), async (tx) => {
    result = await next({ ctx: { db: tx } });
    if (!result.ok) throw result.error;
    return result.data;
  });
  // A replay never ran the procedure: its answer is the stored one, in the shape of a middleware result.
  return result ?? ({ ok: true, data: answer, ctx } as unknown as Awaited<ReturnType<typeof next>>);
});
