import type { MetricValue } from "../runs/schemas";

/** A metric value as sent (a number, or "NaN"/"Infinity"/"-Infinity") to the IEEE double that is stored. */
export const decodeMetricValue = (value: MetricValue): number => (typeof value === "number" ? value : Number(value));

/** A stored double back to its JSON form: the IEEE specials are spelled as strings. */
export const encodeMetricValue = (value: number): MetricValue =>
  Number.isNaN(value)
    ? "NaN"
    : value === Number.POSITIVE_INFINITY
      ? "Infinity"
      : value === Number.NEGATIVE_INFINITY
        ? "-Infinity"
        : value;
