import type { TestTenant } from "@stepwise/core/testing";
import { beforeEach, describe, expect, it } from "vitest";
import { MLFLOW_ROUTES } from "./openapi";
import { mlflowTestApp } from "./testing/mlflow-app";

const { ml, newTenant, app } = await mlflowTestApp();
let me: TestTenant;
let rid: string;
beforeEach(async () => {
  me = await newTenant();
  rid = (await ml(me, "POST", "runs/create", { body: { experiment_id: "0" } })).body.run.info.run_id;
});
const getRun = (as: TestTenant | null, o: Parameters<typeof ml>[3] = {}) =>
  ml(as, "GET", "runs/get", { query: { run_id: rid }, ...o });
const basic = (user: string, key: string) => `Basic ${Buffer.from(`${user}:${key}`).toString("base64")}`;

describe("MLflow tenancy and auth (contract section 11)", () => {
  it("finds the tenant by path prefix, X-Tenant-ID, X-MLflow-Workspace, or the key's only tenant", async () => {
    expect((await getRun(me)).status).toBe(200);
    expect((await getRun(me, { prefix: `/t/${me.slug}` })).status).toBe(200);
    expect((await getRun(me, { headers: { "x-tenant-id": me.slug } })).status).toBe(200);
    expect((await getRun(me, { headers: { "x-mlflow-workspace": me.slug } })).status).toBe(200);
    expect((await getRun(me, { prefix: `/t/${me.slug}`, query: { run_id: rid } })).body.run.info.run_id).toBe(rid);
    const ajax = await app.request(`/ajax-api/2.0/mlflow/runs/get?run_id=${rid}`, { headers: me.headers });
    expect(ajax.status).toBe(200);
  });

  it("takes HTTP Basic with the key as the password; the user name is ignored or names the tenant", async () => {
    expect((await getRun(null, { headers: { authorization: basic("anyone", me.key) } })).status).toBe(200);
    expect((await getRun(null, { headers: { authorization: basic(me.slug, me.key) } })).status).toBe(200);
    const wrong = await getRun(null, { headers: { authorization: basic(me.slug, "swk_nope") } });
    expect(wrong).toMatchObject({ status: 401, body: { error_code: "UNAUTHENTICATED" } });
  });

  it("answers 401 UNAUTHENTICATED and 403 PERMISSION_DENIED in MLflow's body, and hides other tenants' runs", async () => {
    expect(await getRun(null)).toMatchObject({
      status: 401,
      body: { error_code: "UNAUTHENTICATED", message: expect.any(String) },
    });
    expect(await getRun(null, { key: "swk_unknown" })).toMatchObject({
      status: 401,
      body: { error_code: "UNAUTHENTICATED" },
    });
    const other = await newTenant();
    expect(await getRun(me, { prefix: `/t/${other.slug}` })).toMatchObject({
      status: 403,
      body: { error_code: "PERMISSION_DENIED" },
    });
    expect(await getRun(me, { headers: { "x-tenant-id": "no-such-tenant" } })).toMatchObject({ status: 403 });
    expect(await getRun(other)).toMatchObject({ status: 404, body: { error_code: "RESOURCE_DOES_NOT_EXIST" } });
  });
});

describe("MLflow error paths: always a 4xx with {error_code, message}", () => {
  const cases: [string, string, string, Parameters<typeof ml>[3], number, string][] = [
    ["missing run_id", "GET", "runs/get", { query: {} }, 400, "INVALID_PARAMETER_VALUE"],
    ["unknown run", "GET", "runs/get", { query: { run_id: "0".repeat(32) } }, 404, "RESOURCE_DOES_NOT_EXIST"],
    ["malformed run id", "GET", "runs/get", { query: { run_id: "not-a-run" } }, 404, "RESOURCE_DOES_NOT_EXIST"],
    [
      "unknown experiment",
      "GET",
      "experiments/get",
      { query: { experiment_id: "999999" } },
      404,
      "RESOURCE_DOES_NOT_EXIST",
    ],
    [
      "non-numeric experiment id",
      "GET",
      "experiments/get",
      { query: { experiment_id: "abc" } },
      404,
      "RESOURCE_DOES_NOT_EXIST",
    ],
    ["missing experiment name", "GET", "experiments/get-by-name", { query: {} }, 400, "INVALID_PARAMETER_VALUE"],
    [
      "missing experiment",
      "GET",
      "experiments/get-by-name",
      { query: { experiment_name: "nope" } },
      404,
      "RESOURCE_DOES_NOT_EXIST",
    ],
    [
      "delete a missing experiment",
      "POST",
      "experiments/delete",
      { body: { experiment_id: "424242" } },
      404,
      "RESOURCE_DOES_NOT_EXIST",
    ],
    ["an experiment without a name", "POST", "experiments/create", { body: {} }, 400, "INVALID_PARAMETER_VALUE"],
    [
      "a local artifact_location",
      "POST",
      "experiments/create",
      { body: { name: "x", artifact_location: "/tmp/x" } },
      400,
      "INVALID_PARAMETER_VALUE",
    ],
    [
      "a bad metric key",
      "POST",
      "runs/log-metric",
      { body: { run_id: "RID", key: "bad key!", value: 1, timestamp: 1 } },
      400,
      "INVALID_PARAMETER_VALUE",
    ],
    [
      "a metric key of 300 chars",
      "POST",
      "runs/log-metric",
      { body: { run_id: "RID", key: "k".repeat(300), value: 1, timestamp: 1 } },
      400,
      "INVALID_PARAMETER_VALUE",
    ],
    [
      "a metric without value",
      "POST",
      "runs/log-metric",
      { body: { run_id: "RID", key: "k", timestamp: 1 } },
      400,
      "INVALID_PARAMETER_VALUE",
    ],
    [
      "a param value that is a number",
      "POST",
      "runs/log-parameter",
      { body: { run_id: "RID", key: "k", value: 0.01 } },
      400,
      "INVALID_PARAMETER_VALUE",
    ],
    ["a body that is not JSON", "POST", "runs/log-batch", { body: "{nope" }, 400, "INVALID_PARAMETER_VALUE"],
    ["a body that is not an object", "POST", "runs/log-batch", { body: "[1]" }, 400, "INVALID_PARAMETER_VALUE"],
    [
      "a bad page token",
      "GET",
      "metrics/get-history",
      { query: { run_id: "RID", metric_key: "m", page_token: "garbage!" } },
      400,
      "INVALID_PARAMETER_VALUE",
    ],
    [
      "a history without metric_key",
      "GET",
      "metrics/get-history",
      { query: { run_id: "RID" } },
      400,
      "INVALID_PARAMETER_VALUE",
    ],
    [
      "max_results of 0",
      "GET",
      "metrics/get-history",
      { query: { run_id: "RID", metric_key: "m", max_results: 0 } },
      400,
      "INVALID_PARAMETER_VALUE",
    ],
    [
      "an artifact path with ..",
      "GET",
      "/api/2.0/mlflow-artifacts/artifacts?path=0/RID/artifacts/../x",
      {},
      400,
      "INVALID_PARAMETER_VALUE",
    ],
    [
      "an artifact path of another shape",
      "GET",
      "/api/2.0/mlflow-artifacts/artifacts/x/y",
      {},
      404,
      "RESOURCE_DOES_NOT_EXIST",
    ],
    [
      "a missing artifact",
      "GET",
      "/api/2.0/mlflow-artifacts/artifacts/0/RID/artifacts/none.txt",
      {},
      404,
      "RESOURCE_DOES_NOT_EXIST",
    ],
    ["the model registry", "POST", "registered-models/create", { body: { name: "m" } }, 404, "ENDPOINT_NOT_FOUND"],
    ["traces", "GET", "/api/2.0/mlflow/traces", {}, 404, "ENDPOINT_NOT_FOUND"],
    ["a wrong method", "GET", "runs/create", {}, 404, "ENDPOINT_NOT_FOUND"],
  ];
  /** The cases' "RID" placeholders replaced by this test's run. */
  const withRun = <T>(value: T): T => JSON.parse(JSON.stringify(value ?? null).replaceAll("RID", rid)) ?? undefined;
  it.each(cases)("%s", async (_, method, path, options, status, code) => {
    const res = await ml(me, method, withRun(path), withRun(options));
    expect(res.status).toBe(status);
    expect(res.body).toEqual({ error_code: code, message: expect.any(String) });
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
  });

  it("answers a duplicate experiment name RESOURCE_ALREADY_EXISTS, a body over the limit 413, and /health OK", async () => {
    await ml(me, "POST", "experiments/create", { body: { name: "dup" } });
    expect(await ml(me, "POST", "experiments/create", { body: { name: "dup" } })).toMatchObject({
      status: 400,
      body: { error_code: "RESOURCE_ALREADY_EXISTS" },
    });
    const big = await ml(me, "POST", "runs/log-batch", {
      body: { run_id: rid, tags: [{ key: "k", value: "x".repeat(2 * 1024 * 1024) }] },
    });
    expect(big).toMatchObject({ status: 413, body: { error_code: "RESOURCE_EXHAUSTED" } });
    const health = await app.request("/health");
    expect([health.status, await health.text()]).toEqual([200, "OK"]);
    expect(await ml(me, "POST", "logged-models/search", { body: { experiment_ids: ["0"] } })).toMatchObject({
      status: 200,
      body: {},
    });
  });
});

describe("the MLflow routes documented in the OpenAPI document", () => {
  it.each(MLFLOW_ROUTES)(
    "%s %s is served at the root and per tenant, for the API and the ajax-api",
    async (method, path) => {
      const concrete = path.replace("{path}", "0/x/artifacts/f.txt");
      for (const base of ["/api/2.0", "/ajax-api/2.0", `/t/${me.slug}/api/2.0`, `/t/${me.slug}/ajax-api/2.0`]) {
        const res = await app.request(`${base}${concrete}`, { method: method.toUpperCase() });
        // Routed: the key check answers (an unknown route would be 404 ENDPOINT_NOT_FOUND without one).
        expect([res.status, (await res.json()).error_code], `${method} ${base}${concrete}`).toEqual([
          401,
          "UNAUTHENTICATED",
        ]);
      }
    },
  );
});
