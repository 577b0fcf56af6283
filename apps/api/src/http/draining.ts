import type { MiddlewareHandler } from "hono";
import { errorResponse, RETRY_AFTER_SECONDS } from "./errors";

/**
 * Graceful shutdown for keep-alive clients: once `drain()` is called, requests already running finish (and
 * their answers say `Connection: close`), and requests that arrive later are refused before anything runs:
 * 503 with Retry-After and `Connection: close`, so that every connection ends after its current answer.
 */
export function drainGate() {
  let draining = false;
  const middleware: MiddlewareHandler = async (c, next) => {
    if (draining) {
      c.header("Connection", "close");
      c.header("Retry-After", String(RETRY_AFTER_SECONDS));
      return errorResponse(c, 503, "SERVICE_UNAVAILABLE", "The server is shutting down; retry in a few seconds");
    }
    await next();
    if (draining) c.header("Connection", "close");
  };
  return {
    middleware,
    /** From now on: running requests close their connection after answering; new ones are refused. */
    drain() {
      draining = true;
    },
  };
}
export type DrainGate = ReturnType<typeof drainGate>;
