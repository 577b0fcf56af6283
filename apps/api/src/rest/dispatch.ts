import type { Database } from "@stepwise/core";
import type { AnyRouter } from "@trpc/server";
import { Hono, type Context as HonoContext, type MiddlewareHandler } from "hono";
import type { Logger } from "pino";
import { errorAnswer, invalidInput } from "../http/errors";
import { access } from "../trpc/access";
import type { Context } from "../trpc/context";
import { t } from "../trpc/init";
import { limitBody, parseJsonBody } from "./json-body";
import { honoPath, type RestRoute, restRoutes, type SchemaLike } from "./routes";

export interface RestDeps {
  router: AnyRouter;
  db: Database;
  createContext: (opts: { req: Request }) => Context;
  logger: Logger;
  maxBodyBytes: number;
  /** Middlewares every route runs first (the rate limit), and the heavy-request gate by route metadata. */
  limits: MiddlewareHandler[];
  heavy: (heaviness: RestRoute["heavy"]) => MiddlewareHandler;
}

declare module "hono" {
  interface ContextVariableMap {
    /** The route template of a matched API route (`/api/v1/experiments/{id}`), for logs and metrics. */
    route: string;
  }
}

/** Schemas that wrap another and take the same JSON value (optional, default, nullable, ...). */
const unwrap = (schema: SchemaLike | undefined): SchemaLike | undefined => {
  const inner = schema?.def.innerType ?? (schema?.def.type === "pipe" ? schema.def.in : undefined);
  return inner ? unwrap(inner) : schema;
};

/**
 * THE query-string coercion, from the input schema's field types: a query parameter is a string, so a number
 * field gets `Number(value)` (as z.coerce would; `abc` becomes NaN, which the schema refuses) and a boolean
 * field `true` for "true", `false` for "false" (anything else stays a string, which the schema refuses).
 * Only REST query strings are coerced: a tRPC or JSON body caller sending "5" for a number gets a 400.
 */
function queryCoercion(shape: RestRoute["shape"]) {
  const coerce: Record<string, (value: string) => unknown> = {};
  for (const [name, field] of Object.entries(shape ?? {})) {
    const type = unwrap(field)?.def.type;
    if (type === "number") coerce[name] = Number;
    if (type === "boolean") coerce[name] = (v) => (v === "true" ? true : v === "false" ? false : v);
  }
  return coerce;
}

/** Whether an input schema holds a map (z.record) anywhere: only then is a body searched for keys named twice. */
function holdsMap(schema: SchemaLike | undefined, seen = new Set<object>()): boolean {
  const def = schema?.def;
  if (!def || seen.has(def)) return false;
  seen.add(def);
  if (def.type === "record") return true;
  const children = [def.innerType, def.in, def.out, def.element, def.left, def.right, ...((def.options as []) ?? [])];
  if (def.type === "object") children.push(...Object.values(def.shape ?? {}));
  return children.some((child) => holdsMap(child as SchemaLike | undefined, seen));
}

/** Each query parameter once (a repeat is a 400, as contract section 6 wants for any value given twice). */
function queryInput(c: HonoContext, coerce: Record<string, (value: string) => unknown>) {
  const input: Record<string, unknown> = {};
  for (const [name, values] of Object.entries(c.req.queries())) {
    if (values.length > 1)
      throw invalidInput([{ path: [name], message: `give ${name} once, not ${values.length} times` }]);
    const value = values[0] as string;
    input[name] = coerce[name] ? coerce[name](value) : value;
  }
  return input;
}

/**
 * The REST API: for each procedure with OpenAPI metadata, one Hono route (its method, and its path with
 * `{id}` as `:id`), most specific path first (rest/routes.ts). A route reads its input from the path, and
 * from the query (GET, DELETE) or the JSON body (json-body.ts), calls the procedure through a tRPC caller, so
 * that the same middlewares run as over tRPC (access, idempotency, metrics), and answers with the status its
 * metadata names, or the error answer of http/errors.ts. HEAD is answered as GET (Hono does it).
 */
export function restApi({ router, db, createContext, logger, maxBodyBytes, limits, heavy }: RestDeps) {
  const createCaller = t.createCallerFactory(router);
  const app = new Hono();
  for (const route of restRoutes(router)) {
    const template = `/api/v1${route.path}`;
    const withBody = route.method !== "GET" && route.method !== "DELETE";
    const coerce = queryCoercion(route.shape);
    const segments = route.procedurePath.split(".");
    const name: MiddlewareHandler = (c, next) => {
      c.set("route", template);
      return next();
    };
    const body = parseJsonBody({
      access: (c) => access(db, c.req.raw.headers, route.access),
      duplicateKeys: holdsMap({ def: { type: "object", shape: route.shape } }),
      logger,
    });
    const call: MiddlewareHandler = async (c) => {
      try {
        const params = c.req.param() as Record<string, string>;
        const input = route.shape
          ? { ...(withBody ? (c.get("jsonBody") as object) : queryInput(c, coerce)), ...params }
          : undefined;
        // biome-ignore lint/suspicious/noExplicitAny: a procedure looked up by its path
        const procedure = segments.reduce<any>((at, key) => at[key], createCaller(createContext({ req: c.req.raw })));
        return c.json(await procedure(input), route.successStatus);
      } catch (error) {
        return errorAnswer(c, error, logger, route.procedurePath);
      }
    };
    const gate = route.heavy ? [heavy(route.heavy)] : [];
    const handlers = [name, ...limits, ...gate, limitBody(maxBodyBytes), body, call];
    app.on(route.method, honoPath(route.path), ...(handlers as [MiddlewareHandler]));
  }
  return app;
}
