import { initTRPC } from "@trpc/server";
import type { OpenApiMeta } from "trpc-to-openapi";
import type { AccessNeed } from "./access";
import type { Context } from "./context";
import { formatError } from "./errors";

/**
 * Procedure metadata, read by the REST routes (rest/routes.ts), the OpenAPI document and the tRPC endpoint:
 * the OpenAPI route; the success status of the REST answer (201 for creates); examples for the OpenAPI
 * document (`request` is the whole procedure input, path and query parameters included; a test parses both
 * with the procedure's schemas); and flags that the procedure builders set (trpc/procedures.ts).
 */
export type Meta = OpenApiMeta & {
  successStatus?: 200 | 201;
  examples?: { request?: unknown; response?: unknown };
  /** Set by tenantProcedure and adminProcedure: the access check the operation runs first (trpc/access.ts). */
  access?: AccessNeed;
  /** Set by writeProcedure: the write honours Idempotency-Key (trpc/idempotent.ts). */
  idempotent?: true;
  /**
   * A request that may take long (large reads, many rows): bounded in number at once, queued, then shed
   * (http/heavy-requests.ts). "large-body": only when its body is large.
   */
  heavy?: true | "large-body";
};

export const t = initTRPC.context<Context>().meta<Meta>().create({
  isDev: false,
  errorFormatter: formatError,
});
