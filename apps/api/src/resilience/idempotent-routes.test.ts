import type { TestTenant } from "@stepwise/core/testing";
import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "../rest/openapi-document";
import { appRouter } from "../routers";
import { testApp } from "../testing/app";
import { prepare, ROUTES, restRequest, seed } from "../testing/route-requests";

// Idempotency is declared once (writeProcedure): every operation whose document advertises Idempotency-Key
// replays a repeat (the same answer, nothing written again), and every other one stores no answer for a key.
const t = await testApp();
const doc = buildOpenApiDocument(appRouter);
type Op = { parameters?: { name: string; in: string }[] };
const advertises = (method: string, path: string) =>
  ((doc.paths?.[path] as Record<string, Op> | undefined)?.[method.toLowerCase()]?.parameters ?? []).some(
    (p) => p.in === "header" && p.name === "Idempotency-Key",
  );

/** Every row the tenant owns, table by table: what a write changes. */
async function tenantState(tenantId: string) {
  const rows = async (query: string) => {
    const result = (await t.db.execute(query)) as unknown;
    return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Record<string, unknown>[];
  };
  const tables = await rows(
    "select table_name from information_schema.columns where column_name = 'tenant_id' and table_schema = current_schema() order by table_name",
  );
  const state: Record<string, string[]> = {};
  for (const { table_name } of tables) {
    const all = await rows(`select * from "${table_name}" where tenant_id = '${tenantId}'`);
    state[table_name as string] = all.map((r) => JSON.stringify(r)).sort();
  }
  return state;
}

const storedKeys = async (tenantId: string, key: string) =>
  (await tenantState(tenantId)).idempotency_keys?.filter((row) => row.includes(`"key":"${key}"`)).length ?? 0;

let counter = 0;
const send = (as: TestTenant, req: ReturnType<typeof restRequest>, key: string) =>
  t.rest(as, req.method, req.path, { body: req.body, headers: { "idempotency-key": key } });

it("advertises the header exactly on the operations the metadata marks idempotent", () => {
  for (const route of ROUTES) expect(advertises(route.method, route.path), route.procedurePath).toBe(route.idempotent);
  expect(ROUTES.filter((r) => r.idempotent).length).toBeGreaterThanOrEqual(8);
});

describe.each(ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))("%s", (_, route) => {
  it(
    advertises(route.method, route.path)
      ? "replays a repeat with the same Idempotency-Key: the same answer, nothing written again"
      : "stores no answer for an Idempotency-Key: it does not replay",
    async () => {
      const as = await t.newTenant({ admin: route.access === "admin" });
      const ids = await seed(t.db, as);
      await prepare(t.db, route, as.id, ids);
      const key = `walk-${Date.now()}-${++counter}`;
      const req = restRequest(route, ids);
      const first = await send(as, req, key);
      expect(first.status, JSON.stringify(first.body)).toBe(route.successStatus);
      if (!advertises(route.method, route.path)) {
        expect(await storedKeys(as.id, key)).toBe(0);
        return;
      }
      expect(await storedKeys(as.id, key)).toBe(1);
      const before = await tenantState(as.id);
      const repeat = await send(as, req, key);
      expect(repeat.status).toBe(first.status);
      expect(repeat.body).toEqual(first.body);
      expect(await tenantState(as.id)).toEqual(before);
    },
  );
});
