import { DomainError, isDatabaseUnavailable, type Principal, resolveTenant } from "@stepwise/core";
import { requestScope } from "../http/request-scope";
import { authenticate } from "./auth";
import { databaseUnavailable, describeIssues, toTRPCError } from "./errors";
import { t } from "./init";

/**
 * Turns domain errors (thrown anywhere below, middlewares included) into their tRPC codes, and a database
 * that cannot be reached into a 503 the client may retry.
 */
const mapDomainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof DomainError) throw toTRPCError(result.error.cause);
  if (!result.ok && isDatabaseUnavailable(result.error.cause)) throw databaseUnavailable(result.error.cause);
  return result;
});

/**
 * A map field (tags, metrics, params) with the key `__proto__` is refused: the key is valid by the contract's
 * rules, but zod, like any JavaScript object, drops it, and a silent success would lose the client's data.
 * Only the input's top-level fields are maps, so this looks one level down. It runs after the key, tenant
 * and admin checks, as input validation does.
 */
const refuseProtoKeys = t.middleware(async ({ getRawInput, next }) => {
  const input = await getRawInput();
  if (input && typeof input === "object") {
    for (const [field, value] of Object.entries(input)) {
      if (value && typeof value === "object" && Object.hasOwn(value, "__proto__")) {
        const issues = [{ path: [field, "__proto__"], message: "key '__proto__' is reserved" }];
        throw new DomainError("INVALID_ARGUMENT", describeIssues(issues), { issues });
      }
    }
  }
  return next();
});

export const publicProcedure = t.procedure.use(mapDomainErrors);

export const authedProcedure = publicProcedure.use(async ({ ctx, next }) =>
  next({ ctx: { principal: await authenticate(ctx.db, ctx.headers.get("authorization")) } }),
);

/**
 * Most procedures: an API key, and the tenant it acts for (X-Tenant-ID, or the key's only tenant). The meta
 * flag (merged into each procedure's own) gives the operation the tenant header in the OpenAPI document.
 */
export const tenantProcedure = authedProcedure
  .meta({ tenant: true })
  .use(({ ctx, next }) => {
    const tenantId = resolveTenant(ctx.principal, ctx.headers.get("x-tenant-id"));
    const scope = requestScope();
    if (scope) scope.tenantId = tenantId;
    return next({ ctx: { tenantId } });
  })
  .use(refuseProtoKeys);

/** Tenant writes that honour Idempotency-Key: their resolver is wrapped in `idempotent()` (trpc/idempotent.ts). */
export const writeProcedure = tenantProcedure.meta({ idempotent: true });

/** A non-admin key on an admin endpoint is a 403. */
export function requireAdmin(principal: Principal) {
  if (!principal.admin) throw new DomainError("FORBIDDEN", "This endpoint needs an admin API key");
}

export const adminProcedure = authedProcedure
  .use(({ ctx, next }) => {
    requireAdmin(ctx.principal);
    return next();
  })
  .use(refuseProtoKeys);
