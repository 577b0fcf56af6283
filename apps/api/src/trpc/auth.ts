import { authenticateApiKey, type Database, DomainError, type Principal } from "@stepwise/core";

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** The principal of the request's `Authorization: Bearer <key>`; a missing, unknown or revoked key is a 401. */
export async function authenticate(db: Database, authorization: string | null): Promise<Principal> {
  const key = authorization ? BEARER.exec(authorization)?.[1] : undefined;
  if (!key) throw new DomainError("UNAUTHENTICATED", "Missing API key: send the header 'Authorization: Bearer <key>'");
  const principal = await authenticateApiKey(db, key);
  if (!principal) throw new DomainError("UNAUTHENTICATED", "Invalid or revoked API key");
  return principal;
}
