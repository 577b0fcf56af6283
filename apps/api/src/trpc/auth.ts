import { authenticateApiKey, type Database, DomainError, type Principal } from "@stepwise/core";

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
