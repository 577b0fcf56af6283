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
    tags: jsonb("tags").$type<Record<string, string>>().notNull().default({}),
    params: jsonb("params").$type<Record<string, string>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: "runs_pkey", columns: [t.tenantId, t.id] }),
    index("runs_experiment_start_idx").on(t.tenantId, t.experimentId, t.startTime.desc(), t.id.desc()),
    foreignKey({
      name: "runs_experiment_fk",
      columns: [t.tenantId, t.experimentId],
      foreignColumns: [experiments.tenantId, experiments.id],
    }),
  ],
);
