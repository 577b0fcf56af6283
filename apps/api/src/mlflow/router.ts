import type { ArtifactSettings, Database } from "@stepwise/core";
import { DomainError, invalid } from "@stepwise/core";
import { type Context, Hono, type MiddlewareHandler } from "hono";
import type { Logger } from "pino";
import { mlflowTenant } from "./access";
import { type MlflowErrorCode, mlflowErrorAnswer } from "./errors";

export interface MlflowDeps {
  db: Database;
  artifacts: ArtifactSettings;
  maxBodyBytes: number;
  maxArtifactBytes: number;
  logger: Logger;
  /** Run before every MLflow route (the app's rate limit and heavy-request bound). */
  middleware?: MiddlewareHandler[];
}

export interface Call {
  tenantId: string;
  /** The JSON body of a POST (`{}` when empty), or the query parameters of a GET (first value of each). */
  input: Record<string, unknown>;
  c: Context;
}

export type Handler = (call: Call) => Promise<object | Response>;
export interface RouteOptions {
  /** The MLflow code of a CONFLICT on this route, when it is not INVALID_PARAMETER_VALUE. */
  conflict?: MlflowErrorCode;
  /** Leave the body unread (raw uploads). */
  rawBody?: boolean;
}

/** The JSON body of a request under `maxBytes`: `{}` when empty; anything but a JSON object is a 400. */
async function jsonBody(c: Context, maxBytes: number): Promise<Record<string, unknown>> {
  const tooLarge = () =>
    new DomainError("PAYLOAD_TOO_LARGE", `The request body is over the limit of ${maxBytes} bytes`);
  const length = c.req.header("content-length");
  if (Number(length ?? 0) > maxBytes) throw tooLarge();
  let text: string;
  if (length !== undefined) text = await c.req.text();
  else {
    // Chunked: counted as it arrives, so that an endless body stops at the limit.
    const body = c.req.raw.body;
    if (!body) return {};
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.length;
      if (size > maxBytes) throw tooLarge();
      chunks.push(chunk);
    }
    text = Buffer.concat(chunks).toString("utf8");
  }
  if (text.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalid("The request body is not valid JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw invalid("The request body must be a JSON object");
  }
  return parsed as Record<string, unknown>;
}

const firstValues = (c: Context) =>
  Object.fromEntries(Object.entries(c.req.queries()).map(([k, v]) => [k, v[0]])) as Record<string, unknown>;

/** The MLflow API's routes: each authenticates, reads its input, and answers in MLflow's shapes, errors included. */
export function mlflowRouter(deps: MlflowDeps) {
  const app = new Hono();
  if (deps.middleware?.length) app.use("*", ...deps.middleware);
  const on = (method: "GET" | "POST" | "PUT" | "DELETE", path: string, handler: Handler, options: RouteOptions = {}) =>
    app.on(method, path, async (c) => {
      try {
        const tenantId = await mlflowTenant(c, deps.db);
        const input = method === "GET" ? firstValues(c) : options.rawBody ? {} : await jsonBody(c, deps.maxBodyBytes);
        const result = await handler({ tenantId, input, c });
        return result instanceof Response ? result : c.json(result);
      } catch (error) {
        return mlflowErrorAnswer(c, error, deps.logger, options.conflict);
      }
    });
  return { app, on, deps };
}
export type MlflowRouter = ReturnType<typeof mlflowRouter>;
