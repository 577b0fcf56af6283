import type { AnyRouter } from "@trpc/server";
import { generateOpenApiDocument } from "trpc-to-openapi";
import type { ZodOpenApiPathsObject } from "zod-openapi";
import type { Meta } from "../trpc/init";

type Document = ReturnType<typeof generateOpenApiDocument>;
type Operation = { security?: unknown; parameters?: unknown[]; responses: Record<string, unknown> };

/** Every procedure's REST route and metadata, in router order. */
export function openApiRoutes(router: AnyRouter) {
  return Object.entries(router._def.procedures as Record<string, { _def: { meta?: Meta } }>).flatMap(
    ([path, procedure]) => {
      const meta = procedure._def.meta;
      return meta?.openapi ? [{ procedurePath: path, ...meta.openapi, successStatus: meta.successStatus ?? 200 }] : [];
    },
  );
}

/**
 * The OpenAPI 3.1 document, built once at start-up. On top of what trpc-to-openapi generates: the real
 * success status (201 for creates) and the optional X-Tenant-ID header on every tenant operation (admin ones ignore it).
 */
export function buildOpenApiDocument(router: AnyRouter, extraPaths?: ZodOpenApiPathsObject): Document {
  const doc = generateOpenApiDocument(router, {
    title: "Stepwise API",
    version: "1.0.0",
    description:
      "Experiment tracking: experiments, runs, metrics, params, tags and artifacts. Every operation is also a tRPC procedure at /trpc.",
    baseUrl: "/api/v1",
    securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", description: "An API key (swk_...)" } },
    paths: extraPaths,
  });
  doc.components = {
    ...doc.components,
    parameters: {
      TenantId: {
        name: "X-Tenant-ID",
        in: "header",
        required: false,
        description: "The tenant slug to act for; may be left out when the key is granted exactly one tenant.",
        schema: { type: "string" },
      },
    },
  };
  for (const route of openApiRoutes(router)) {
    const operation = (doc.paths?.[route.path] as Record<string, Operation> | undefined)?.[route.method.toLowerCase()];
    if (!operation) continue;
    if (operation.security)
      operation.parameters = [...(operation.parameters ?? []), { $ref: "#/components/parameters/TenantId" }];
    if (route.successStatus !== 200) {
      const { 200: success, ...errors } = operation.responses;
      operation.responses = { [route.successStatus]: success, ...errors };
    }
  }
  return doc;
}
