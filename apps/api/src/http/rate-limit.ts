import { hashApiKey } from "@stepwise/core";
import type { MiddlewareHandler } from "hono";
import { bearerKey } from "../trpc/access";
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
 * A token bucket per API key (requests without a key share one bucket),
 * answering 429 TOO_MANY_REQUESTS with the Retry-After that frees the next token. It runs before the key is
 * checked, so a valid key over its limit costs no database lookup.
 */
export function rateLimit({ perSecond, burst }: RateLimit, now = () => performance.now()): MiddlewareHandler {
  const buckets = new Map<string, Bucket>();
  let swept = now();
  return async (c, next) => {
    if (perSecond <= 0) return next();
    // The whole key, parsed as authentication parses it, hashed: one bucket per key however the header is
    // written, and nobody drains a key's bucket without its secret. Requests without a key share one bucket.
    const key = bearerKey(c.req.header("authorization"));
    const id = key ? hashApiKey(key) : "anonymous";
    const t = now();
    if (t - swept > IDLE_MS) {
      // A bucket idle that long is full again: forget it, so that memory follows the active keys only.
      for (const [k, b] of buckets) if (t - b.at > IDLE_MS) buckets.delete(k);
      swept = t;
    }
    const bucket = buckets.get(id) ?? { tokens: burst, at: t };
    bucket.tokens = Math.min(burst, bucket.tokens + ((t - bucket.at) / 1000) * perSecond);
    bucket.at = t;
    // Most recently used last: past MAX_BUCKETS (a flood of made-up keys), the least recently used go first.
    buckets.delete(id);
    buckets.set(id, bucket);
    if (buckets.size > MAX_BUCKETS) buckets.delete(buckets.keys().next().value as string);
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
