import type { Database } from "../db";
import { tenants } from "../db/schema";
import { conflict } from "../shared/errors";
import { newId, one } from "../shared/ids";
import { isUniqueViolation } from "../shared/pg-errors";
import type { CreateTenantInput, TenantResponse } from "./schemas";
import { toTenantResponse } from "./to-response";

export async function createTenant(db: Database, input: CreateTenantInput): Promise<TenantResponse> {
  try {
    const row = one(
      await db
        .insert(tenants)
        .values({ id: newId(), slug: input.slug, name: input.name ?? input.slug })
        .returning(),
    );
    return toTenantResponse(row);
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`Tenant slug '${input.slug}' is taken`);
    throw error;
  }
}
