import { authenticateApiKey, type Database, DomainError, resolveTenant } from "@stepwise/core";
import type { Context } from "hono";
import { requestScope } from "../http/request-scope";
import { authenticate } from "../trpc/access";

const BASIC = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i;

/** The key and user name of an `Authorization: Basic base64(user:key)` header, or undefined. */
function basicCredentials(authorization: string | undefined) {
  const encoded = authorization ? BASIC.exec(authorization)?.[1] : undefined;
  if (!encoded) return undefined;
  const decoded = Buffer.from(encoded, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), key: decoded.slice(colon + 1) };
}

/**
 * The tenant an MLflow request acts for (contract section 11). The key: `Authorization: Bearer <key>`, or
 * HTTP Basic with the key as the password (what the Python client sends for MLFLOW_TRACKING_USERNAME and
 * PASSWORD). The tenant: the `/t/<slug>/` path prefix, else X-Tenant-ID (or its alias X-MLflow-Workspace),
 * else a Basic user name that names one of the key's tenants, else the key's only tenant. Failures are
 * core's: 401 for a missing, unknown or revoked key, 403 for a tenant the key may not use.
 */
export async function mlflowTenant(c: Context, db: Database): Promise<string> {
  const authorization = c.req.header("authorization");
  const basic = basicCredentials(authorization);
  let principal: Awaited<ReturnType<typeof authenticate>>;
  if (basic) {
    const found = basic.key ? await authenticateApiKey(db, basic.key) : null;
    if (!found)
      throw new DomainError("UNAUTHENTICATED", "Invalid or revoked API key (the Basic password must be the key)");
    principal = found;
  } else {
    principal = await authenticate(db, authorization ?? null);
  }
  const header = c.req.header("x-tenant-id") ?? c.req.header("x-mlflow-workspace");
  const fromUser = basic && principal.tenants.some((t) => t.slug === basic.user) ? basic.user : null;
  const tenantId = resolveTenant(principal, c.req.param("tenantSlug") ?? header ?? fromUser);
  const scope = requestScope();
  if (scope) scope.tenantId = tenantId;
  return tenantId;
}
