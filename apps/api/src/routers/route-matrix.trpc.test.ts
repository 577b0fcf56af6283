import { createApiKey, revokeApiKey } from "@stepwise/core";
import type { TestTenant } from "@stepwise/core/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { testApp } from "../testing/app";
import {
  type Ids,
  missingIds,
  namesResource,
  prepare,
  procedureInput,
  ROUTES,
  seed as seedWith,
} from "../testing/route-requests";
import { appRouter } from "./index";

/**
 * The key and tenant checks of route-matrix.test.ts over the tRPC transport, for every procedure: real HTTP at
 * /trpc, and createCaller. Inputs come from testing/route-requests.ts, as the REST matrix's do.
 */
const { app, db, caller, newTenant } = await testApp();
type Route = (typeof ROUTES)[number];
const named = (routes: Route[]) => routes.map((r) => [r.procedurePath, r] as const);
const tenantRoutes = ROUTES.filter((r) => r.access === "tenant");
const adminRoutes = ROUTES.filter((r) => r.access === "admin");
const procedureType = (path: string) =>
  (appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>)[path]?._def.type;
const seed = (t: TestTenant) => seedWith(db, t);

/** One tRPC call over HTTP; queries send their input in the URL, mutations in the body. */
async function trpc(path: string, input: unknown, key: string | null, tenantHeaders: string[] = []) {
  const headers = new Headers();
  if (key) headers.set("authorization", `Bearer ${key}`);
  for (const slug of tenantHeaders) headers.append("x-tenant-id", slug);
  const json = input === undefined ? undefined : JSON.stringify(input);
  if (procedureType(path) === "mutation") headers.set("content-type", "application/json");
  const res =
    procedureType(path) === "mutation"
      ? await app.request(`/trpc/${path}`, { method: "POST", headers, body: json })
      : await app.request(`/trpc/${path}${json ? `?input=${encodeURIComponent(json)}` : ""}`, { headers });
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers
  const body: any = await res.json();
  return { status: res.status, headers: res.headers, body };
}

let a: TestTenant;
let b: TestTenant;
let admin: TestTenant;
let aIds: Ids;
let bIds: Ids;
let twoTenantKey: string;
let revokedKey: string;
beforeAll(async () => {
  [a, b, admin] = await Promise.all([newTenant(), newTenant(), newTenant({ admin: true })]);
  [aIds, bIds] = await Promise.all([seed(a), seed(b)]);
  twoTenantKey = (await createApiKey(db, { name: "two", tenants: [a.slug, b.slug], admin: false })).key;
  const revoked = await createApiKey(db, { name: "revoked", tenants: [a.slug], admin: false });
  await revokeApiKey(db, revoked.id);
  revokedKey = revoked.key;
});

const trpcError = (code: string, httpStatus: number, message: unknown = expect.any(String)) => ({
  error: { message, code: expect.any(Number), data: { code, httpStatus } },
});

it("covers every procedure of the router", () => {
  expect(ROUTES.map((r) => r.procedurePath).sort()).toEqual(Object.keys(appRouter._def.procedures).sort());
});

describe.each(named(ROUTES))("tRPC %s", (path, route) => {
  it("answers 401 with WWW-Authenticate for no key, a garbage key and a revoked key", async () => {
    const input = procedureInput(route, route.access === "admin" ? missingIds : aIds);
    const none = await trpc(path, input, null);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toBe("Bearer");
    expect(none.body).toMatchObject(trpcError("UNAUTHORIZED", 401, expect.stringContaining("Authorization")));
    for (const key of ["swk_garbage_key", revokedKey]) {
      const res = await trpc(path, input, key, [a.slug]);
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject(trpcError("UNAUTHORIZED", 401, "Invalid or revoked API key"));
    }
  });
});

describe.each(named(tenantRoutes))("tRPC %s", (path, route) => {
  it("answers the same 403 for a tenant not granted and one that does not exist", async () => {
    const notGranted = await trpc(path, procedureInput(route, aIds), a.key, [b.slug]);
    const unknown = await trpc(path, procedureInput(route, aIds), a.key, ["no-such-tenant"]);
    expect([notGranted.status, unknown.status]).toEqual([403, 403]);
    expect(notGranted.body).toMatchObject(trpcError("FORBIDDEN", 403, "Tenant access denied"));
    expect(unknown.body).toEqual(notGranted.body);
  });

  it("answers 400 for a key of two tenants without one X-Tenant-ID, and succeeds with one", async () => {
    for (const tenants of [[], [a.slug, b.slug], [`${a.slug},${b.slug}`]]) {
      const res = await trpc(path, procedureInput(route, aIds), twoTenantKey, tenants);
      expect(res.status, JSON.stringify(tenants)).toBe(400);
      expect(res.body).toMatchObject(trpcError("BAD_REQUEST", 400, expect.stringContaining("X-Tenant-ID")));
    }
    const fresh = await seed(b);
    await prepare(db, route, b.id, fresh);
    const ok = await trpc(path, procedureInput(route, fresh), twoTenantKey, [b.slug]);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.result.data).toBeDefined();
  });
});

describe.each(named(tenantRoutes.filter((r) => namesResource(procedureInput(r, missingIds), missingIds))))(
  "tRPC %s",
  (path, route) => {
    it("answers 404 for another tenant's ID exactly as for a missing one", async () => {
      const foreign = await trpc(path, procedureInput(route, bIds), a.key);
      const missing = await trpc(path, procedureInput(route, missingIds), a.key);
      expect(foreign.body).toMatchObject(trpcError("NOT_FOUND", 404));
      const anonymous = (body: unknown, ids: Ids) =>
        JSON.stringify(body)
          .replaceAll(ids.experiment, "<id>")
          .replaceAll(ids.run2, "<id>")
          .replaceAll(ids.run, "<id>");
      expect(anonymous(foreign.body, bIds)).toBe(anonymous(missing.body, missingIds));
    });
  },
);

it("leaves another tenant's resources untouched after the 404s", async () => {
  const experiment = await caller(b).experiments.get({ id: bIds.experiment });
  expect(experiment).toMatchObject({ lifecycle_stage: "active", description: null });
  const runs = await caller(b).runs.list({ experiment_id: bIds.experiment, limit: 100, offset: 0 });
  type Run = { id: string; status: string; params: object; tags: object; metrics: object };
  expect(runs.runs.map((r: Run) => [r.id, r.status, r.params, r.tags, r.metrics]).sort()).toEqual(
    [
      [bIds.run, "RUNNING", {}, {}, {}],
      [bIds.run2, "RUNNING", {}, {}, {}],
    ].sort(),
  );
});

describe.each(named(adminRoutes))("tRPC %s", (path, route) => {
  it("answers 403 for a non-admin key, and succeeds for an admin key", async () => {
    const ids = await seed(a);
    const res = await trpc(path, procedureInput(route, ids), a.key);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject(trpcError("FORBIDDEN", 403, expect.stringContaining("admin")));
    const ok = await trpc(path, procedureInput(route, ids), admin.key);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
  });
});

describe("createCaller", () => {
  it("applies the same key and tenant rules", async () => {
    const as = (key: string) => ({ ...a, key });
    await expect(caller(as("swk_garbage_key")).experiments.list({})).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(caller(as(revokedKey)).experiments.list({})).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(caller(a, { "x-tenant-id": b.slug }).experiments.list({})).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: "Tenant access denied",
    });
    await expect(caller(as(twoTenantKey)).experiments.list({})).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(caller(a).experiments.get({ id: bIds.experiment })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(caller(a).admin.listTenants()).rejects.toMatchObject({ code: "FORBIDDEN" });
    const mine = await caller(as(twoTenantKey), { "x-tenant-id": a.slug }).experiments.get({ id: aIds.experiment });
    expect(mine.id).toBe(aIds.experiment);
  });
});
