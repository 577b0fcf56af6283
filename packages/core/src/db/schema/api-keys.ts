import { boolean, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, time } from "./columns";

/** API keys span tenants (see api_key_grants), so this table is global. Only a SHA-256 hash is stored. */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid("id").primaryKey(),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull(),
    admin: boolean("admin").notNull().default(false),
    createdAt: createdAt(),
    revokedAt: time("revoked_at"),
  },
  (t) => [uniqueIndex("api_keys_prefix_key").on(t.prefix)],
);
