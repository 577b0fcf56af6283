import { randomBytes } from "node:crypto";
import { createApiKey } from "../admin/create-api-key";
import { createTenant } from "../admin/create-tenant";
import type { Database } from "../db/client";

export interface TestTenant {
  id: string;
  slug: string;
  key: string;
  /** Headers for a REST call as this tenant's key. */
  headers: Record<string, string>;
}

/** A fresh tenant with its own key, so that tests never see each other's rows. */
export async function createTestTenant(db: Database, options: { admin?: boolean } = {}): Promise<TestTenant> {
  const slug = `t-${randomBytes(6).toString("hex")}`;
  const tenant = await createTenant(db, { slug });
  const { key } = await createApiKey(db, { name: `key for ${slug}`, tenants: [slug], admin: options.admin ?? false });
  return { id: tenant.id, slug, key, headers: { authorization: `Bearer ${key}` } };
}
