import { foreignKey, jsonb, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { createdAt, tenantId } from "./columns";
import { runs } from "./runs";

/**
 * The datasets a run used (MLflow's log-inputs): one row per (run, dataset name, digest), with the input's
 * tags (e.g. `mlflow.data.context`: train or eval). Logging the same dataset again replaces its tags.
 */
export const runInputs = pgTable(
  "run_inputs",
  {
    tenantId: tenantId(),
    runId: uuid("run_id").notNull(),
    name: text("name").notNull(),
    digest: text("digest").notNull(),
    sourceType: text("source_type").notNull(),
    source: text("source").notNull(),
    schema: text("schema"),
    profile: text("profile"),
    tags: jsonb("tags").$type<Record<string, string>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: "run_inputs_pkey", columns: [t.tenantId, t.runId, t.name, t.digest] }),
    foreignKey({ name: "run_inputs_run_fk", columns: [t.tenantId, t.runId], foreignColumns: [runs.tenantId, runs.id] }),
  ],
);
