import { createApiKey, createExperiment, createRun, deleteRun, logBatch, revokeApiKey } from "@stepwise/core";
import type { TestTenant } from "@stepwise/core/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { openApiRoutes } from "../rest/openapi-document";
import { TEST_ARTIFACTS, testApp } from "../testing/app";
import { appRouter } from "./index";

/**
 * Contract section 2 over every REST route, taken from the router: a new procedure with an OpenAPI route is
 * checked here without being listed. A route that needs more input than its path ID to succeed gets one line
 * in INPUTS (the success test fails until it has it).
 */
const { app, db, newTenant } = await testApp();
type Route = ReturnType<typeof openApiRoutes>[number];
const ROUTES = openApiRoutes(appRouter);
const isAdmin = (r: Route) => r.path.startsWith("/admin/");
const tenantRoutes = ROUTES.filter((r) => !isAdmin(r));
const adminRoutes = ROUTES.filter(isAdmin);
/** describe.each rows named `METHOD /path`. */
const named = (routes: Route[]) => routes.map((r) => [`${r.method} ${r.path}`, r] as const);
const MISSING = "0190f0e0-0000-7000-8000-000000000000";

interface Ids {
  experiment: string;
  run: string;
  /** A second run of the same experiment (compare takes two). */
  run2: string;
  apiKey: string;
  slug: string;
}
let counter = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++counter}`;
const INPUTS: Record<string, (ids: Ids) => { query?: Record<string, string>; body?: unknown }> = {
  "experiments.create": () => ({ body: { name: unique("exp") } }),
  "experiments.update": () => ({ body: { description: "changed" } }),
  "runs.update": () => ({ body: { description: "changed" } }),
  "runs.create": (ids) => ({ body: { experiment_id: ids.experiment } }),
  "runs.list": (ids) => ({ query: { experiment_id: ids.experiment } }),
  "runs.compare": (ids) => ({ body: { run_ids: [ids.run, ids.run2] } }),
  "runs.search": (ids) => ({ body: { experiment_ids: [ids.experiment], filter: "status = 'RUNNING'" } }),
  "runs.logMetrics": () => ({ body: { metrics: { loss: 0.5 }, step: 1 } }),
  "runs.logParams": () => ({ body: { params: { lr: "0.1" } } }),
  "runs.logBatch": () => ({ body: { metrics: [{ key: "loss", value: 1 }], tags: [{ key: "t", value: "v" }] } }),
  "runs.metricHistory": () => ({ query: { key: "loss" } }),
  "admin.createTenant": () => ({ body: { slug: unique("t") } }),
  "admin.createApiKey": (ids) => ({ body: { name: "matrix", tenants: [ids.slug] } }),
};
/** The tag key of `{key}` paths. */
const TAG = "t";
/** State a route needs before it can succeed on freshly seeded IDs (restore takes a deleted run). */
const PREPARE: Record<string, (tenantId: string, ids: Ids) => Promise<unknown>> = {
  "runs.restore": (tenantId, ids) => deleteRun(db, tenantId, ids.run),
  "runs.deleteTag": (tenantId, ids) => logBatch(db, tenantId, { id: ids.run, tags: [{ key: TAG, value: "v" }] }),
};
/** Which resource a path `{id}` names, by the segment before it. */
const ID_KIND: Record<string, "experiment" | "run" | "apiKey"> = {
  experiments: "experiment",
  runs: "run",
  "api-keys": "apiKey",
};

interface Req {
  method: string;
  path: string;
  body?: unknown;
}
function request(route: Route, ids: Ids): Req {
  const path = route.path
    .replace(/([\w-]+)\/\{id\}/, (_, segment: string) => {
      const kind = ID_KIND[segment];
      if (!kind) throw new Error(`route-matrix: no ID kind for ${route.path}; add it to ID_KIND`);
      return `${segment}/${ids[kind]}`;
    })
    .replace("{key}", TAG);
  if (path.includes("{")) throw new Error(`route-matrix: unfilled path parameter in ${route.path}`);
  const { query, body } = INPUTS[route.procedurePath]?.(ids) ?? {};
  return { method: route.method, path: query ? `${path}?${new URLSearchParams(query)}` : path, body };
}
/** Whether the request names a tenant-owned resource (in its path, query or body). */
const namesResource = (req: Req, ids: Ids) =>
  [ids.experiment, ids.run, ids.run2].some((id) => JSON.stringify(req).includes(id));

async function send(req: Req, key: string | null, tenantHeaders: string[] = []) {
  const headers = new Headers();
  if (key) headers.set("authorization", `Bearer ${key}`);
  for (const slug of tenantHeaders) headers.append("x-tenant-id", slug);
  if (req.body !== undefined) headers.set("content-type", "application/json");
  const body = req.body === undefined ? undefined : JSON.stringify(req.body);
  const res = await app.request(`/api/v1${req.path}`, { method: req.method, headers, body });
  const text = await res.text();
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers
  const json: any = text ? JSON.parse(text) : undefined;
  return { status: res.status, headers: res.headers, body: json };
}

/** A fresh experiment and run in the tenant, and a fresh key of its own (to revoke). */
async function seed(t: TestTenant): Promise<Ids> {
  const e = await createExperiment(db, t.id, { name: unique("seed") }, TEST_ARTIFACTS);
  const r = await createRun(db, t.id, { experiment_id: e.id });
  const r2 = await createRun(db, t.id, { experiment_id: e.id });
  const k = await createApiKey(db, { name: "to revoke", tenants: [t.slug], admin: false });
  return { experiment: e.id, run: r.id, run2: r2.id, apiKey: k.id, slug: t.slug };
}
const missingIds: Ids = {
  experiment: MISSING,
  run: MISSING,
  run2: "0190f0e0-0000-7000-8000-000000000001",
  apiKey: MISSING,
  slug: "no-such-tenant",
};

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
  const revoked = await createApiKey(db, { name: "revoked", tenants: [a.slug], admin: true });
  await revokeApiKey(db, revoked.id);
  revokedKey = revoked.key;
});

it("takes its routes from the router", () => {
  const names = ROUTES.map((r) => `${r.method} ${r.path}`);
  expect(names).toEqual(
    expect.arrayContaining(["GET /experiments/{id}", "GET /experiments/runs", "GET /admin/tenants"]),
  );
  expect(tenantRoutes.length).toBeGreaterThanOrEqual(10);
});

describe.each(named(ROUTES))("%s", (_, route) => {
  it("answers 401 with WWW-Authenticate for no key, a garbage key and a revoked key", async () => {
    const req = request(route, isAdmin(route) ? missingIds : aIds);
    const none = await send(req, null);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toBe("Bearer");
    expect(none.body).toMatchObject({ code: "UNAUTHORIZED", message: expect.stringContaining("Authorization") });
    for (const key of ["swk_garbage_key", `${a.key}x`, revokedKey]) {
      const res = await send(req, key, [a.slug]);
      expect(res.status, key).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe("Bearer");
      expect(res.body).toMatchObject({ code: "UNAUTHORIZED", message: "Invalid or revoked API key" });
    }
  });
});

describe.each(named(tenantRoutes))("%s", (_, route) => {
  it("answers the same 403 for a tenant not granted and one that does not exist", async () => {
    const req = request(route, aIds);
    const notGranted = await send(req, a.key, [b.slug]);
    const unknown = await send(req, a.key, ["no-such-tenant"]);
    expect([notGranted.status, unknown.status]).toEqual([403, 403]);
    expect(notGranted.body).toMatchObject({ code: "FORBIDDEN", message: "Tenant access denied" });
    expect(unknown.body).toEqual(notGranted.body);
  });

  it("answers 400 for a key of two tenants without X-Tenant-ID, with two headers or with a list", async () => {
    const req = request(route, aIds);
    for (const tenants of [[], [""], [a.slug, a.slug], [a.slug, b.slug], [`${a.slug},${b.slug}`]]) {
      const res = await send(req, twoTenantKey, tenants);
      expect(res.status, JSON.stringify(tenants)).toBe(400);
      expect(res.body).toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("X-Tenant-ID") });
    }
  });

  it("succeeds for a key of two tenants with X-Tenant-ID naming one", async () => {
    const ids = await seed(b);
    await PREPARE[route.procedurePath]?.(b.id, ids);
    const res = await send(request(route, ids), twoTenantKey, [b.slug]);
    expect(res.status, JSON.stringify(res.body)).toBe(route.successStatus);
  });
});

describe.each(named(tenantRoutes.filter((r) => namesResource(request(r, missingIds), missingIds))))(
  "%s",
  (_, route) => {
    it("answers 404 for another tenant's ID exactly as for a missing one, and changes nothing", async () => {
      const foreign = await send(request(route, bIds), a.key);
      const missing = await send(request(route, missingIds), a.key);
      expect(missing.status).toBe(404);
      expect(foreign.status).toBe(404);
      const anonymous = (body: unknown, ids: Ids) =>
        JSON.stringify(body)
          .replaceAll(ids.experiment, "<id>")
          .replaceAll(ids.run2, "<id>")
          .replaceAll(ids.run, "<id>");
      expect(anonymous(foreign.body, bIds)).toBe(anonymous(missing.body, missingIds));
      expect(foreign.body.code).toBe("NOT_FOUND");
      const experiment = await send({ method: "GET", path: `/experiments/${bIds.experiment}` }, b.key);
      expect(experiment.body).toMatchObject({ lifecycle_stage: "active", description: null });
      const runs = await send({ method: "GET", path: `/experiments/runs?experiment_id=${bIds.experiment}` }, b.key);
      type Run = { id: string; status: string; params: object; tags: object; metrics: object };
      expect(runs.body.runs.map((r: Run) => [r.id, r.status, r.params, r.tags, r.metrics]).sort()).toEqual(
        [
          [bIds.run, "RUNNING", {}, {}, {}],
          [bIds.run2, "RUNNING", {}, {}, {}],
        ].sort(),
      );
    });
  },
);

describe.each(named(adminRoutes))("%s", (_, route) => {
  it("answers 403 for a non-admin key and succeeds for an admin key", async () => {
    const ids = await seed(a);
    const denied = await send(request(route, ids), a.key);
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ code: "FORBIDDEN", message: expect.stringContaining("admin") });
    const ok = await send(request(route, ids), admin.key);
    expect(ok.status, JSON.stringify(ok.body)).toBe(route.successStatus);
  });
});

it("acts for the tenant that X-Tenant-ID names", async () => {
  const list = (slug: string) => send({ method: "GET", path: "/experiments?limit=1000" }, twoTenantKey, [slug]);
  const ids = async (slug: string) => (await list(slug)).body.experiments.map((e: { id: string }) => e.id);
  expect(await ids(a.slug)).toContain(aIds.experiment);
  expect(await ids(a.slug)).not.toContain(bIds.experiment);
  expect(await ids(b.slug)).toContain(bIds.experiment);
  expect(await ids(b.slug)).not.toContain(aIds.experiment);
});

describe("headers as HTTP clients send them", () => {
  it("takes an empty X-Tenant-ID as no header: a key of one tenant acts for it", async () => {
    const res = await send({ method: "GET", path: `/experiments/${aIds.experiment}` }, a.key, [""]);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });

  it("answers HEAD as GET: the same status and headers", async () => {
    const head = (path: string, key?: string) =>
      app.request(`/api/v1${path}`, { method: "HEAD", headers: key ? { authorization: `Bearer ${key}` } : {} });
    expect((await head("/experiments", a.key)).status).toBe(200);
    expect((await head(`/experiments/${aIds.experiment}`, a.key)).headers.get("content-type")).toContain("json");
    expect((await head(`/experiments/${MISSING}`, a.key)).status).toBe(404);
    expect((await head("/experiments")).status).toBe(401);
  });

  it("answers two Authorization headers with a 401 that says so", async () => {
    const headers = new Headers();
    headers.append("authorization", `Bearer ${a.key}`);
    headers.append("authorization", `Bearer ${b.key}`);
    const res = await app.request("/api/v1/experiments", { headers });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: "UNAUTHORIZED", message: expect.stringContaining("exactly one") });
  });
});
