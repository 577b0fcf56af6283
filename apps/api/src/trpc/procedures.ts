import { DomainError, resolveTenant } from "@stepwise/core";
import { authenticate } from "./auth";
import { toTRPCError } from "./errors";
import { t } from "./init";

/** Turns domain errors (thrown anywhere below, middlewares included) into their tRPC codes. */
const mapDomainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof DomainError) throw toTRPCError(result.error.cause);
  return result;
});

export const publicProcedure = t.procedure.use(mapDomainErrors);

export const authedProcedure = publicProcedure.use(async ({ ctx, next }) =>
  next({ ctx: { principal: await authenticate(ctx.db, ctx.headers.get("authorization")) } }),
);

/** Most procedures: an API key, and the tenant it acts for (X-Tenant-ID, or the key's only tenant). */
export const tenantProcedure = authedProcedure.use(({ ctx, next }) =>
  next({ ctx: { tenantId: resolveTenant(ctx.principal, ctx.headers.get("x-tenant-id")) } }),
);

export const adminProcedure = authedProcedure.use(({ ctx, next }) => {
  if (!ctx.principal.admin) throw new DomainError("FORBIDDEN", "This endpoint needs an admin API key");
  return next();
});
