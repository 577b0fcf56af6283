/**
 * The closed set of errors that domain functions raise. The API maps each code to one HTTP status in
 * exactly one table (apps/api/src/trpc/errors.ts); adding a code here fails to compile until it is mapped.
 */
export const DOMAIN_ERROR_CODES = [
  "INVALID_ARGUMENT",
  "NOT_FOUND",
  "CONFLICT",
  "FORBIDDEN",
  "UNAUTHENTICATED",
  "PAYLOAD_TOO_LARGE",
  "IDEMPOTENCY_KEY_REUSED",
] as const;
export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

/** One offending input field, as contract section 3 lists them: its path and what is wrong with it. */
export interface ValidationIssue {
  path: readonly (string | number)[];
  message: string;
}

export class DomainError extends Error {
  override readonly name = "DomainError";
  /** Set when retrying soon may succeed: the API sends it as Retry-After (seconds). */
  readonly retryAfterSeconds?: number;
  /** The fields at fault, for a validation error: the API lists them in `issues` as zod's errors are. */
  readonly issues?: readonly ValidationIssue[];
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    options: { retryAfterSeconds?: number; issues?: readonly ValidationIssue[] } = {},
  ) {
    super(message);
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.issues = options.issues;
  }
}

export const notFound = (what: string, id: string) => new DomainError("NOT_FOUND", `${what} '${id}' not found`);
export const conflict = (message: string) => new DomainError("CONFLICT", message);
/** A 400; naming the `field` at fault lists it in `issues` with this message. */
export const invalid = (message: string, field?: string) =>
  new DomainError("INVALID_ARGUMENT", message, field ? { issues: [{ path: [field], message }] } : {});
