import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { DATABASE_UNAVAILABLE_MESSAGE, RETRY_AFTER_SECONDS } from "../trpc/errors";
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
