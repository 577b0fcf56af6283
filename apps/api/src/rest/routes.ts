import type { AnyRouter } from "@trpc/server";
import type { AccessNeed } from "../trpc/access";
import type { Meta } from "../trpc/init";

/** A zod (v4) schema, as far as the REST routes look into it. */
export interface SchemaLike {
  def: { type: string; innerType?: SchemaLike; in?: SchemaLike; shape?: Record<string, SchemaLike> } & Record<
    string,
    unknown
  >;
}

/** One procedure's REST route, with what its metadata and input schema say about serving it. */
export interface RestRoute {
  procedurePath: string;
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** The OpenAPI path, e.g. `/experiments/{id}`. */
  path: string;
  successStatus: 200 | 201;
  access: AccessNeed;
  idempotent: boolean;
  heavy: Meta["heavy"];
  examples: Meta["examples"];
  /** The fields of the input object (undefined for a procedure without input). */
  shape: Record<string, SchemaLike> | undefined;
}

type ProcedureLike = { _def: { meta?: Meta; inputs: unknown[] } };

/** An OpenAPI path as a Hono route path: `/experiments/{id}` is `/experiments/:id`. */
export const honoPath = (path: string) => path.replace(/\{(\w+)\}/g, ":$1");

/** Literal path segments sort before parameters, segment by segment: `/experiments/runs` before `/experiments/{id}`. */
const specificity = (path: string) =>
  path
    .split("/")
    .map((s) => (s.startsWith("{") ? "1" : "0"))
    .join("");

/**
 * Every procedure with an OpenAPI route, most specific path first: where two paths match one URL (`/experiments/runs`
 * and `/experiments/{id}`), the one with a literal segment where the other has a parameter is served, whatever
 * the order of the routers.
 */
export function restRoutes(router: AnyRouter): RestRoute[] {
  const routes = Object.entries(router._def.procedures as Record<string, ProcedureLike>).flatMap(
    ([procedurePath, procedure]) => {
      const meta = procedure._def.meta;
      if (!meta?.openapi) return [];
      const input = procedure._def.inputs[0] as SchemaLike | undefined;
      return [
        {
          procedurePath,
          method: meta.openapi.method,
          path: meta.openapi.path,
          successStatus: meta.successStatus ?? 200,
          access: meta.access ?? "key",
          idempotent: meta.idempotent === true,
          heavy: meta.heavy,
          examples: meta.examples,
          shape: input?.def.shape,
        } satisfies RestRoute,
      ];
    },
  );
  return routes.sort((a, b) => specificity(a.path).localeCompare(specificity(b.path)));
}
