import { bigint, doublePrecision, integer, pgTable, primaryKey } from "drizzle-orm/pg-core";
import { tenantId } from "./columns";

/**
 * Pre-aggregated step buckets of each series at a few fixed widths (16, 256, 4096, 65536 steps), kept up to
 * date at ingest: the point count and the minimum and maximum point (NaN ignored) of each bucket. History
 * reads them instead of scanning a million points.
 */
export const metricBuckets = pgTable(
  "metric_buckets",
  {
    tenantId: tenantId(),
    seriesId: bigint("series_id", { mode: "number" }).notNull(),
    width: integer("width").notNull(),
    bucket: bigint("bucket", { mode: "number" }).notNull(),
    count: bigint("count", { mode: "number" }).notNull(),
    minStep: bigint("min_step", { mode: "number" }),
    minTimestamp: bigint("min_timestamp", { mode: "number" }),
    minValue: doublePrecision("min_value"),
    maxStep: bigint("max_step", { mode: "number" }),
    maxTimestamp: bigint("max_timestamp", { mode: "number" }),
    maxValue: doublePrecision("max_value"),
  },
  (t) => [primaryKey({ name: "metric_buckets_pkey", columns: [t.tenantId, t.seriesId, t.width, t.bucket] })],
);
