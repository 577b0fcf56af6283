import { DomainError, isDatabaseUnavailable } from "@stepwise/core";
import { invalidInput } from "../http/errors";
import { access } from "./access";
import { databaseUnavailable, toTRPCError } from "./errors";
import { idempotency } from "./idempotent";
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
        throw invalidInput([{ path: [field, "__proto__"], message: "key '__proto__' is reserved" }]);
      }
    }
  }
  return next();
});

const publicProcedure = t.procedure.use(mapDomainErrors);

/**
 * Most procedures: an API key, and the tenant it acts for (X-Tenant-ID, or the key's only tenant). The meta
 * flag (merged into each procedure's own) gives the operation the tenant header in the OpenAPI document and
 * tells the REST routes which access check to run first.
 */
export const tenantProcedure = publicProcedure
  .meta({ access: "tenant" })
  .use(async ({ ctx, next }) => next({ ctx: await access(ctx.db, ctx.headers, "tenant") }))
  .use(refuseProtoKeys);

/**
 * Tenant writes that honour Idempotency-Key: the one declaration that both runs the write in its idempotent
 * transaction (trpc/idempotent.ts) and puts the header into the OpenAPI document.
 */
export const writeProcedure = tenantProcedure.meta({ idempotent: true }).use(idempotency);

/** Admin endpoints: an admin API key (a non-admin key is a 403); they act for no tenant. */
export const adminProcedure = publicProcedure
  .meta({ access: "admin" })
  .use(async ({ ctx, next }) => next({ ctx: await access(ctx.db, ctx.headers, "admin") }))
  .use(refuseProtoKeys);
