import type { AnyRouter } from "@trpc/server";
import { generateOpenApiDocument } from "trpc-to-openapi";
import type { ZodOpenApiPathsObject } from "zod-openapi";
import { ERROR_SCHEMA, errorResponse, KEY_SECURITY, TENANT_SECURITY } from "../routers/openapi";
import type { Meta } from "../trpc/init";
import { restRoutes } from "./routes";

type Document = ReturnType<typeof generateOpenApiDocument>;
type Media = { schema?: unknown; example?: unknown };
type Operation = {
  security?: unknown;
  parameters?: { name?: string; in?: string; example?: unknown }[];
  requestBody?: { content?: Record<string, Media> };
  responses: Record<string, { description?: string; content?: Record<string, Media> }>;
};

const TAGS = [
  { name: "experiments", description: "Experiments group runs; archiving one keeps its runs readable." },
  { name: "runs", description: "Runs and what they log: metrics (append-only), params (write-once) and tags." },
  { name: "artifacts", description: "Files of a run, under its artifact root." },
  { name: "admin", description: "Tenants and API keys; admin API keys only." },
  {
    name: "mlflow",
    description:
      "MLflow's tracking REST API 2.0, for MLflow's own clients (MLFLOW_TRACKING_URI=http://host:8080/t/<tenant>): MLflow's shapes and error codes, the same data as /api/v1.",
  },
];

/**
 * The OpenAPI 3.1 document, built once at start-up. On top of what trpc-to-openapi generates: the real
 * success status (201 for creates), the tenant header as a second security scheme on tenant operations,
 * one shared error body for every error status, and each procedure's examples.
 */
export function buildOpenApiDocument(router: AnyRouter, extraPaths?: ZodOpenApiPathsObject): Document {
  const doc = generateOpenApiDocument(router, {
    title: "Stepwise API",
    version: "1.0.0",
    description:
      "Experiment tracking: experiments, runs, metrics, params, tags and artifacts. Every operation is also a tRPC procedure at /trpc.",
    license: { name: "Proprietary" },
    baseUrl: "/api/v1",
    securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", description: "An API key (swk_...)" } },
    paths: extraPaths,
  });
  // trpc-to-openapi makes one schema per error code (error.NOT_FOUND, ...); every error has the same body.
  const schemas = Object.entries(doc.components?.schemas ?? {}).filter(([name]) => !name.startsWith("error."));
  doc.components = {
    ...doc.components,
    schemas: { ...Object.fromEntries(schemas), Error: ERROR_SCHEMA },
    securitySchemes: {
      ...doc.components?.securitySchemes,
      tenantHeader: {
        type: "apiKey",
        in: "header",
        name: "X-Tenant-ID",
        description:
          "The slug of the tenant to act for; optional when the key is granted exactly one tenant, required (400 without it) when it is granted several.",
      },
    },
  };
  doc.tags = TAGS;
  const operation = (path: string, method: string) =>
    (doc.paths?.[path] as Record<string, Operation> | undefined)?.[method.toLowerCase()];
  for (const route of restRoutes(router)) {
    const op = operation(route.path, route.method);
    if (!op) continue;
    op.security = route.access === "tenant" ? TENANT_SECURITY : KEY_SECURITY;
    if (route.successStatus !== 200 && op.responses[200]) {
      const { 200: success, ...errors } = op.responses;
      op.responses = { [route.successStatus]: success, ...errors };
    }
    addExamples(op, route.successStatus, route.examples);
    if (route.idempotent) {
      op.parameters = [...(op.parameters ?? []), IDEMPOTENCY_KEY];
      op.responses = {
        ...op.responses,
        409: { description: "Conflicts with the current state, or the same Idempotency-Key is still running" },
        422: {},
      };
    }
  }
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of Object.keys(item ?? {})) {
      const op = operation(path, method);
      for (const [status, response] of Object.entries(op?.responses ?? {})) {
        // The MLflow routes answer MLflow's error body, which they document themselves.
        if (op && Number(status) >= 400 && !path.startsWith("/mlflow"))
          op.responses[status] = errorResponse(Number(status), response.description);
      }
    }
  }
  return doc;
}

const IDEMPOTENCY_KEY = {
  name: "Idempotency-Key",
  in: "header",
  required: false,
  description:
    "Any string of 1-255 printable ASCII characters, new for each new request. A repeat with the same key (per tenant and API key, within 24 h) gets the first answer and writes nothing again; the same key with another body is a 422; a repeat while the first is still running is a 409.",
  schema: { type: "string", minLength: 1, maxLength: 255 },
  example: "3f1e4c2a-run-create-1",
};

/** The request example's path and query fields go to their parameters, the rest to the JSON body. */
function addExamples(op: Operation, successStatus: number, examples: Meta["examples"]) {
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries((examples?.request ?? {}) as Record<string, unknown>)) {
    const parameter = op.parameters?.find((p) => p.name === key && (p.in === "path" || p.in === "query"));
    if (parameter) parameter.example = value;
    else body[key] = value;
  }
  const requestBody = op.requestBody?.content?.["application/json"];
  if (requestBody && Object.keys(body).length) requestBody.example = body;
  const success = op.responses[successStatus]?.content?.["application/json"];
  if (success && examples?.response !== undefined) success.example = examples.response;
}
