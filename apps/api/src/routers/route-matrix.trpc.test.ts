import { createApiKey, createExperiment, createRun, revokeApiKey } from "@stepwise/core";
import type { TestTenant } from "@stepwise/core/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { TEST_ARTIFACTS, testApp } from "../testing/app";
import { appRouter } from "./index";

/** The key and tenant checks of route-matrix.test.ts over the tRPC transport: real HTTP at /trpc, and createCaller. */
const { app, db, caller, newTenant } = await testApp();
const MISSING = "0190f0e0-0000-7000-8000-000000000000";
type Ids = { experiment: string; run: string };

const PROCEDURES: { path: string; input: (ids: Ids) => unknown; takesId?: boolean }[] = [
  { path: "experiments.list", input: () => ({}) },
  { path: "experiments.get", input: (ids) => ({ id: ids.experiment }), takesId: true },
  { path: "experiments.archive", input: (ids) => ({ id: ids.experiment }), takesId: true },
  { path: "runs.list", input: (ids) => ({ experiment_id: ids.experiment }), takesId: true },
  { path: "runs.create", input: (ids) => ({ experiment_id: ids.experiment }), takesId: true },
  { path: "runs.end", input: (ids) => ({ id: ids.run }), takesId: true },
];
const procedureType = (path: string) =>
  (appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>)[path]?._def.type;

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

let counter = 0;
async function seed(t: TestTenant): Promise<Ids> {
  const e = await createExperiment(db, t.id, { name: `seed-${++counter}` }, TEST_ARTIFACTS);
  return { experiment: e.id, run: (await createRun(db, t.id, { experiment_id: e.id })).id };
}

let a: TestTenant;
let b: TestTenant;
let aIds: Ids;
let bIds: Ids;
let twoTenantKey: string;
let revokedKey: string;
beforeAll(async () => {
  [a, b] = await Promise.all([newTenant(), newTenant()]);
  [aIds, bIds] = await Promise.all([seed(a), seed(b)]);
  twoTenantKey = (await createApiKey(db, { name: "two", tenants: [a.slug, b.slug], admin: false })).key;
  const revoked = await createApiKey(db, { name: "revoked", tenants: [a.slug], admin: false });
  await revokeApiKey(db, revoked.id);
  revokedKey = revoked.key;
});

const trpcError = (code: string, httpStatus: number, message: unknown = expect.any(String)) => ({
  error: { message, code: expect.any(Number), data: { code, httpStatus } },
});

describe.each(PROCEDURES)("tRPC $path", ({ path, input }) => {
  it("answers 401 with WWW-Authenticate for no key, a garbage key and a revoked key", async () => {
    const none = await trpc(path, input(aIds), null);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toBe("Bearer");
    expect(none.body).toMatchObject(trpcError("UNAUTHORIZED", 401, expect.stringContaining("Authorization")));
    for (const key of ["swk_garbage_key", revokedKey]) {
      const res = await trpc(path, input(aIds), key, [a.slug]);
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject(trpcError("UNAUTHORIZED", 401, "Invalid or revoked API key"));
    }
  });

  it("answers the same 403 for a tenant not granted and one that does not exist", async () => {
    const notGranted = await trpc(path, input(aIds), a.key, [b.slug]);
    const unknown = await trpc(path, input(aIds), a.key, ["no-such-tenant"]);
    expect([notGranted.status, unknown.status]).toEqual([403, 403]);
    expect(notGranted.body).toMatchObject(trpcError("FORBIDDEN", 403, "Tenant access denied"));
    expect(unknown.body).toEqual(notGranted.body);
  });

  it("answers 400 for a key of two tenants without one X-Tenant-ID, and succeeds with one", async () => {
    for (const tenants of [[], [a.slug, b.slug], [`${a.slug},${b.slug}`]]) {
      const res = await trpc(path, input(aIds), twoTenantKey, tenants);
      expect(res.status, JSON.stringify(tenants)).toBe(400);
      expect(res.body).toMatchObject(trpcError("BAD_REQUEST", 400, expect.stringContaining("X-Tenant-ID")));
    }
    const ok = await trpc(path, input(await seed(b)), twoTenantKey, [b.slug]);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.result.data).toBeDefined();
  });
});

describe.each(PROCEDURES.filter((p) => p.takesId))("tRPC $path", ({ path, input }) => {
  it("answers 404 for another tenant's ID exactly as for a missing one", async () => {
    const foreign = await trpc(path, input(bIds), a.key);
    const missing = await trpc(path, input({ experiment: MISSING, run: MISSING }), a.key);
    expect(foreign.body).toMatchObject(trpcError("NOT_FOUND", 404));
    const anonymous = (body: unknown, ids: Ids) =>
      JSON.stringify(body).replaceAll(ids.experiment, "<id>").replaceAll(ids.run, "<id>");
    expect(anonymous(foreign.body, bIds)).toBe(anonymous(missing.body, { experiment: MISSING, run: MISSING }));
  });
});

it("leaves another tenant's resources untouched after the 404s", async () => {
  const experiment = await caller(b).experiments.get({ id: bIds.experiment });
  expect(experiment.lifecycle_stage).toBe("active");
  const runs = await caller(b).runs.list({ experiment_id: bIds.experiment, limit: 100, offset: 0 });
  expect(runs.runs.map((r) => [r.id, r.status])).toEqual([[bIds.run, "RUNNING"]]);
});

it("answers 403 for an admin procedure with a non-admin key, 200 with an admin key", async () => {
  const res = await trpc("admin.listTenants", undefined, a.key);
  expect(res.status).toBe(403);
  expect(res.body).toMatchObject(trpcError("FORBIDDEN", 403, expect.stringContaining("admin")));
  const root = await newTenant({ admin: true });
  const ok = await trpc("admin.listTenants", undefined, root.key);
  expect(ok.status).toBe(200);
  expect(ok.body.result.data.tenants).toContainEqual(expect.objectContaining({ slug: a.slug }));
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
