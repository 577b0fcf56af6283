import { bigint, doublePrecision, pgTable, primaryKey } from "drizzle-orm/pg-core";
import { tenantId } from "./columns";

/**
 * Every stored metric point, append-only. The primary key is the whole point, so an exact re-send is a
 * no-op (ON CONFLICT DO NOTHING) and every other point is kept. No foreign key to metric_series: the
 * write path takes series ids from its own upsert in the same transaction, and a per-row check would
 * cost ingest speed.
 */
export const metricPoints = pgTable(
  "metric_points",
  {
    tenantId: tenantId(),
    seriesId: bigint("series_id", { mode: "number" }).notNull(),
    step: bigint("step", { mode: "number" }).notNull(),
    timestamp: bigint("timestamp", { mode: "number" }).notNull(),
    value: doublePrecision("value").notNull(),
  },
  (t) => [primaryKey({ name: "metric_points_pkey", columns: [t.tenantId, t.seriesId, t.step, t.timestamp, t.value] })],
);
