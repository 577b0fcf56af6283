import { toWireValue } from "./buffer";
import { onBeforeExit } from "./exit-hook";
import { endRun } from "./experiment-calls";
import type { RetryOptions } from "./retry";
import { Sender } from "./sender";
import type { Api, EndStatus, RunResponse } from "./types";

export interface RunOptions {
  /** Metric points per log-batch request; a full batch is sent at once (default 1000, at most 10000). */
  batchSize?: number;
  /** Buffered data is sent at most this long after it was logged (default 1000 ms). */
  flushIntervalMs?: number;
  /** Retries of 429, 5xx and network errors (see `RetryOptions`). */
  retry?: RetryOptions;
  /** Flush on Node's `beforeExit` until `end()` (default true). */
  exitHook?: boolean;
}

/**
 * A run being logged to. `log`, `logParams` and `setTags` only buffer: batches go out in the background. What the
 * server refuses (a 4xx) or what stays unsent after the retries is thrown once, as a `FlushError`, by the next
 * call of this run (and printed to stderr on exit if no call comes).
 */
export class Run {
  private readonly sender: Sender;
  private nextStep = 0;
  private ended = false;
  private readonly removeExitHook: () => void;

  constructor(
    private readonly api: Api,
    /** The run as the server created it. */
    readonly info: RunResponse,
    private readonly options: RunOptions = {},
  ) {
    this.sender = new Sender(api, info.id, options);
    this.removeExitHook = options.exitHook === false ? () => {} : onBeforeExit(() => this.onExit());
  }

  get id() {
    return this.info.id;
  }

  /** Buffers one point per key, stamped now; `step` defaults to one more than the previous call's step (from 0). */
  log(metrics: Record<string, number>, step?: number): void {
    this.check();
    const at = step ?? this.nextStep;
    this.nextStep = at + 1;
    const timestamp = Date.now();
    this.sender.buffer.addMetrics(
      Object.entries(metrics).map(([key, v]) => ({ key, value: toWireValue(v), step: at, timestamp })),
    );
    this.sender.added();
  }

  /** Buffers params. They are write-once on the server: another value for a logged key comes back as a 409. */
  logParams(params: Record<string, string | number | boolean>): void {
    this.check();
    this.sender.buffer.addParams(Object.entries(params).map(([key, v]) => ({ key, value: String(v) })));
    this.sender.added();
  }

  /** Buffers tags (the last value wins). */
  setTags(tags: Record<string, string>): void {
    this.check();
    this.sender.buffer.addTags(Object.entries(tags).map(([key, value]) => ({ key, value })));
    this.sender.added();
  }

  /** Sends everything buffered, then throws a failure not yet thrown (this flush's included). */
  async flush(): Promise<void> {
    this.check();
    await this.sender.drainAll();
    this.throwFailure();
  }

  /** Sends everything buffered, ends the run on the server, then throws a failure not yet thrown. */
  async end(status: EndStatus = "FINISHED"): Promise<RunResponse> {
    if (this.ended) throw new Error(`Run ${this.id} has already been ended`);
    this.ended = true;
    this.removeExitHook();
    await this.sender.drainAll();
    const run = await endRun(this.api, this.id, status, this.options.retry).catch((error: unknown) => {
      const failure = this.sender.takeFailure();
      throw failure ? new AggregateError([failure, error], `${failure.message}; and ending the run failed`) : error;
    });
    this.throwFailure();
    return run;
  }

  private check() {
    if (this.ended) throw new Error(`Run ${this.id} has been ended: it takes no more data`);
    this.throwFailure();
  }

  private throwFailure() {
    const failure = this.sender.takeFailure();
    if (failure) throw failure;
  }

  /** Node is about to exit: send what is buffered (Node emits beforeExit again after), then report what failed. */
  private onExit() {
    if (!this.sender.buffer.empty) void this.sender.drainAll();
    else {
      const failure = this.sender.takeFailure();
      if (failure) console.error(failure.message);
    }
  }
}
