import { ArtifactUploaded, DownloadArtifactInput, LogArtifactQuery } from "@stepwise/core/schemas";
import { z } from "zod";
import type { ZodOpenApiPathsObject } from "zod-openapi";
import { errorResponses, TENANT_SECURITY } from "../routers/openapi";
import { RUN_ID } from "../routers/runs/examples";
import { DOWNLOAD_PATH, UPLOAD_PATH } from "./routes";

/** Examples of the two routes (openapi-examples.test.ts parses them with the routes' schemas). */
export const artifactExamples = {
  upload: { query: { id: RUN_ID, artifact_path: "checkpoints" } },
  uploaded: {
    path: "checkpoints/epoch-10.pt",
    size: 102482341,
    sha256: "94ae8b8afb291f34b8ed1772ca4caa5b9e61fb684d2fb46924f881793cccb120",
  },
  download: { id: RUN_ID, path: "checkpoints/epoch-10.pt" },
};

const param = (description: string, example: string) => ({ param: { description, example } });
const runId = z.object({ id: DownloadArtifactInput.shape.id.meta(param("The run", RUN_ID)) });
const common = {
  400: "Invalid input or an unsafe path",
  401: "Missing, unknown or revoked API key",
  403: "Tenant access denied",
  404: "Run or artifact not found",
  429: "Over the API key's rate limit: retry after Retry-After seconds",
  500: "A bug on the server; the body carries no details",
  503: "The database is unreachable right now: retry after Retry-After seconds",
};

/** The plain HTTP artifact routes (multipart in, bytes out), described from the zod schemas they parse with. */
export const artifactOpenApiPaths: ZodOpenApiPathsObject = {
  [UPLOAD_PATH]: {
    post: {
      operationId: "runs-logArtifact",
      tags: ["artifacts"],
      summary: "Upload an artifact",
      description:
        "Multipart form with the file in the field `file`; it lands at `<artifact_path>/<file name>` in the run's artifacts, replacing a file of that path. Streamed: nothing is buffered whole; over the size limit it is a 413 and nothing is left behind.",
      security: TENANT_SECURITY,
      requestParams: {
        path: runId,
        query: z.object({
          artifact_path: LogArtifactQuery.shape.artifact_path.meta(
            param("A relative folder", artifactExamples.upload.query.artifact_path),
          ),
        }),
      },
      requestBody: {
        required: true,
        content: { "multipart/form-data": { schema: z.object({ file: z.file() }) } },
      },
      responses: {
        200: {
          description: "Stored",
          content: { "application/json": { schema: ArtifactUploaded, example: artifactExamples.uploaded } },
        },
        ...errorResponses({
          ...common,
          409: "The run's experiment is archived",
          413: "The file is over the size limit",
        }),
      },
    },
  },
  [DOWNLOAD_PATH]: {
    get: {
      operationId: "runs-downloadArtifact",
      tags: ["artifacts"],
      summary: "Download an artifact",
      description: "The file's bytes as an attachment (`application/octet-stream`, with `Content-Length`).",
      security: TENANT_SECURITY,
      requestParams: {
        path: runId,
        query: z.object({
          path: DownloadArtifactInput.shape.path.meta(
            param("A file, relative to the run's artifact root", artifactExamples.download.path),
          ),
        }),
      },
      responses: {
        200: { description: "The file", content: { "application/octet-stream": { schema: z.file() } } },
        ...errorResponses(common),
      },
    },
  },
};
