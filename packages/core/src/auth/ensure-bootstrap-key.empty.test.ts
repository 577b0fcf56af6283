import { count } from "drizzle-orm";
import { expect, it } from "vitest";
import { listApiKeys } from "../admin/list-api-keys";
import { listTenants } from "../admin/list-tenants";
import { apiKeys } from "../db/schema";
import { one } from "../shared/ids";
import { testDatabase } from "../testing";
import { authenticateApiKey } from "./authenticate";
import { ensureBootstrapKey } from "./ensure-bootstrap-key";

// Its own file, so that its database holds no key yet: create no tenant or key before this test.
const { db } = await testDatabase();

it("creates tenant default and one admin key on a database without keys, once", async () => {
  expect(one(await db.select({ n: count() }).from(apiKeys)).n).toBe(0);
  // Two start-ups at once (replicas): exactly one of them creates the key.
  const results = await Promise.all([ensureBootstrapKey(db), ensureBootstrapKey(db)]);
  const created = results.filter((r) => r !== null);
  expect(created).toHaveLength(1);
  const key = created[0] ?? "";
  expect(key).toMatch(/^swk_/);

  const principal = await authenticateApiKey(db, key);
  expect(principal).toMatchObject({ admin: true, tenants: [{ slug: "default" }] });
  expect((await listTenants(db)).tenants).toEqual([expect.objectContaining({ slug: "default", name: "Default" })]);
  const { api_keys } = await listApiKeys(db);
  expect(api_keys).toEqual([expect.objectContaining({ name: "bootstrap", admin: true, tenants: ["default"] })]);

  expect(await ensureBootstrapKey(db)).toBeNull();
  expect((await listApiKeys(db)).api_keys).toHaveLength(1);
});
