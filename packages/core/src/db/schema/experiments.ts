import { sql } from "drizzle-orm";
import { foreignKey, index, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, tenantId, updatedAt } from "./columns";
import { tenants } from "./tenants";

export const experiments = pgTable(
  "experiments",
  {
    tenantId: tenantId(),
    id: uuid("id").notNull(),
    name: text("name").notNull(),
    description: text("description"),
    artifactLocation: text("artifact_location").notNull(),
    lifecycleStage: text("lifecycle_stage", { enum: ["active", "deleted"] })
      .notNull()
      .default("active"),
    tags: jsonb("tags").$type<Record<string, string>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: "experiments_pkey", columns: [t.tenantId, t.id] }),
    // Names are unique among a tenant's active experiments only: archiving frees the name.
    uniqueIndex("experiments_active_name_key").on(t.tenantId, t.name).where(sql`${t.lifecycleStage} = 'active'`),
    index("experiments_created_idx").on(t.tenantId, t.lifecycleStage, t.createdAt.desc(), t.id.desc()),
    foreignKey({ name: "experiments_tenant_fk", columns: [t.tenantId], foreignColumns: [tenants.id] }),
  ],
);
