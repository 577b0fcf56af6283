import { type Batch, BatchBuffer } from "./buffer";
import { FlushError } from "./errors";
import { type RetryOptions, withRetry } from "./retry";
import type { Api } from "./types";

export interface SenderOptions {
  batchSize?: number;
  flushIntervalMs?: number;
  retry?: RetryOptions;
}

const nonEmpty = <T>(items: T[]) => (items.length ? items : undefined);

/**
 * Sends a run's buffer with log-batch: a full batch at once, the rest when the timer fires (or on `drainAll`),
 * one request at a time, each retried. A batch that cannot be stored is counted in `failure`, never dropped silently.
 */
export class Sender {
  readonly buffer: BatchBuffer;
  /** What was not stored and not yet reported: the run throws it once (`takeFailure`). */
  private failure: FlushError | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private draining: Promise<void> | undefined;
  private partial = false;

  constructor(
    private readonly api: Api,
    private readonly runId: string,
    private readonly options: SenderOptions,
  ) {
    this.buffer = new BatchBuffer(options.batchSize ?? 1000);
  }

  /** Call after adding to the buffer: sends a full batch now, else makes sure the timer runs. */
  added() {
    if (this.buffer.full) this.kick(false);
    if (this.buffer.empty || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.kick(true);
    }, this.options.flushIntervalMs ?? 1000);
    (this.timer as { unref?: () => void }).unref?.(); // the timer alone keeps no process alive (see beforeExit)
  }

  /** Sends everything buffered, partial batches included; resolves when the buffer is empty and nothing is in flight. */
  async drainAll() {
    while (!this.buffer.empty || this.draining) {
      this.kick(true);
      await this.draining;
    }
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  takeFailure(): FlushError | undefined {
    const failure = this.failure;
    this.failure = undefined;
    return failure;
  }

  /** Starts the one sender unless it runs; `partial` lets it send batches that are not full. */
  private kick(partial: boolean) {
    if (partial) this.partial = true;
    this.draining ??= this.drain().finally(() => {
      this.draining = undefined;
    });
  }

  private async drain() {
    for (let batch = this.take(); batch; batch = this.take()) await this.send(batch);
  }

  private take() {
    const batch = this.buffer.take(this.partial);
    if (this.buffer.empty) this.partial = false;
    return batch;
  }

  // Retrying is safe even when an answer was lost: every attempt carries the batch's Idempotency-Key, so the
  // server applies the batch once (and an exact re-send of a point is stored once anyway).
  private async send({ metrics, params, tags }: Batch) {
    const input = { id: this.runId, metrics: nonEmpty(metrics), params: nonEmpty(params), tags: nonEmpty(tags) };
    const context = { idempotencyKey: crypto.randomUUID() };
    try {
      await withRetry(() => this.api.runs.logBatch.mutate(input, { context }), this.options.retry);
    } catch (error) {
      this.failure ??= new FlushError(error);
      this.failure.add({ metrics, params, tags });
    }
  }
}
