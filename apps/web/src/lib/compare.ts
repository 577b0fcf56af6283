import type { Comparison } from "./api";
import { metricNumber } from "./format";

export type Direction = "min" | "max";

/** Whether lower is better for a metric, guessed from its name (loss, error, latency...); the page lets you flip it. */
export const guessDirection = (key: string): Direction =>
  /loss|err|mse|mae|rmse|perplexity|ppl|latency|time|wer|cer|regret/i.test(key) ? "min" : "max";

type MetricRow = Comparison["metrics"][number];

/** The run whose last value is best for the direction (NaN ignored); undefined when no run has a number. */
export function bestRun(row: MetricRow, direction: Direction): string | undefined {
  let best: { id: string; value: number } | undefined;
  for (const [id, summary] of Object.entries(row.runs)) {
    if (!summary) continue;
    const value = metricNumber(summary.last);
    if (Number.isNaN(value)) continue;
    if (!best || (direction === "min" ? value < best.value : value > best.value)) best = { id, value };
  }
  return best?.id;
}
