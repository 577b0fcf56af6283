import type { TestTenant } from "@stepwise/core/testing";
import { beforeEach, describe, expect, it } from "vitest";
import { testApp } from "../testing/app";

// A number or boolean given as a string is a 400 on both transports; only query parameters, which are strings
// on REST, are coerced, by the REST routes (rest/dispatch.ts). Checks also run after a REST call, so that
// nothing a REST call does leaks into the shared input schemas.
const { app, rest, caller, newTenant } = await testApp();
let admin: TestTenant;
beforeEach(async () => {
  admin = await newTenant({ admin: true });
});

const keyCount = async () => (await rest(admin, "GET", "/admin/api-keys")).body.api_keys.length;

/** A tRPC call over real HTTP, as @trpc/client sends it. */
async function trpcHttp(procedure: string, input: unknown, method: "GET" | "POST" = "GET") {
  const body = method === "POST" ? JSON.stringify(input) : undefined;
  const query = method === "GET" ? `?input=${encodeURIComponent(JSON.stringify(input))}` : "";
  const headers = { ...admin.headers, ...(body ? { "content-type": "application/json" } : {}) };
  const res = await app.request(`/trpc/${procedure}${query}`, { method, headers, body });
  return { status: res.status, body: await res.json() };
}

describe("a boolean given as a string", () => {
  it('POST /admin/api-keys {admin: "false"} is a 400 on REST, tRPC and tRPC over HTTP, and writes no key', async () => {
    const before = await keyCount();
    const body = { name: "k", tenants: [admin.slug], admin: "false" };
    for (let round = 0; round < 2; round++) {
      const res = await rest(admin, "POST", "/admin/api-keys", { body });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe("BAD_REQUEST");
      expect(JSON.stringify(res.body.issues)).toContain("admin");
      await expect(caller(admin).admin.createApiKey(body as never)).rejects.toMatchObject({ code: "BAD_REQUEST" });
      expect((await trpcHttp("admin.createApiKey", body, "POST")).status).toBe(400);
    }
    expect(await keyCount()).toBe(before);
  });

  it("a real boolean still works on both transports", async () => {
    const body = { name: "k", tenants: [admin.slug], admin: false };
    expect((await rest(admin, "POST", "/admin/api-keys", { body })).status).toBe(201);
    expect((await caller(admin).admin.createApiKey(body)).admin).toBe(false);
  });
});

describe("limit given as a string", () => {
  it("GET /experiments?limit=5 is coerced on REST (a query string is all strings)", async () => {
    const res = await rest(admin, "GET", "/experiments?limit=5&offset=2");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ limit: 5, offset: 2 });
  });

  it('experiments.list({limit: "5"}) is a BAD_REQUEST over tRPC, also right after a REST call', async () => {
    expect((await rest(admin, "GET", "/experiments?limit=5")).status).toBe(200);
    await expect(caller(admin).experiments.list({ limit: "5" } as never)).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(caller(admin).experiments.list({ offset: "0" } as never)).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    const res = await trpcHttp("experiments.list", { limit: "5" });
    expect(res.status).toBe(400);
    expect(res.body.error.data.code).toBe("BAD_REQUEST");
    // ...while numbers work, and REST keeps coercing after the tRPC calls.
    expect((await caller(admin).experiments.list({ limit: 5 })).limit).toBe(5);
    expect((await trpcHttp("experiments.list", { limit: 5 })).status).toBe(200);
    expect((await rest(admin, "GET", "/experiments?limit=7")).body.limit).toBe(7);
  });

  it("REST still rejects a limit that is not a number", async () => {
    for (const query of ["limit=abc", "limit=true", "limit=5.5", "limit=0x"]) {
      expect((await rest(admin, "GET", `/experiments?${query}`)).status).toBe(400);
    }
  });
});

describe("step given as a string", () => {
  it('log-metrics {step: "5"} is a 400 on REST and tRPC', async () => {
    const e = (await rest(admin, "POST", "/experiments", { body: { name: "e" } })).body;
    const run = (await rest(admin, "POST", "/experiments/runs", { body: { experiment_id: e.id } })).body;
    const body = { metrics: { loss: 1 }, step: "5" };
    expect((await rest(admin, "POST", `/experiments/runs/${run.id}/log-metrics`, { body })).status).toBe(400);
    await expect(caller(admin).runs.logMetrics({ id: run.id, ...body } as never)).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    expect((await rest(admin, "GET", `/experiments/runs/${run.id}`)).body.metrics).toEqual({});
  });
});
