import type { ZodOpenApiPathsObject } from "zod-openapi";

const errorBody = {
  "application/json": {
    schema: {
      type: "object",
      properties: { code: { type: "string" }, message: { type: "string" } },
      required: ["code", "message"],
    },
  },
} as const;
const errors = (statuses: Record<number, string>) =>
  Object.fromEntries(Object.entries(statuses).map(([s, d]) => [s, { description: d, content: errorBody }]));
const runId = { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } } as const;
const tenant = { $ref: "#/components/parameters/TenantId" } as const;
const common = {
  400: "Invalid input or an unsafe path",
  401: "Missing, unknown or revoked API key",
  403: "Tenant access denied",
  404: "Run or artifact not found",
};

/** The plain HTTP artifact routes, described by hand (trpc-to-openapi does not do multipart or raw bytes). */
export const artifactOpenApiPaths = {
  "/experiments/runs/{id}/log-artifact": {
    post: {
      operationId: "runs-logArtifact",
      tags: ["artifacts"],
      summary: "Upload an artifact",
      description:
        "Multipart form with the file in the field `file`; it lands at `<artifact_path>/<file name>` in the run's artifacts, replacing a file of that path. Streamed: nothing is buffered whole; over the size limit it is a 413 and nothing is left behind.",
      security: [{ bearerAuth: [] }],
      parameters: [
        runId,
        {
          name: "artifact_path",
          in: "query",
          required: false,
          schema: { type: "string" },
          description: "A relative folder",
        },
        tenant,
      ],
      requestBody: {
        required: true,
        content: {
          "multipart/form-data": {
            schema: { type: "object", properties: { file: { type: "string", format: "binary" } }, required: ["file"] },
          },
        },
      },
      responses: {
        200: {
          description: "Stored",
          content: {
            "application/json": {
              schema: {
                type: "object",
                properties: { path: { type: "string" }, size: { type: "integer" }, sha256: { type: "string" } },
                required: ["path", "size", "sha256"],
              },
            },
          },
        },
        ...errors({ ...common, 409: "The run's experiment is archived", 413: "The file is over the size limit" }),
      },
    },
  },
  "/experiments/runs/{id}/artifacts/download": {
    get: {
      operationId: "runs-downloadArtifact",
      tags: ["artifacts"],
      summary: "Download an artifact",
      description: "The file's bytes as an attachment (`application/octet-stream`, with `Content-Length`).",
      security: [{ bearerAuth: [] }],
      parameters: [runId, { name: "path", in: "query", required: true, schema: { type: "string" } }, tenant],
      responses: {
        200: {
          description: "The file",
          content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } },
        },
        ...errors(common),
      },
    },
  },
} as ZodOpenApiPathsObject;
