import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { getNodeValue, type Node, parseTree } from "jsonc-parser";
import { bodyShapeIssue, decodeUtf8, INVALID_UTF8_MESSAGE, mayHoldBadStrings } from "../http/body-shape";
import { errorAnswer, errorResponse, type Issue, invalidInput } from "../http/errors";

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

declare module "hono" {
  interface ContextVariableMap {
    /** The parsed JSON body of a REST POST/PUT/PATCH ({} for an empty body). */
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
 * The first key that a JSON object names twice with different values, as an issue path. JSON.parse keeps the
 * last silently; the contract wants a param given twice with different values refused, and so is any other
 * map key (a metric's two values, a tag's). Only bodies of inputs with maps are looked at (`duplicateKeys`):
 * log-batch has none, and is the one large body (parsing it again would cost as much as the rest of its request).
 */
function duplicateKey(text: string): (string | number)[] | undefined {
  const walk = (node: Node | undefined, path: (string | number)[]): (string | number)[] | undefined => {
    if (node?.type === "array") {
      for (const [i, child] of (node.children ?? []).entries()) {
        const found = walk(child, [...path, i]);
        if (found) return found;
      }
    }
    if (node?.type !== "object") return undefined;
    const seen = new Map<string, string>();
    for (const property of node.children ?? []) {
      const [name, value] = property.children ?? [];
      const key = String(name?.value);
      const json = JSON.stringify(value ? getNodeValue(value) : null);
      if (seen.has(key) && seen.get(key) !== json) return [...path, key];
      seen.set(key, json);
      const found = walk(value, [...path, key]);
      if (found) return found;
    }
    return undefined;
  };
  return walk(parseTree(text), []);
}

export interface JsonBodyOptions {
  /** The route's access check (trpc/access.ts): it throws the request's 401/403 (or its tenant's 400). */
  access: (c: Context) => Promise<unknown>;
  /** Whether to look for a key named twice in one object (inputs that hold maps). */
  duplicateKeys: boolean;
  /** For the log of a failing access check. */
  logger: Parameters<typeof errorAnswer>[2];
}

/**
 * Reads and parses the JSON body of a write, before any procedure runs: other content types are a 415;
 * bytes that are not UTF-8, malformed JSON (bare NaN and Infinity included), a body that is not an object,
 * nesting deeper than 64, a NUL character or a lone surrogate in any string of the body (NUL in the query
 * too), and a key named twice in one object with different values a 400. An
 * empty body counts as `{}`, so that bodiless POSTs such as restore and end work from any HTTP client. A request without a valid key hears that first (`access`), as it
 * would from the procedure: the body's faults are told only to those who may send it.
 */
export const parseJsonBody =
  ({ access, duplicateKeys, logger }: JsonBodyOptions): MiddlewareHandler =>
  async (c, next) => {
    const reject = (status: 400 | 415, code: string, message: string) =>
      access(c).then(
        () => errorResponse(c, status, code, message),
        (error) => errorAnswer(c, error, logger),
      );
    const invalid = (issues: Issue[]) =>
      access(c).then(
        () => errorAnswer(c, invalidInput(issues), logger),
        (error) => errorAnswer(c, error, logger),
      );
    if (c.req.url.includes("%00")) {
      return reject(400, "BAD_REQUEST", "The URL holds a NUL character (%00), which no parameter may contain");
    }
    if (c.req.method === "GET" || c.req.method === "DELETE" || c.req.method === "HEAD") return next();
    const text = decodeUtf8(new Uint8Array(await c.req.arrayBuffer()));
    if (text?.trim() === "") {
      c.set("jsonBody", {});
      return next();
    }
    const type = c.req.header("content-type");
    if (!type || !JSON_TYPE.test(type)) {
      return reject(
        415,
        "UNSUPPORTED_MEDIA_TYPE",
        `Send the body as JSON with 'Content-Type: application/json' (got ${type ? `'${type}'` : "no Content-Type"})`,
      );
    }
    if (text === undefined) return reject(400, "BAD_REQUEST", INVALID_UTF8_MESSAGE);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      return reject(400, "BAD_REQUEST", `Request body is not valid JSON: ${(error as Error).message}`);
    }
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      return reject(400, "BAD_REQUEST", "The request body must be a JSON object ({...})");
    }
    // In one iterative pass before any recursive code: depth, keys per object and values in all, and NUL or a
    // lone surrogate in any string or key of the body, also in fields the operation would ignore (section 4).
    const shape = bodyShapeIssue(body, mayHoldBadStrings(text));
    if (shape) return invalid([shape]);
    const twice = duplicateKeys ? duplicateKey(text) : undefined;
    if (twice) return invalid([{ path: twice, message: "is given twice in one object, with different values" }]);
    c.set("jsonBody", body);
    return next();
  };
