import { asc } from "drizzle-orm";
import type { Database } from "../db";
import { tenants } from "../db/schema";
import { toTenantResponse } from "./to-response";

export async function listTenants(db: Database) {
  const rows = await db.select().from(tenants).orderBy(asc(tenants.slug));
  return { tenants: rows.map(toTenantResponse) };
}
