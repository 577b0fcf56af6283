import { classify, type Failure } from "./http";

export interface RetryOptions {
  /** Attempts in all, the first included (default 6). */
  maxAttempts?: number;
  /** The first backoff delay (default 250 ms); it doubles on each retry, with jitter. */
  baseDelayMs?: number;
  /** The longest backoff delay (default 8 s). A longer `Retry-After` is still honoured. */
  maxDelayMs?: number;
  /** No retry starts later than this after the first attempt (default 30 s). */
  maxElapsedMs?: number;
}

const DEFAULTS: Required<RetryOptions> = { maxAttempts: 6, baseDelayMs: 250, maxDelayMs: 8000, maxElapsedMs: 30_000 };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Exponential backoff with "equal jitter": half the delay fixed, half random, so clients spread out. */
function backoffMs(attempt: number, options: RetryOptions = {}): number {
  const { baseDelayMs, maxDelayMs } = { ...DEFAULTS, ...options };
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/**
 * Calls `fn` until it succeeds, fails with an error that is not worth retrying (see `classify`), or the attempts
 * or the time run out (`retryable` may narrow what is retried); then rethrows the last error. A 429 or 503 with `Retry-After` waits that long instead.
 */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions = {},
  retryable = (failure: Failure) => failure.retryable,
): Promise<T> {
  const { maxAttempts, maxElapsedMs } = { ...DEFAULTS, ...options };
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      const failure = classify(error);
      const delay = failure.retryAfterMs ?? backoffMs(attempt, options);
      const late = Date.now() + delay - started > maxElapsedMs;
      if (!retryable(failure) || attempt >= maxAttempts || late) throw error;
      await sleep(delay);
    }
  }
}
