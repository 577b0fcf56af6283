import { AsyncLocalStorage } from "node:async_hooks";
import type { AnyRouter } from "@trpc/server";

type ZodLike = { _zod?: { def?: Record<string, unknown> & { type: string } } };
const COERCIBLE = new Set(["number", "boolean", "bigint", "date"]);
const WRAPPERS = ["innerType", "element", "keyType", "valueType", "in", "out", "left", "right"];

const restCall = new AsyncLocalStorage<true>();

/** Runs `fn` as a REST call: inside it, and only there, the `z.coerce` (query parameter) schemas coerce. */
export const asRestCall = <T>(fn: () => T): T => restCall.run(true, fn);

function lock(schema: ZodLike, seen: Set<object>) {
  const def = schema?._zod?.def;
  if (!def || seen.has(def)) return;
  seen.add(def);
  if (COERCIBLE.has(def.type) && !Object.getOwnPropertyDescriptor(def, "coerce")?.get) {
    const get = def.coerce ? () => restCall.getStore() === true : () => false;
    Object.defineProperty(def, "coerce", { get, set: () => {}, enumerable: true });
  }
  for (const key of WRAPPERS) if (def[key]) lock(def[key] as ZodLike, seen);
  if (def.type === "object") for (const child of Object.values(def.shape as object)) lock(child, seen);
  if (def.type === "union") for (const option of def.options as ZodLike[]) lock(option, seen);
}

/**
 * trpc-to-openapi switches on coercion (`def.coerce = true`) inside the input schemas on every REST call, body
 * included, which would make both transports accept `"5"` for a number and `"false"` for `true`. This pins
 * `coerce` to false on every number, boolean, bigint and date schema of the router's inputs that was not
 * built with `z.coerce` on purpose; those (query parameters, strings on REST) coerce inside `asRestCall` only,
 * so that tRPC, which sends real JSON numbers, rejects `"5"` there too. Idempotent; run once per router.
 */
export function disableImplicitCoercion(router: AnyRouter) {
  const seen = new Set<object>();
  for (const procedure of Object.values(router._def.procedures) as { _def: { inputs: ZodLike[] } }[]) {
    for (const input of procedure._def.inputs) lock(input, seen);
  }
}
