import { createApiKey, revokeApiKey } from "@stepwise/core";
import type { TestTenant } from "@stepwise/core/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { testApp } from "../testing/app";
import {
  type Ids,
  MISSING,
  missingIds,
  namesResource,
  prepare,
  type Req,
  ROUTES,
  restRequest as request,
  seed as seedWith,
} from "../testing/route-requests";

/**
 * Contract section 2 over every REST route, taken from the router: a new procedure with an OpenAPI route is
 * checked here without being listed (its succeeding request comes from testing/route-requests.ts).
 */
const { app, db, newTenant } = await testApp();
type Route = (typeof ROUTES)[number];
const isAdmin = (r: Route) => r.access === "admin";
const tenantRoutes = ROUTES.filter((r) => !isAdmin(r));
const adminRoutes = ROUTES.filter(isAdmin);
/** describe.each rows named `METHOD /path`. */
const named = (routes: Route[]) => routes.map((r) => [`${r.method} ${r.path}`, r] as const);
const seed = (t: TestTenant) => seedWith(db, t);

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
    await prepare(db, route, b.id, ids);
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

/** The plain HTTP artifact routes (multipart in, bytes out), under the same checks. */
const ARTIFACT_ROUTES: [string, (ids: Ids) => { method: string; path: string; form?: true }][] = [
  [
    "POST /experiments/runs/{id}/log-artifact",
    (ids) => ({ method: "POST", path: `/experiments/runs/${ids.run}/log-artifact`, form: true }),
  ],
  [
    "GET /experiments/runs/{id}/artifacts/download",
    (ids) => ({ method: "GET", path: `/experiments/runs/${ids.run}/artifacts/download?path=model.bin` }),
  ],
];
async function sendArtifact(
  req: { method: string; path: string; form?: true },
  key: string | null,
  tenants: string[] = [],
) {
  const headers = new Headers();
  if (key) headers.set("authorization", `Bearer ${key}`);
  for (const slug of tenants) headers.append("x-tenant-id", slug);
  let body: FormData | undefined;
  if (req.form) {
    body = new FormData();
    body.append("file", new Blob([new Uint8Array([1, 2, 3])]), "model.bin");
  }
  const res = await app.request(`/api/v1${req.path}`, { method: req.method, headers, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text };
}

describe.each(ARTIFACT_ROUTES)("%s", (_, request) => {
  it("answers 401, then 403 for a foreign or unknown tenant, then 404 for another tenant's run as for a missing one", async () => {
    for (const key of [null, "swk_garbage_key", revokedKey]) {
      const res = await sendArtifact(request(aIds), key);
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe("Bearer");
      expect(JSON.parse(res.text)).toMatchObject({ code: "UNAUTHORIZED" });
    }
    for (const tenant of [b.slug, "no-such-tenant"]) {
      const res = await sendArtifact(request(aIds), a.key, [tenant]);
      expect(res.status).toBe(403);
      expect(JSON.parse(res.text)).toEqual({ code: "FORBIDDEN", message: "Tenant access denied" });
    }
    const foreign = await sendArtifact(request(bIds), a.key);
    const missing = await sendArtifact(request(missingIds), a.key);
    expect([foreign.status, missing.status]).toEqual([404, 404]);
    expect(foreign.text.replaceAll(bIds.run, "<id>")).toBe(missing.text.replaceAll(MISSING, "<id>"));
    // The owner is served: the upload stores the file, and the download returns it.
    expect((await sendArtifact(request(bIds), b.key)).status).toBe(200);
  });
});
