/** PostgreSQL error classification that works for PGlite and postgres.js errors, also when Drizzle wraps them. */
const UNIQUE_VIOLATION = "23505";

/** The codes along an error's cause chain: SQLSTATEs, postgres.js codes, Node socket codes. */
function codes(error: unknown): string[] {
  const found: string[] = [];
  for (let e: unknown = error; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    // An artifact store's own failure (S3 refusing a connection, say) is never the database's.
    if ((e as { name?: unknown }).name === "ArtifactStoreError") return [];
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") found.push(code);
    if (found.length > 10) break;
  }
  return found;
}

const pgCode = (error: unknown) => codes(error).find((c) => /^[0-9A-Z]{5}$/.test(c));

export const isUniqueViolation = (error: unknown) => pgCode(error) === UNIQUE_VIOLATION;

/** postgres.js and socket codes of a database that cannot be reached or went away mid-request. */
const UNREACHABLE = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "POOL_TIMEOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
]);

/**
 * Whether an error means "the database is unreachable right now" (a 503 that a client may retry), not a
 * bug: a refused or lost connection, a connect timeout, a server shutting down or starting up (57P01-57P03),
 * too many connections (53300), or any connection exception (class 08).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  return codes(error).some(
    (code) => UNREACHABLE.has(code) || code.startsWith("08") || /^57P0[123]$/.test(code) || code === "53300",
  );
}

/**
 * Whether an error means "this database URL cannot be used": unreachable (as above), an unknown host, a
 * refused login (class 28) or a database that does not exist (3D000). Start-up reports these as configuration.
 */
export function isDatabaseRefusal(error: unknown): boolean {
  return (
    isDatabaseUnavailable(error) ||
    codes(error).some((code) => code === "ENOTFOUND" || code.startsWith("28") || code === "3D000")
  );
}
