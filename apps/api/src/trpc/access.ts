import { authenticateApiKey, type Database, DomainError, type Principal, resolveTenant } from "@stepwise/core";
import { requestScope } from "../http/request-scope";

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** The key of an `Authorization: Bearer <key>` header, or undefined. */
export const bearerKey = (authorization: string | null | undefined) =>
  authorization ? BEARER.exec(authorization)?.[1] : undefined;

/** The principal of the request's `Authorization: Bearer <key>`; a missing, unknown or revoked key is a 401. */
export async function authenticate(db: Database, authorization: string | null): Promise<Principal> {
  const key = bearerKey(authorization);
  if (!key) {
    throw new DomainError(
      "UNAUTHENTICATED",
      authorization
        ? "The Authorization header must be exactly one 'Bearer <key>'"
        : "Missing API key: send the header 'Authorization: Bearer <key>'",
    );
  }
  const principal = await authenticateApiKey(db, key);
  if (!principal) throw new DomainError("UNAUTHENTICATED", "Invalid or revoked API key");
  return principal;
}

/** What an operation needs of its caller: a valid key, a tenant it acts for, or an admin key. */
export type AccessNeed = "key" | "tenant" | "admin";

export interface Access {
  principal: Principal;
  /** The tenant the request acts for: set when the need is "tenant". */
  tenantId: string;
}

/**
 * THE access check (contract section 2), in one order: the key (401), then the tenant of X-Tenant-ID or the
 * key's only tenant (400/403), or the admin flag (403). The tRPC procedures run it as their first
 * middleware; the REST routes run it again only to answer a body fault to those who may hear it; the
 * artifact and MLflow routes call it first thing. Throws DomainErrors (answer them with errorAnswer); the
 * resolved tenant goes into the request log line.
 */
export async function access(db: Database, headers: Headers, need: "tenant"): Promise<Access>;
export async function access(
  db: Database,
  headers: Headers,
  need: AccessNeed,
): Promise<Partial<Access> & Pick<Access, "principal">>;
export async function access(db: Database, headers: Headers, need: AccessNeed) {
  const principal = await authenticate(db, headers.get("authorization"));
  if (need === "admin" && !principal.admin) throw new DomainError("FORBIDDEN", "This endpoint needs an admin API key");
  if (need !== "tenant") return { principal };
  const tenantId = resolveTenant(principal, headers.get("x-tenant-id"));
  const scope = requestScope();
  if (scope) scope.tenantId = tenantId;
  return { principal, tenantId };
}
