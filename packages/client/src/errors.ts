import { isTRPCClientError } from "@trpc/client";
import type { Batch } from "./buffer";
import { classify } from "./http";

/**
 * Data a run could not store: the server refused a log-batch request (a 4xx other than 429), or the retries ran
 * out. Thrown once, by the run's next `log`, `logParams`, `setTags`, `flush` or `end`; `cause` is the last error.
 * Failures that happen before it is thrown add their counts to it.
 */
export class FlushError extends Error {
  readonly status: number | undefined;
  readonly dropped = { metrics: 0, params: 0, tags: 0 };
  private readonly reason: string;

  constructor(error: unknown) {
    super("", { cause: error });
    this.name = "FlushError";
    this.status = classify(error).status;
    const text = error instanceof Error ? error.message : String(error);
    const code = isTRPCClientError(error) ? (error.data as { code?: string } | undefined)?.code : undefined;
    this.reason = this.status
      ? `HTTP ${this.status}${code ? ` ${code}` : ""}: ${text}`
      : isTRPCClientError(error)
        ? `no answer from the server (${text})`
        : text;
  }

  /** Counts `batch` as lost and rewrites the message. */
  add(batch: Batch) {
    this.dropped.metrics += batch.metrics.length;
    this.dropped.params += batch.params.length;
    this.dropped.tags += batch.tags.length;
    const { metrics, params, tags } = this.dropped;
    this.message = `Stepwise log-batch failed, ${this.reason}; not stored: ${metrics} metric points, ${params} params, ${tags} tags`;
  }
}
