import { ArtifactStoreError, DomainError, type DomainErrorCode, isDatabaseUnavailable } from "@stepwise/core";
import { type TRPC_ERROR_CODE_KEY, TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Logger } from "pino";
import { ZodError } from "zod";
import { requestScope } from "./request-scope";

/**
 * THE table of domain errors: the HTTP status, the tRPC code, and the contract's `code` where it is not the
 * tRPC code's name. Every transport reads it (tRPC through toTRPCError, REST, the artifact and MLflow
 * routes through errorAnswer); a new DomainErrorCode fails to compile until it has a row. A test checks that
 * tRPC derives the same status from each tRPC code.
 */
export const DOMAIN_ERRORS = {
  INVALID_ARGUMENT: { status: 400, trpc: "BAD_REQUEST" },
  NOT_FOUND: { status: 404, trpc: "NOT_FOUND" },
  CONFLICT: { status: 409, trpc: "CONFLICT" },
  FORBIDDEN: { status: 403, trpc: "FORBIDDEN" },
  UNAUTHENTICATED: { status: 401, trpc: "UNAUTHORIZED" },
  PAYLOAD_TOO_LARGE: { status: 413, trpc: "PAYLOAD_TOO_LARGE" },
  IDEMPOTENCY_KEY_REUSED: { status: 422, trpc: "UNPROCESSABLE_CONTENT", code: "IDEMPOTENCY_KEY_REUSED" },
} as const satisfies Record<
  DomainErrorCode,
  { status: ContentfulStatusCode; trpc: TRPC_ERROR_CODE_KEY; code?: string }
>;

/** Seconds a client should wait before retrying while the database is unreachable (the Retry-After header). */
export const RETRY_AFTER_SECONDS = 2;
export const DATABASE_UNAVAILABLE_MESSAGE = `The database is unreachable right now; retry in ${RETRY_AFTER_SECONDS} seconds`;

export interface Issue {
  path: readonly PropertyKey[];
  message: string;
}

const issueText = (issue: Issue) =>
  issue.path.length ? `${issue.path.map(String).join(".")}: ${issue.message}` : issue.message;

/** One sentence naming every offending field, e.g. `Invalid input: name: name must not be empty`. */
export const describeIssues = (issues: readonly Issue[]) => `Invalid input: ${issues.map(issueText).join("; ")}`;

/** A 400 naming its fields, as a DomainError (thrown anywhere, it answers as every validation error does). */
export const invalidInput = (issues: Issue[]) =>
  new DomainError("INVALID_ARGUMENT", describeIssues(issues), {
    issues: issues.map((i) => ({
      path: i.path.map((p) => (typeof p === "number" ? p : String(p))),
      message: i.message,
    })),
  });

/** zod says "Invalid key in record" for a bad map key; the key rule it broke is in its inner issues. */
const keyIssueMessage = (issue: ZodError["issues"][number]): Issue =>
  issue.code === "invalid_key" && issue.issues?.length
    ? { path: issue.path, message: issue.issues.map((i) => i.message).join("; ") }
    : { path: issue.path, message: issue.message };

/** The error body of contract section 3, on every REST route and plain HTTP route. */
export interface ErrorBody {
  code: string;
  message: string;
  issues?: Issue[];
  request_id?: string;
}

export interface DescribedError {
  status: ContentfulStatusCode;
  body: ErrorBody;
  headers: Record<string, string>;
  /** Why it is logged: a bug (error), an unreachable database (warn), or not at all. */
  log?: { level: "error" | "warn"; message: string; err: unknown };
}

/**
 * THE error answer, for any error thrown by a procedure (a TRPCError, whose cause may be a DomainError or a
 * ZodError), a middleware or a plain route: its status, contract body and headers (WWW-Authenticate on a
 * 401, Retry-After on a 503 and on a conflict that clears by itself). A 500 never shows the error's text (it
 * may hold SQL), only the request id to quote. tRPC's error formatter builds its `data` from the same.
 */
export function describeError(error: unknown): DescribedError {
  const cause = error instanceof TRPCError && error.cause ? error.cause : error;
  if (cause instanceof DomainError) {
    const row: { status: ContentfulStatusCode; trpc: string; code?: string } = DOMAIN_ERRORS[cause.code];
    const headers: Record<string, string> = {};
    if (row.status === 401) headers["WWW-Authenticate"] = "Bearer";
    if (cause.retryAfterSeconds !== undefined) headers["Retry-After"] = String(cause.retryAfterSeconds);
    const issues = cause.issues?.length ? cause.issues.map((i) => ({ path: i.path, message: i.message })) : undefined;
    const body = issues
      ? { code: row.trpc, message: cause.message, issues }
      : { code: row.code ?? row.trpc, message: cause.message };
    return { status: row.status, body, headers };
  }
  // A ZodError behind a 500 is an answer that failed its own schema: a bug, whose details stay in the log.
  if (error instanceof TRPCError && error.code === "BAD_REQUEST" && cause instanceof ZodError) {
    const issues = cause.issues.map(keyIssueMessage);
    return { status: 400, body: { code: "BAD_REQUEST", message: describeIssues(issues), issues }, headers: {} };
  }
  if (isDatabaseUnavailable(cause) || (error instanceof TRPCError && error.code === "SERVICE_UNAVAILABLE")) {
    return {
      status: 503,
      body: { code: "SERVICE_UNAVAILABLE", message: DATABASE_UNAVAILABLE_MESSAGE },
      headers: { "Retry-After": String(RETRY_AFTER_SECONDS) },
      log: { level: "warn", message: "database unreachable", err: cause },
    };
  }
  if (error instanceof TRPCError && error.code !== "INTERNAL_SERVER_ERROR") {
    const status = getHTTPStatusCodeFromError(error) as ContentfulStatusCode;
    return { status, body: { code: error.code, message: error.message }, headers: {} };
  }
  return {
    status: 500,
    body: { code: "INTERNAL_SERVER_ERROR", message: "Internal server error", request_id: requestScope()?.requestId },
    headers: {},
    log: {
      level: "error",
      message: cause instanceof ArtifactStoreError ? "artifact store failed" : "request failed",
      err: cause,
    },
  };
}

/** Answers any error as the procedures' are (describeError), logging bugs and an unreachable database. */
export function errorAnswer(c: Context, error: unknown, logger: Logger, path?: string) {
  const { status, body, headers, log } = describeError(error);
  if (log) logger[log.level]({ err: log.err, path }, log.message);
  return c.json(body, status, headers);
}

/** An error answer given before anything runs (a 413, a 429, a 503 while draining): the same body. */
export const errorResponse = (c: Context, status: ContentfulStatusCode, code: string, message: string) =>
  c.json({ code, message } satisfies ErrorBody, status);
