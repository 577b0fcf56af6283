import { createTestTenant, testDatabase } from "@stepwise/core/testing";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createMetrics } from "../http/metrics";
import { adminRouter } from "../routers/admin/router";
import { experimentsRouter } from "../routers/experiments/router";
import { runsRouter } from "../routers/runs/router";
import { TEST_ARTIFACTS } from "../testing/app";
import { contextFactory } from "../trpc/context";
import { t } from "../trpc/init";
import { tenantProcedure } from "../trpc/procedures";
import { restApi } from "./dispatch";
import { restRoutes } from "./routes";

// The REST routes built from procedures (rest/dispatch.ts), over routers of this file's own making.
const database = await testDatabase();
const createContext = contextFactory({ db: database.db, artifacts: TEST_ARTIFACTS, metrics: createMetrics() });
const serve = (router: Parameters<typeof restApi>[0]["router"]) =>
  restApi({
    router,
    db: database.db,
    createContext,
    logger: pino({ level: "silent" }),
    maxBodyBytes: 1024 * 1024,
    limits: [],
    heavy: () => (_, next) => next(),
  });

describe("paths with a literal segment where another has a parameter", () => {
  it.each([
    ["runs first", { runs: runsRouter, experiments: experimentsRouter, admin: adminRouter }],
    ["experiments first", { experiments: experimentsRouter, runs: runsRouter, admin: adminRouter }],
  ])("route /experiments/runs and /experiments/{id} right with %s in the router", async (_, routers) => {
    const app = serve(t.router(routers));
    const me = await createTestTenant(database.db);
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await app.request(path, {
        method,
        headers: { ...me.headers, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    };
    const e = (await call("POST", "/experiments", { name: "e" })).body;
    const run = (await call("POST", "/experiments/runs", { experiment_id: e.id })).body;
    expect(run).toMatchObject({ experiment_id: e.id, status: "RUNNING" });
    const list = await call("GET", `/experiments/runs?experiment_id=${e.id}`);
    expect(list.body).toMatchObject({ runs: [{ id: run.id }], total: 1 });
    expect((await call("GET", `/experiments/${e.id}`)).body).toMatchObject({ id: e.id, name: "e" });
    expect((await call("GET", `/experiments/runs/${run.id}`)).body).toMatchObject({ id: run.id });
    // Without experiment_id it is the list's own 400, not "id must be a UUID" for the id "runs".
    const missing = await call("GET", "/experiments/runs");
    expect(missing.status).toBe(400);
    expect(missing.body.issues.map((i: { path: string[] }) => i.path.join("."))).toEqual(["experiment_id"]);
  });

  it("orders the routes literal-first, segment by segment", () => {
    const paths = restRoutes(t.router({ experiments: experimentsRouter, runs: runsRouter }))
      .filter((r) => r.method === "GET")
      .map((r) => r.path);
    expect(paths.indexOf("/experiments/runs")).toBeLessThan(paths.indexOf("/experiments/{id}"));
  });
});

describe("query strings", () => {
  const probe = tenantProcedure
    .meta({ openapi: { method: "GET", path: "/probe/{id}" } })
    .input(
      z.object({
        id: z.string(),
        n: z.number().int().optional(),
        flag: z.boolean().default(false),
        s: z.string().optional(),
      }),
    )
    .output(z.unknown())
    .query(({ input }) => input);
  const app = serve(t.router({ probe }));
  const get = async (path: string) => {
    const me = await createTestTenant(database.db);
    const res = await app.request(path, { headers: me.headers });
    return { status: res.status, body: await res.json() };
  };

  it("turns numbers and booleans into their types, from the schema's field types, and leaves strings alone", async () => {
    expect((await get("/probe/x%20y?n=5&flag=true&s=007")).body).toEqual({ id: "x y", n: 5, flag: true, s: "007" });
    expect((await get("/probe/x?flag=false")).body).toEqual({ id: "x", flag: false });
  });

  it("refuses what does not read as the field's type, and a parameter given twice", async () => {
    for (const query of ["n=abc", "n=5.5", "flag=yes", "flag=1"]) {
      const res = await get(`/probe/x?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body).toMatchObject({ code: "BAD_REQUEST", issues: [{ path: [query.split("=")[0]] }] });
    }
    const twice = await get("/probe/x?s=a&s=b");
    expect(twice.status).toBe(400);
    expect(twice.body).toMatchObject({
      code: "BAD_REQUEST",
      issues: [{ path: ["s"], message: "give s once, not 2 times" }],
    });
  });
});
