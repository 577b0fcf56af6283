import type { oas31 } from "zod-openapi";
import { DATABASE_UNAVAILABLE_MESSAGE, RETRY_AFTER_SECONDS } from "../http/errors";

/**
 * What the REST operations document about errors and auth (contract sections 2 and 3): the error statuses
 * each operation may answer, with one shared body schema, and the security requirements.
 */
const ERRORS: Record<number, { description: string; code: string; example: string }> = {
  400: {
    description: "Invalid input: the message and issues say what to fix",
    code: "BAD_REQUEST",
    example: "Invalid input: name: name must not be empty",
  },
  401: {
    description: "Missing, unknown or revoked API key",
    code: "UNAUTHORIZED",
    example: "Invalid or revoked API key",
  },
  403: {
    description: "Tenant access denied, or an admin endpoint without an admin key",
    code: "FORBIDDEN",
    example: "Tenant access denied",
  },
  404: {
    description: "Not found in this tenant",
    code: "NOT_FOUND",
    example: "Run '01972ff1-47e4-74f2-9a9c-7e1b8d3a6501' not found",
  },
  409: {
    description: "Conflicts with the current state",
    code: "CONFLICT",
    example: "Run '01972ff1-47e4-74f2-9a9c-7e1b8d3a6501' has already ended with status FINISHED",
  },
  413: {
    description: "Body over its size limit",
    code: "PAYLOAD_TOO_LARGE",
    example: "Request body is over the limit of 16777216 bytes",
  },
  415: {
    description: "Body is not JSON",
    code: "UNSUPPORTED_MEDIA_TYPE",
    example: "Send the body as JSON with 'Content-Type: application/json' (got 'text/plain')",
  },
  422: {
    description: "This Idempotency-Key was used for another request in the last 24 hours",
    code: "IDEMPOTENCY_KEY_REUSED",
    example: "This Idempotency-Key was used for another request in the last 24 hours; use a new key for a new request",
  },
  429: {
    description:
      "Over the API key's rate limit, or the server is busy with large requests: retry after Retry-After seconds",
    code: "TOO_MANY_REQUESTS",
    example:
      "This API key is over its rate limit of 1000 requests per second (bursts of 2000); retry after Retry-After seconds, or send fewer, larger batches (log-batch takes 10000 metrics)",
  },
  500: {
    description: "A bug on the server; the body carries no details",
    code: "INTERNAL_SERVER_ERROR",
    example: "Internal server error",
  },
  503: {
    description: "The database is unreachable right now: retry after Retry-After seconds",
    code: "SERVICE_UNAVAILABLE",
    example: DATABASE_UNAVAILABLE_MESSAGE,
  },
};

const pick = (statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, ERRORS[s]?.description ?? "Error"])) as Record<number, string>;

/** Errors of an operation without a body (GET, DELETE). */
export const readErrors = (...extra: number[]) => pick([400, 401, 403, ...extra, 429, 500, 503]);
/** Errors of an operation with a JSON body (POST, PATCH). */
export const writeErrors = (...extra: number[]) => pick([400, 401, 403, ...extra, 413, 415, 429, 500, 503]);

/** The body of every error answer, REST and plain routes alike (http/errors.ts). */
export const ERROR_SCHEMA: oas31.SchemaObject = {
  type: "object",
  description: "Every error answer: a stable code, a message a person can act on, and the fields at fault.",
  properties: {
    code: { type: "string", description: "A stable upper-case word such as NOT_FOUND", example: "NOT_FOUND" },
    message: { type: "string", description: "What went wrong and what to do about it" },
    issues: {
      type: "array",
      description: "Validation errors only: each offending field and what is wrong with it",
      items: {
        type: "object",
        properties: {
          path: { type: "array", items: { type: ["string", "integer"] }, description: 'Where, e.g. ["tags", "lr"]' },
          message: { type: "string" },
        },
        required: ["path", "message"],
      },
    },
    request_id: {
      type: "string",
      description: "500s only: the request's id (also in the X-Request-Id header) to quote when reporting the error",
    },
  },
  required: ["code", "message"],
};

const RETRY_AFTER = {
  description: "Seconds to wait before retrying",
  schema: { type: "integer", example: RETRY_AFTER_SECONDS },
};

/** The response object of an error status: the shared body schema and an example of that status. */
export function errorResponse(status: number, description?: string) {
  const error = ERRORS[status];
  const example =
    status === 400
      ? {
          code: "BAD_REQUEST",
          message: error?.example,
          issues: [{ path: ["name"], message: "name must not be empty" }],
        }
      : { code: error?.code ?? "ERROR", message: error?.example ?? description };
  return {
    description: description ?? error?.description ?? "Error",
    ...(status === 503 || status === 429 ? { headers: { "Retry-After": RETRY_AFTER } } : {}),
    content: { "application/json": { schema: { $ref: "#/components/schemas/Error" }, example } },
  };
}

/** Error responses by status for hand-written path items (buildOpenApiDocument gives the procedures the same). */
export const errorResponses = (statuses: Record<number, string>) =>
  Object.fromEntries(Object.entries(statuses).map(([s, d]) => [s, errorResponse(Number(s), d)]));

/** An API key, plus X-Tenant-ID unless the key is granted exactly one tenant: either alternative will do. */
export const TENANT_SECURITY: Record<string, string[]>[] = [{ bearerAuth: [], tenantHeader: [] }, { bearerAuth: [] }];
/** Operations that act for no tenant (the admin ones): an API key only. */
export const KEY_SECURITY: Record<string, string[]>[] = [{ bearerAuth: [] }];
