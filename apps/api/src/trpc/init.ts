import { initTRPC } from "@trpc/server";
import type { OpenApiMeta } from "trpc-to-openapi";
import type { Context } from "./context";
import { formatError } from "./errors";

/**
 * Procedure metadata: the OpenAPI route; the success status of the REST answer (201 for creates); examples
 * for the OpenAPI document (`request` is the whole procedure input, path and query parameters included;
 * a test parses both with the procedure's schemas); and `tenant`, set by tenantProcedure, for operations
 * that act for the tenant of X-Tenant-ID.
 */
export type Meta = OpenApiMeta & {
  successStatus?: 200 | 201;
  examples?: { request?: unknown; response?: unknown };
  tenant?: true;
  /** Set by writeProcedure: the write honours Idempotency-Key (see trpc/idempotent.ts). */
  idempotent?: true;
};

export const t = initTRPC.context<Context>().meta<Meta>().create({
  isDev: false,
  errorFormatter: formatError,
});
