import { type SQL, sql } from "drizzle-orm";
import type { AggregateName, Operand } from "./ast";

/**
 * How an operand reads in SQL, over the run row `r` (and, for metric-backed operands, a metric_series row
 * `s` of the same run and key). Every key and value is a bound parameter; only fixed column names are raw.
 */
export type OperandSql =
  /** A column of metric_series (latest value, or an aggregate of the whole series). */
  | { source: "series"; key: string; column: (s: SQL) => SQL; type: "float"; nan: "as-zero" | "native" | "none" }
  /** A value of the run row: null when the key is absent. */
  | { source: "run"; expr: SQL; type: "text" | "time" | "uuid"; nullable: boolean };

const col = (name: string) => (s: SQL) => sql`${s}.${sql.raw(name)}`;
const SERIES_COLUMN: Record<AggregateName | "last", { column: (s: SQL) => SQL; nan: "as-zero" | "native" | "none" }> = {
  // MLflow stores a NaN latest value as 0 (with an is_nan flag) and compares that 0: so do we, for the latest and first values.
  last: { column: col("last_value"), nan: "as-zero" },
  first: { column: col("first_value"), nan: "as-zero" },
  // min and max ignore NaN points; count and last_step are integers.
  min: { column: col("min_value"), nan: "none" },
  max: { column: col("max_value"), nan: "none" },
  count: { column: (s) => sql`${s}.count::float8`, nan: "none" },
  last_step: { column: (s) => sql`${s}.last_step::float8`, nan: "none" },
  // The mean of the non-NaN points (as min and max ignore NaN).
  avg: { column: (s) => sql`(${s}.sum_value / nullif(${s}.count - ${s}.nan_count, 0))`, nan: "native" },
};

export function operandSql(o: Operand): OperandSql {
  switch (o.kind) {
    case "metric":
      return { source: "series", key: o.key, type: "float", ...SERIES_COLUMN.last };
    case "aggregate":
      return { source: "series", key: o.key, type: "float", ...SERIES_COLUMN[o.fn] };
    case "param":
      return { source: "run", expr: sql`(r.params ->> ${o.key}::text)`, type: "text", nullable: true };
    case "tag":
      return { source: "run", expr: sql`(r.tags ->> ${o.key}::text)`, type: "text", nullable: true };
    case "attribute":
      switch (o.name) {
        case "run_id":
          return { source: "run", expr: sql`r.id`, type: "uuid", nullable: false };
        case "parent_run_id":
          return { source: "run", expr: sql`r.parent_run_id`, type: "uuid", nullable: true };
        case "run_name":
          return { source: "run", expr: sql`r.name`, type: "text", nullable: false };
        case "status":
          return { source: "run", expr: sql`r.status`, type: "text", nullable: false };
        case "artifact_uri":
          return { source: "run", expr: sql`r.artifact_uri`, type: "text", nullable: false };
        // There is no user column: MLflow's clients set the `mlflow.user` tag, which is what user_id reads.
        case "user_id":
          return { source: "run", expr: sql`(r.tags ->> 'mlflow.user')`, type: "text", nullable: true };
        case "start_time":
          return { source: "run", expr: sql`r.start_time`, type: "time", nullable: false };
        case "end_time":
          return { source: "run", expr: sql`r.end_time`, type: "time", nullable: true };
        case "created_at":
          return { source: "run", expr: sql`r.created_at`, type: "time", nullable: false };
      }
  }
}

/** The metric_series row of run `r` and `key`, as a correlated subquery's FROM and WHERE. */
export const seriesOf = (tenantId: string, key: string) =>
  sql`from metric_series s where s.tenant_id = ${tenantId} and s.run_id = r.id and s.key = ${key}::text`;

/** Epoch milliseconds to a timestamptz parameter (clamped to years 1 to 275760, which both ends of Date and PostgreSQL hold). */
export function timeParam(ms: number): SQL {
  const clamped = Math.min(8.64e15, Math.max(-62_135_596_800_000, Number.isNaN(ms) ? 0 : ms));
  return sql`${new Date(clamped).toISOString()}::timestamptz`;
}

/** A float8 parameter (NaN and the infinities spelled as PostgreSQL reads them). */
export const floatParam = (v: number) => sql`${String(v)}::float8`;

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
/** A run ID as a dashed UUID, also from MLflow's 32-hex form; null when it cannot be a run ID. */
export function normalizeUuid(value: string): string | null {
  if (!UUID.test(value)) return null;
  const hex = value.replace(/-/g, "").toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
