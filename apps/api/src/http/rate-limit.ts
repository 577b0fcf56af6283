import type { MiddlewareHandler } from "hono";
import { errorResponse } from "./errors";

export interface RateLimit {
  /** Requests per second per API key, refilled continuously; 0 turns the limit off. */
  perSecond: number;
  /** How many requests a key may send at once after a quiet spell. */
  burst: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

const IDLE_MS = 10 * 60 * 1000;
const MAX_BUCKETS = 100_000;

/**
 * A token bucket per API key (its public prefix; requests without a key share one bucket),
 * answering 429 TOO_MANY_REQUESTS with the Retry-After that frees the next token. It runs before the key is
 * checked, so a flood costs no database lookups.
 */
export function rateLimit({ perSecond, burst }: RateLimit, now = () => performance.now()): MiddlewareHandler {
  const buckets = new Map<string, Bucket>();
  let swept = now();
  return async (c, next) => {
    if (perSecond <= 0) return next();
    const auth = c.req.header("authorization") ?? "";
    // The key's public prefix (its first 12 characters, as stored): one bucket per key, whatever else is sent.
    const id = auth.startsWith("Bearer ") ? auth.slice(7, 19) : "anonymous";
    const t = now();
    if (buckets.size > MAX_BUCKETS) buckets.clear(); // a flood of made-up keys: fail open rather than grow
    if (t - swept > IDLE_MS) {
      // A bucket idle that long is full again: forget it, so that memory follows the active keys only.
      for (const [key, b] of buckets) if (t - b.at > IDLE_MS) buckets.delete(key);
      swept = t;
    }
    const bucket = buckets.get(id) ?? { tokens: burst, at: t };
    bucket.tokens = Math.min(burst, bucket.tokens + ((t - bucket.at) / 1000) * perSecond);
    bucket.at = t;
    buckets.set(id, bucket);
    if (bucket.tokens < 1) {
      c.header("Retry-After", String(Math.ceil((1 - bucket.tokens) / perSecond)));
      return errorResponse(
        c,
        429,
        "TOO_MANY_REQUESTS",
        `This API key is over its rate limit of ${perSecond} requests per second (bursts of ${burst}); retry after Retry-After seconds, or send fewer, larger batches (log-batch takes 10000 metrics)`,
      );
    }
    bucket.tokens -= 1;
    return next();
  };
}
