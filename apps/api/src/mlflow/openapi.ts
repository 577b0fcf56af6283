import type { ZodOpenApiPathsObject } from "zod-openapi";
import { KEY_SECURITY } from "../routers/openapi";

/** The MLflow routes served (index.ts registers exactly these; a test checks both ways): method, path, summary. */
export const MLFLOW_ROUTES: [method: "get" | "post" | "put", path: string, summary: string][] = [
  ["post", "/mlflow/experiments/create", "Create an experiment: {name, artifact_location?, tags?} -> {experiment_id}"],
  ["get", "/mlflow/experiments/get", 'Get an experiment by experiment_id ("0" is the Default experiment)'],
  [
    "get",
    "/mlflow/experiments/get-by-name",
    "Get an experiment by experiment_name (404 RESOURCE_DOES_NOT_EXIST when none)",
  ],
  ["post", "/mlflow/experiments/search", "Search experiments: filter, order_by, max_results, page_token, view_type"],
  ["get", "/mlflow/experiments/list", "List experiments (MLflow 1.x, as the npm client calls it)"],
  ["post", "/mlflow/experiments/update", "Rename an experiment: {experiment_id, new_name}"],
  [
    "post",
    "/mlflow/experiments/delete",
    "Delete (archive) an experiment; it stays readable as lifecycle_stage deleted",
  ],
  ["post", "/mlflow/experiments/restore", "Restore a deleted experiment"],
  ["post", "/mlflow/experiments/set-experiment-tag", "Set an experiment tag (mlflow.note.content is the description)"],
  ["post", "/mlflow/experiments/delete-experiment-tag", "Delete an experiment tag"],
  ["post", "/mlflow/runs/create", "Create a run: {experiment_id, user_id?, run_name?, start_time?, tags?}"],
  ["get", "/mlflow/runs/get", "Get a run by run_id (or run_uuid): info, data (latest metrics, params, tags), inputs"],
  ["post", "/mlflow/runs/update", "Update a run: {run_id, status?, end_time?, run_name?} -> {run_info}"],
  ["post", "/mlflow/runs/delete", "Delete a run (soft: it stays readable as lifecycle_stage deleted)"],
  ["post", "/mlflow/runs/restore", "Restore a deleted run"],
  [
    "post",
    "/mlflow/runs/search",
    "Search runs of experiments: filter (MLflow's grammar), order_by, paging, run_view_type",
  ],
  [
    "post",
    "/mlflow/runs/log-metric",
    'Log one metric point: {run_id, key, value (number or "NaN"/"Infinity"), timestamp, step?}',
  ],
  ["post", "/mlflow/runs/log-parameter", "Log a param (write-once: another value is 400 INVALID_PARAMETER_VALUE)"],
  [
    "post",
    "/mlflow/runs/set-tag",
    "Set a run tag (mlflow.runName is the run's name, mlflow.note.content its description)",
  ],
  ["post", "/mlflow/runs/delete-tag", "Delete a run tag"],
  [
    "post",
    "/mlflow/runs/log-batch",
    "Log metrics, params and tags in one atomic write: {run_id, metrics?, params?, tags?}",
  ],
  ["post", "/mlflow/runs/log-inputs", "Log dataset inputs of a run: {run_id, datasets: [{dataset, tags?}]}"],
  [
    "get",
    "/mlflow/metrics/get-history",
    "A metric's whole history, paged by max_results and page_token (all of it without max_results)",
  ],
  [
    "get",
    "/mlflow/metrics/get-history-bulk-interval",
    "A metric's points of several runs (run_ids) in a step range, downsampled to max_results",
  ],
  ["get", "/mlflow/artifacts/list", "List a run's artifacts (MLflow 1.x): {root_uri, files}"],
  ["post", "/mlflow/logged-models/search", "Logged models (MLflow 3): none are stored, the answer is always {}"],
  ["get", "/mlflow-artifacts/artifacts", "List the artifact folder of path=<experiment>/<run>/artifacts[/folder]"],
  ["get", "/mlflow-artifacts/artifacts/{path}", "Download an artifact: path is <experiment>/<run>/artifacts/<file>"],
  [
    "put",
    "/mlflow-artifacts/artifacts/{path}",
    "Upload an artifact as the raw body (streamed, under the artifact size limit)",
  ],
];

const MLFLOW_ERROR = {
  type: "object",
  description: "MLflow's error body",
  properties: {
    error_code: { type: "string", example: "RESOURCE_DOES_NOT_EXIST" },
    message: { type: "string" },
  },
  required: ["error_code", "message"],
} as const;

const SERVERS = [
  { url: "/api/2.0", description: "MLflow's tracking API 2.0 (also at /ajax-api/2.0, and under /t/{tenant slug}/)" },
];

const error = (description: string) => ({ description, content: { "application/json": { schema: MLFLOW_ERROR } } });
const RESPONSES = {
  400: error("INVALID_PARAMETER_VALUE, RESOURCE_ALREADY_EXISTS or BAD_REQUEST"),
  401: error("UNAUTHENTICATED: a missing, unknown or revoked API key"),
  403: error("PERMISSION_DENIED: tenant access denied"),
  404: error("RESOURCE_DOES_NOT_EXIST, or ENDPOINT_NOT_FOUND for a route that is not served"),
};

/**
 * The MLflow routes in the OpenAPI document, under the tag "mlflow": MLflow's own shapes, so only a summary
 * and the error body each; MLflow's REST API reference has the fields (contract section 11).
 */
export const mlflowOpenApiPaths = Object.fromEntries(
  [...new Set(MLFLOW_ROUTES.map(([, path]) => path))].map((path) => [
    path,
    {
      servers: SERVERS,
      ...Object.fromEntries(
        MLFLOW_ROUTES.filter((r) => r[1] === path).map(([method, , summary]) => [
          method,
          {
            operationId: `mlflow-${method}-${path
              .replace(/^\//, "")
              .replace(/[/{}]+/g, "-")
              .replace(/-$/, "")}`,
            tags: ["mlflow"],
            summary,
            security: KEY_SECURITY,
            ...(path.includes("{path}") && {
              parameters: [
                {
                  name: "path",
                  in: "path",
                  required: true,
                  schema: { type: "string" },
                  description: "<experiment>/<run>/artifacts/<file>",
                },
              ],
            }),
            ...(method !== "get" && {
              requestBody: {
                content:
                  method === "put"
                    ? { "application/octet-stream": { schema: { type: "string", format: "binary" } } }
                    : { "application/json": { schema: { type: "object" } } },
              },
            }),
            responses: {
              200:
                method === "get" && path.endsWith("{path}")
                  ? {
                      description: "The file's bytes",
                      content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } },
                    }
                  : {
                      description: "MLflow's answer ({} for void)",
                      content: { "application/json": { schema: { type: "object" } } },
                    },
              ...RESPONSES,
            },
          },
        ]),
      ),
    },
  ]),
) as ZodOpenApiPathsObject;
