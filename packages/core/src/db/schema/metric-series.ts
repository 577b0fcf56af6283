import {
  bigint,
  doublePrecision,
  foreignKey,
  index,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { tenantId } from "./columns";
import { runs } from "./runs";

/**
 * One row per (run, metric key): a narrow bigint id that the points use instead of repeating the run's UUID
 * and the key, and a summary of the stored points kept up to date in the same transaction as the points:
 * count, min and max (NaN ignored), the first and last step, the latest point (greatest step, then
 * timestamp, then value), the first point (least step, then timestamp, then value), and the sum and count of
 * NaN points (for the mean of the others). Run search reads them: `metrics.x`, `min(...)`, `avg(...)`...
 */
export const metricSeries = pgTable(
  "metric_series",
  {
    tenantId: tenantId(),
    id: bigint("id", { mode: "number" }).generatedAlwaysAsIdentity(),
    runId: uuid("run_id").notNull(),
    key: text("key").notNull(),
    count: bigint("count", { mode: "number" }).notNull().default(0),
    minValue: doublePrecision("min_value"),
    maxValue: doublePrecision("max_value"),
    firstStep: bigint("first_step", { mode: "number" }),
    firstTimestamp: bigint("first_timestamp", { mode: "number" }),
    firstValue: doublePrecision("first_value"),
    /** The sum of the non-NaN points. */
    sumValue: doublePrecision("sum_value"),
    nanCount: bigint("nan_count", { mode: "number" }).notNull().default(0),
    lastStep: bigint("last_step", { mode: "number" }),
    lastTimestamp: bigint("last_timestamp", { mode: "number" }),
    lastValue: doublePrecision("last_value"),
  },
  (t) => [
    primaryKey({ name: "metric_series_pkey", columns: [t.tenantId, t.id] }),
    uniqueIndex("metric_series_run_key_key").on(t.tenantId, t.runId, t.key),
    // Run search: ordering by a metric walks these in order; range filters on the latest value or minimum use them.
    index("metric_series_key_last_idx").on(t.tenantId, t.key, t.lastValue),
    index("metric_series_key_min_idx").on(t.tenantId, t.key, t.minValue),
    foreignKey({
      name: "metric_series_run_fk",
      columns: [t.tenantId, t.runId],
      foreignColumns: [runs.tenantId, runs.id],
    }),
  ],
);
