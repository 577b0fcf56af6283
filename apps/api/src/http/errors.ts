import { ArtifactStoreError, DomainError, isDatabaseUnavailable } from "@stepwise/core";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Logger } from "pino";
import { DATABASE_UNAVAILABLE_MESSAGE, domainIssues, RETRY_AFTER_SECONDS, toTRPCError } from "../trpc/errors";
import { requestScope } from "./request-scope";

/** The error body of contract section 3, for answers given before a procedure runs. */
export const errorResponse = (c: Context, status: ContentfulStatusCode, code: string, message: string) =>
  c.json({ code, message }, status);

/** A 500: never the error's text (it may hold SQL), but the request id to quote when reporting it. */
export const internalErrorResponse = (c: Context) =>
  c.json(
    { code: "INTERNAL_SERVER_ERROR", message: "Internal server error", request_id: requestScope()?.requestId },
    500,
  );

/** The 503 of a database that cannot be reached right now, with the Retry-After a client should honour. */
export const unavailableResponse = (c: Context) => {
  c.header("Retry-After", String(RETRY_AFTER_SECONDS));
  return errorResponse(c, 503, "SERVICE_UNAVAILABLE", DATABASE_UNAVAILABLE_MESSAGE);
};

/**
 * What an error thrown outside the procedures (the artifact routes, middlewares) answers: a DomainError with
 * the same status and body as from a procedure (one mapping table), an unreachable database a 503, anything
 * else a logged 500.
 */
export function errorAnswer(c: Context, error: unknown, logger: Logger) {
  if (error instanceof DomainError) {
    const trpcError = toTRPCError(error);
    const status = getHTTPStatusCodeFromError(trpcError) as ContentfulStatusCode;
    if (status === 401) c.header("WWW-Authenticate", "Bearer");
    const issues = domainIssues(error);
    return c.json({ code: trpcError.code, message: error.message, ...(issues && { issues }) }, status);
  }
  if (error instanceof ArtifactStoreError) {
    logger.error({ err: error }, "artifact store failed");
  } else if (isDatabaseUnavailable(error)) {
    logger.warn({ err: error }, "database unreachable");
    return unavailableResponse(c);
  } else {
    logger.error({ err: error }, "request failed");
  }
  return internalErrorResponse(c);
}
