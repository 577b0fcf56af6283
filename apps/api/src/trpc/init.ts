import { initTRPC } from "@trpc/server";
import type { OpenApiMeta } from "trpc-to-openapi";
import type { Context } from "./context";
import { formatError } from "./errors";

/** Procedure metadata: the OpenAPI route, and the success status of the REST answer (201 for creates). */
export type Meta = OpenApiMeta & { successStatus?: 200 | 201 };

export const t = initTRPC.context<Context>().meta<Meta>().create({
  isDev: false,
  errorFormatter: formatError,
});
