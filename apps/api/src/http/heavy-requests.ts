import type { Context, MiddlewareHandler } from "hono";
import { errorResponse } from "./errors";

export interface HeavyRequestLimit {
  /** Heavy requests served at once; 0 turns the bound off. */
  concurrent: number;
  /** Heavy requests that may wait for a turn; beyond that they are shed with a 429. */
  queue: number;
}

/** A body over this many bytes makes a "large-body" route heavy. */
const LARGE_BODY = 64 * 1024;

/** How heavy a request is, from its route's metadata (`meta.heavy`); undefined for most. */
export type Heaviness = true | "large-body" | undefined;

/**
 * Bounds the heavy requests served at once, so that a burst queues (first come, first served) or, past the
 * queue, is shed with 429 and Retry-After, instead of taking every request to seconds of latency. One bound
 * for the app: `gate(heaviness)` is the middleware of a route (REST) or of a request (tRPC, by procedure).
 */
export function heavyRequests({ concurrent, queue }: HeavyRequestLimit) {
  let running = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
  return (heaviness: Heaviness | ((c: Context) => Heaviness)): MiddlewareHandler =>
    async (c, next) => {
      const heavy = typeof heaviness === "function" ? heaviness(c) : heaviness;
      if (concurrent <= 0 || !heavy) return next();
      if (heavy === "large-body" && !(Number(c.req.header("content-length") ?? 0) > LARGE_BODY)) return next();
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
        if (!served)
          return errorResponse(c, 503, "SERVICE_UNAVAILABLE", "The client left while its request was queued");
      } else running++;
      try {
        await next();
      } finally {
        release();
      }
    };
}
