import { timestamp, uuid } from "drizzle-orm/pg-core";

/** Millisecond-precision UTC times, read as Date and sent as ISO strings. */
export const time = (name: string) => timestamp(name, { withTimezone: true, precision: 3, mode: "date" });
export const createdAt = () => time("created_at").notNull().defaultNow();
export const updatedAt = () => time("updated_at").notNull().defaultNow();
export const tenantId = () => uuid("tenant_id").notNull();
