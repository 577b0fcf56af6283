import type { DomainError } from "@stepwise/core";
import { TRPCError } from "@trpc/server";
import { DATABASE_UNAVAILABLE_MESSAGE, DOMAIN_ERRORS, describeError } from "../http/errors";

/** A domain error as the tRPC error of its row in DOMAIN_ERRORS (http/errors.ts). */
export const toTRPCError = (error: DomainError) =>
  new TRPCError({ code: DOMAIN_ERRORS[error.code].trpc, message: error.message, cause: error });

export const databaseUnavailable = (cause: unknown) =>
  new TRPCError({ code: "SERVICE_UNAVAILABLE", message: DATABASE_UNAVAILABLE_MESSAGE, cause });

/**
 * The tRPC error shape: the message, issues, request id and contract code of describeError (the REST body),
 * inside tRPC's own `{message, code, data}`.
 */
export function formatError({
  shape,
  error,
}: {
  shape: { message: string; code: number; data: { code: string; httpStatus: number; path?: string } };
  error: TRPCError;
}) {
  const { body } = describeError(error);
  return {
    message: body.message,
    code: shape.code,
    data: {
      code: shape.data.code,
      httpStatus: shape.data.httpStatus,
      path: shape.data.path,
      issues: body.issues,
      request_id: body.request_id,
      contract_code: body.code !== shape.data.code ? body.code : undefined,
    },
  };
}
