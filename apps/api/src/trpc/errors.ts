import { DomainError, type DomainErrorCode } from "@stepwise/core";
import { TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/unstable-core-do-not-import";
import { ZodError } from "zod";
import { requestScope } from "../http/request-scope";

/** THE mapping from domain errors to tRPC codes (trpc-to-openapi derives the HTTP status from the tRPC code). */
const TRPC_CODE: Record<DomainErrorCode, TRPC_ERROR_CODE_KEY> = {
  INVALID_ARGUMENT: "BAD_REQUEST",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  FORBIDDEN: "FORBIDDEN",
  UNAUTHENTICATED: "UNAUTHORIZED",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  IDEMPOTENCY_KEY_REUSED: "UNPROCESSABLE_CONTENT",
};

/** Contract codes that differ from the tRPC code's name (the REST body and `data.contract_code` carry them). */
const CONTRACT_CODE: Partial<Record<DomainErrorCode, string>> = {
  IDEMPOTENCY_KEY_REUSED: "IDEMPOTENCY_KEY_REUSED",
};

export const toTRPCError = (error: DomainError) =>
  new TRPCError({ code: TRPC_CODE[error.code], message: error.message, cause: error });

/** Seconds a client should wait before retrying while the database is unreachable (the Retry-After header). */
export const RETRY_AFTER_SECONDS = 2;
export const DATABASE_UNAVAILABLE_MESSAGE = `The database is unreachable right now; retry in ${RETRY_AFTER_SECONDS} seconds`;

export const databaseUnavailable = (cause: unknown) =>
  new TRPCError({ code: "SERVICE_UNAVAILABLE", message: DATABASE_UNAVAILABLE_MESSAGE, cause });

export interface Issue {
  path: readonly PropertyKey[];
  message: string;
}

const issueText = (issue: Issue) =>
  issue.path.length ? `${issue.path.map(String).join(".")}: ${issue.message}` : issue.message;

/** The `issues` of a domain validation error that names its fields. */
export const domainIssues = (error: unknown): readonly Issue[] | undefined =>
  error instanceof DomainError && error.issues?.length ? error.issues : undefined;

/** zod says "Invalid key in record" for a bad map key; the key rule it broke is in its inner issues. */
const keyIssueMessage = <T extends { code: string; message: string; issues?: { message: string }[] }>(issue: T): T =>
  issue.code === "invalid_key" && issue.issues?.length
    ? { ...issue, message: issue.issues.map((i) => i.message).join("; ") }
    : issue;

/** One sentence naming every offending field, e.g. `Invalid input: name: name must not be empty`. */
export const describeIssues = (issues: Issue[]) => `Invalid input: ${issues.map(issueText).join("; ")}`;

/**
 * The error body on both transports: a message a person can act on, the upper-case code, zod issues for
 * validation errors, and never a stack trace or the text of an unexpected error (it may hold SQL).
 */
export function formatError({
  shape,
  error,
}: {
  shape: { message: string; code: number; data: { code: string; httpStatus: number; path?: string } };
  error: TRPCError;
}) {
  // A ZodError behind a 500 is an answer that failed its own schema: a bug, whose details stay in the log.
  const zodIssues =
    error.cause instanceof ZodError && error.code === "BAD_REQUEST"
      ? error.cause.issues.map(keyIssueMessage)
      : undefined;
  const issues = zodIssues ?? domainIssues(error.cause);
  const message =
    error.code === "INTERNAL_SERVER_ERROR"
      ? "Internal server error"
      : zodIssues?.length
        ? describeIssues(zodIssues)
        : shape.message;
  return {
    message,
    code: shape.code,
    data: {
      code: shape.data.code,
      httpStatus: shape.data.httpStatus,
      path: shape.data.path,
      issues: issues?.map((i) => ({ path: i.path, message: i.message })),
      request_id: error.code === "INTERNAL_SERVER_ERROR" ? requestScope()?.requestId : undefined,
      contract_code: error.cause instanceof DomainError ? CONTRACT_CODE[error.cause.code] : undefined,
    },
  };
}
