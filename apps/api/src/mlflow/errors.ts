import { ArtifactStoreError, DomainError, type DomainErrorCode, isDatabaseUnavailable } from "@stepwise/core";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Logger } from "pino";
import { DATABASE_UNAVAILABLE_MESSAGE, RETRY_AFTER_SECONDS } from "../http/errors";
import { requestScope } from "../http/request-scope";

/** The MLflow error codes this layer answers with (MLflow's `databricks.ErrorCode` names). */
export type MlflowErrorCode =
  | "INVALID_PARAMETER_VALUE"
  | "RESOURCE_ALREADY_EXISTS"
  | "BAD_REQUEST"
  | "RESOURCE_DOES_NOT_EXIST"
  | "PERMISSION_DENIED"
  | "UNAUTHENTICATED"
  | "ENDPOINT_NOT_FOUND"
  | "RESOURCE_EXHAUSTED"
  | "TEMPORARILY_UNAVAILABLE"
  | "INTERNAL_ERROR";

/**
 * THE mapping from core's domain errors to MLflow's status and code. Every status is a 4xx: MLflow's
 * client retries 5xx, 408 and 429 for minutes, so a client mistake must never look like one. A CONFLICT
 * (a changed param, a write to a deleted run or an archived experiment) is MLflow's INVALID_PARAMETER_VALUE;
 * a route whose MLflow twin says otherwise for its conflict names that code (see `conflictCode`).
 */
const MLFLOW_ERROR: Record<DomainErrorCode, [ContentfulStatusCode, MlflowErrorCode]> = {
  INVALID_ARGUMENT: [400, "INVALID_PARAMETER_VALUE"],
  NOT_FOUND: [404, "RESOURCE_DOES_NOT_EXIST"],
  CONFLICT: [400, "INVALID_PARAMETER_VALUE"],
  FORBIDDEN: [403, "PERMISSION_DENIED"],
  UNAUTHENTICATED: [401, "UNAUTHENTICATED"],
  PAYLOAD_TOO_LARGE: [413, "RESOURCE_EXHAUSTED"],
  IDEMPOTENCY_KEY_REUSED: [400, "INVALID_PARAMETER_VALUE"],
};

/** MLflow's error body. */
export const mlflowErrorResponse = (c: Context, status: ContentfulStatusCode, code: MlflowErrorCode, message: string) =>
  c.json({ error_code: code, message }, status);

/** The answer to an unknown MLflow route: MLflow's code, in JSON, at once (no auth, no body read). */
export const endpointNotFound = (c: Context) =>
  mlflowErrorResponse(
    c,
    404,
    "ENDPOINT_NOT_FOUND",
    `Stepwise does not serve ${c.req.method} ${c.req.path} (the MLflow tracking API is served; the model registry, traces, prompts and scorers are not)`,
  );

/**
 * Any error of an MLflow route, answered in MLflow's shape: a DomainError through the table above (a route's
 * conflict as `conflictCode`), an unreachable database a 503 with Retry-After, anything else a logged 500.
 */
export function mlflowErrorAnswer(c: Context, error: unknown, logger: Logger, conflictCode?: MlflowErrorCode) {
  if (error instanceof DomainError) {
    const [status, code] = MLFLOW_ERROR[error.code];
    if (status === 401) c.header("WWW-Authenticate", 'Bearer, Basic realm="Stepwise"');
    return mlflowErrorResponse(
      c,
      status,
      error.code === "CONFLICT" && conflictCode ? conflictCode : code,
      error.message,
    );
  }
  if (isDatabaseUnavailable(error)) {
    logger.warn({ err: error }, "database unreachable");
    c.header("Retry-After", String(RETRY_AFTER_SECONDS));
    return mlflowErrorResponse(c, 503, "TEMPORARILY_UNAVAILABLE", DATABASE_UNAVAILABLE_MESSAGE);
  }
  logger.error({ err: error }, error instanceof ArtifactStoreError ? "artifact store failed" : "request failed");
  return c.json(
    { error_code: "INTERNAL_ERROR", message: "Internal server error", request_id: requestScope()?.requestId },
    500,
  );
}
