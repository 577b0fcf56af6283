import type { MiddlewareHandler } from "hono";
import { errorResponse } from "./errors";

export interface HeavyRequestLimit {
  /** Heavy requests served at once; 0 turns the bound off. */
  concurrent: number;
  /** Heavy requests that may wait for a turn; beyond that they are shed with a 429. */
  queue: number;
}

/** Large log-batch bodies (by Content-Length), metric histories and compare, on REST and tRPC. */
const HEAVY_ROUTES = [
  /\/log-batch$/,
  /\/metrics\/history$/,
  /\/runs\/compare$/,
  /\/metrics\/history-bulk$/,
  /^\/trpc\/.*runs\.(logBatch|metricHistory|metricHistories|compare)/,
];
const LARGE_BODY = 64 * 1024;

function isHeavy(method: string, path: string, contentLength: number) {
  if (!HEAVY_ROUTES.some((r) => r.test(path))) return false;
  return method === "GET" || !/log-?batch/i.test(path) || contentLength > LARGE_BODY;
}

/**
 * Bounds the heavy requests served at once, so that a burst queues (first come, first served) or, past the
 * queue, is shed with 429 and Retry-After, instead of taking every request to seconds of latency.
 */
export function heavyRequests({ concurrent, queue }: HeavyRequestLimit): MiddlewareHandler {
  let running = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
  return async (c, next) => {
    if (concurrent <= 0 || !isHeavy(c.req.method, c.req.path, Number(c.req.header("content-length") ?? 0)))
      return next();
    if (running >= concurrent) {
      if (waiting.length >= queue) {
        c.header("Retry-After", "1");
        return errorResponse(
          c,
          429,
          "TOO_MANY_REQUESTS",
          "The server is busy with other large requests; retry in a second",
        );
      }
      // A client that leaves while queued gives up its place: its request never runs.
      const signal = c.req.raw.signal;
      const served = await new Promise<boolean>((turn) => {
        const take = () => {
          signal.removeEventListener("abort", leave);
          turn(true);
        };
        const leave = () => {
          waiting.splice(waiting.indexOf(take), 1);
          turn(false);
        };
        waiting.push(take);
        signal.addEventListener("abort", leave, { once: true });
      });
      if (!served) return errorResponse(c, 503, "SERVICE_UNAVAILABLE", "The client left while its request was queued");
    } else running++;
    try {
      await next();
    } finally {
      release();
    }
  };
}
