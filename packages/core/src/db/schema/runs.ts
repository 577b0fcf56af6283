import { sql } from "drizzle-orm";
import { foreignKey, index, jsonb, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { createdAt, tenantId, time, updatedAt } from "./columns";
import { experiments } from "./experiments";

/** A run. Tags (mutable) and params (write-once) live beside it as JSON maps: one row read per run. */
export const runs = pgTable(
  "runs",
  {
    tenantId: tenantId(),
    id: uuid("id").notNull(),
    experimentId: uuid("experiment_id").notNull(),
    name: text("name").notNull(),
    description: text("description"),
    status: text("status", { enum: ["RUNNING", "FINISHED", "FAILED", "KILLED"] })
      .notNull()
      .default("RUNNING"),
    startTime: time("start_time").notNull(),
    endTime: time("end_time"),
    artifactUri: text("artifact_uri").notNull(),
    /** A run of the same experiment that this one is nested under. */
    parentRunId: uuid("parent_run_id"),
    /** Set while the run is deleted: it keeps its data, is left out of lists and refuses writes. */
    deletedAt: time("deleted_at"),
    tags: jsonb("tags").$type<Record<string, string>>().notNull().default({}),
    params: jsonb("params").$type<Record<string, string>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: "runs_pkey", columns: [t.tenantId, t.id] }),
    index("runs_experiment_start_idx").on(t.tenantId, t.experimentId, t.startTime.desc(), t.id.desc()),
    index("runs_parent_idx").on(t.tenantId, t.parentRunId).where(sql`${t.parentRunId} is not null`),
    foreignKey({
      name: "runs_parent_fk",
      columns: [t.tenantId, t.parentRunId],
      foreignColumns: [t.tenantId, t.id],
    }),
    foreignKey({
      name: "runs_experiment_fk",
      columns: [t.tenantId, t.experimentId],
      foreignColumns: [experiments.tenantId, experiments.id],
    }),
  ],
);
