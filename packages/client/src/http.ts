import { isTRPCClientError } from "@trpc/client";

/** The `fetch` the client calls: the global one by default; tests and proxies may pass their own. */
export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** An error answer that is not tRPC's JSON (a proxy's HTML 502, a plain-text 503): its status survives. */
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly headers: Headers,
    body: string,
  ) {
    super(`HTTP ${status}${body ? `: ${body.slice(0, 200)}` : ""}`);
    this.name = "HttpStatusError";
  }
}

/**
 * Wraps `fetch` so that a non-JSON error answer becomes an `HttpStatusError` (tRPC would otherwise report a JSON
 * parse error and lose the status). JSON answers pass through; tRPC keeps their response in `error.meta.response`.
 */
export const statusPreservingFetch =
  (base: Fetch, timeoutMs: number): Fetch =>
  async (input, init) => {
    // A call that gets no answer in time (a half-open connection) fails like a lost answer, and is retried.
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    const res = await base(input, { ...init, signal });
    if (res.ok || res.headers.get("content-type")?.includes("json")) return res;
    throw new HttpStatusError(res.status, res.headers, await res.text().catch(() => ""));
  };

/** `Retry-After` as milliseconds: delay-seconds or an HTTP date; undefined when absent or unreadable. */
function retryAfterMs(value: string | null | undefined, now = Date.now()): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export interface Failure {
  /** The HTTP status, or undefined when no answer arrived (network error, lost response). */
  status: number | undefined;
  retryAfterMs: number | undefined;
  retryable: boolean;
}

const headersOf = (value: unknown): Headers | undefined => {
  const headers = (value as { headers?: unknown } | undefined)?.headers;
  return typeof (headers as Headers | undefined)?.get === "function" ? (headers as Headers) : undefined;
};

/**
 * Reads what a failed call tells: retry on no answer, 429 and 5xx, and on a 409 that says when to retry (the
 * server's "this Idempotency-Key is still running"); never on other statuses or non-tRPC errors.
 */
export function classify(error: unknown): Failure {
  if (!isTRPCClientError(error)) return { status: undefined, retryAfterMs: undefined, retryable: false };
  const cause = error.cause instanceof HttpStatusError ? error.cause : undefined;
  const response = error.meta?.response as { status?: unknown } | undefined;
  const status =
    (error.data as { httpStatus?: number } | undefined)?.httpStatus ??
    (typeof response?.status === "number" ? response.status : undefined) ??
    cause?.status;
  const retryAfter = retryAfterMs((headersOf(response) ?? cause?.headers)?.get("retry-after"));
  const stillRunning = status === 409 && retryAfter !== undefined;
  const retryable = status === undefined || status === 429 || status >= 500 || stillRunning;
  const waits = status === 429 || status === 503 || stillRunning;
  return { status, retryAfterMs: waits ? retryAfter : undefined, retryable };
}
