import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { errorResponse } from "../http/errors";

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

declare module "hono" {
  interface ContextVariableMap {
    /** The parsed JSON body of a POST/PUT/PATCH under /api/v1 ({} for an empty body). */
    jsonBody: unknown;
  }
}

/**
 * Caps every request body at `maxBytes` (chunked bodies included): a 413 with the contract's error body.
 * A body with a Content-Length is judged by the header alone (Node's parser never reads past it), which keeps
 * the request lightweight: Hono's bodyLimit builds the full web Request and its stream to look at the body.
 */
export const limitBody = (maxBytes: number): MiddlewareHandler => {
  const tooLarge = (c: Context) =>
    errorResponse(c, 413, "PAYLOAD_TOO_LARGE", `Request body is over the limit of ${maxBytes} bytes`);
  const streamed = bodyLimit({ maxSize: maxBytes, onError: tooLarge });
  return (c, next) => {
    const length = c.req.header("content-length");
    if (c.req.header("transfer-encoding") !== undefined) return streamed(c, next);
    if (length !== undefined) return Number(length) > maxBytes ? Promise.resolve(tooLarge(c)) : next();
    // Neither header: over HTTP/1.1 there is no body; a request built in-process may still carry one.
    return c.req.method === "GET" || c.req.method === "HEAD" ? next() : streamed(c, next);
  };
};

/**
 * Reads and parses the JSON body of a write, before any procedure runs: other content types are a 415,
 * malformed JSON (bare NaN and Infinity included) a 400. An empty body counts as `{}`, so that bodiless
 * POSTs such as restore and end work from any HTTP client.
 */
export const parseJsonBody: MiddlewareHandler = async (c, next) => {
  if (c.req.method === "GET" || c.req.method === "DELETE" || c.req.method === "HEAD") return next();
  const text = await c.req.text();
  if (text.trim() === "") {
    c.set("jsonBody", {});
    return next();
  }
  const type = c.req.header("content-type");
  if (!type || !JSON_TYPE.test(type)) {
    return errorResponse(
      c,
      415,
      "UNSUPPORTED_MEDIA_TYPE",
      `Send the body as JSON with 'Content-Type: application/json' (got ${type ? `'${type}'` : "no Content-Type"})`,
    );
  }
  try {
    c.set("jsonBody", JSON.parse(text));
  } catch (error) {
    return errorResponse(c, 400, "BAD_REQUEST", `Request body is not valid JSON: ${(error as Error).message}`);
  }
  return next();
};
