/** A metric value as the API takes it: a number, or an IEEE special spelled as a string. */
export type WireValue = number | "NaN" | "Infinity" | "-Infinity";
export interface MetricPoint {
  key: string;
  value: WireValue;
  step: number;
  timestamp: number;
}
export interface KeyValue {
  key: string;
  value: string;
}
export interface Batch {
  metrics: MetricPoint[];
  params: KeyValue[];
  tags: KeyValue[];
}

/** The contract's per-request limits of log-batch (section 6). */
const BATCH_LIMITS = { metrics: 10_000, params: 1000, tags: 1000 } as const;

export function checkBatchSize(batchSize: number) {
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > BATCH_LIMITS.metrics) {
    throw new RangeError(`batchSize must be an integer from 1 to ${BATCH_LIMITS.metrics}, not ${batchSize}`);
  }
}

/** JSON has no NaN or Infinity: the API spells them as strings. */
export const toWireValue = (value: number): WireValue =>
  Number.isFinite(value) ? value : Number.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";

/** What a run has logged and not yet sent, in order, cut into log-batch requests within the contract's limits. */
export class BatchBuffer {
  private metrics: MetricPoint[] = [];
  private params: KeyValue[] = [];
  private tags: KeyValue[] = [];

  /** `batchSize`: metric points per request (at most the contract's 10000). */
  constructor(readonly batchSize: number) {
    checkBatchSize(batchSize);
  }

  get empty() {
    return this.metrics.length + this.params.length + this.tags.length === 0;
  }

  /** A full batch is waiting: send it now rather than when the timer fires. */
  get full() {
    return (
      this.metrics.length >= this.batchSize ||
      this.params.length >= BATCH_LIMITS.params ||
      this.tags.length >= BATCH_LIMITS.tags
    );
  }

  addMetrics(points: MetricPoint[]) {
    this.metrics.push(...points);
  }

  addParams(items: KeyValue[]) {
    this.params.push(...items);
  }

  addTags(items: KeyValue[]) {
    this.tags.push(...items);
  }

  /** The next request's items, oldest first: a full batch, or (with `partial`) whatever is left; else undefined. */
  take(partial: boolean): Batch | undefined {
    if (this.empty || !(partial || this.full)) return undefined;
    return {
      metrics: this.metrics.splice(0, this.batchSize),
      params: this.params.splice(0, BATCH_LIMITS.params),
      tags: this.tags.splice(0, BATCH_LIMITS.tags),
    };
  }
}
