import { createApiKey, createExperiment, createRun, type Database, deleteRun, logBatch } from "@stepwise/core";
import type { TestTenant } from "@stepwise/core/testing";
import { type RestRoute, restRoutes } from "../rest/routes";
import { appRouter } from "../routers";
import { TEST_ARTIFACTS } from "./app";

/**
 * A request that succeeds, for every procedure, built from its route: the route matrices (REST and tRPC) and
 * the idempotency walk send it. A procedure that needs more input than its path ID to succeed gets one line
 * in INPUTS (the matrices' success tests fail until it has it).
 */
export const ROUTES = restRoutes(appRouter);

/** The resources a request may name: a fresh experiment with two runs, a key, the tenant's slug. */
export interface Ids {
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
  "runs.search": (ids) => ({ body: { experiment_ids: [ids.experiment], filter: "status = 'RUNNING'" } }),
  "runs.create": (ids) => ({ body: { experiment_id: ids.experiment } }),
  "runs.list": (ids) => ({ query: { experiment_id: ids.experiment } }),
  "runs.metricHistories": (ids) => ({ body: { run_ids: [ids.run, ids.run2], keys: ["loss"] } }),
  "runs.compare": (ids) => ({ body: { run_ids: [ids.run, ids.run2] } }),
  "runs.logMetrics": () => ({ body: { metrics: { loss: 0.5 }, step: 1 } }),
  "runs.logParams": () => ({ body: { params: { lr: "0.1" } } }),
  "runs.logBatch": () => ({ body: { metrics: [{ key: "loss", value: 1 }], tags: [{ key: "t", value: "v" }] } }),
  "runs.metricHistory": () => ({ query: { key: "loss" } }),
  "admin.createTenant": () => ({ body: { slug: unique("t") } }),
  "admin.createApiKey": (ids) => ({ body: { name: "matrix", tenants: [ids.slug] } }),
};
/** The tag key of `{key}` paths. */
const TAG = "t";
/** State a procedure needs before it can succeed on freshly seeded IDs (restore takes a deleted run). */
const PREPARE: Record<string, (db: Database, tenantId: string, ids: Ids) => Promise<unknown>> = {
  "runs.restore": (db, tenantId, ids) => deleteRun(db, tenantId, ids.run),
  "runs.deleteTag": (db, tenantId, ids) => logBatch(db, tenantId, { id: ids.run, tags: [{ key: TAG, value: "v" }] }),
};
/** Brings freshly seeded IDs into the state the route's success needs. */
export const prepare = (db: Database, route: RestRoute, tenantId: string, ids: Ids) =>
  PREPARE[route.procedurePath]?.(db, tenantId, ids);
/** Which resource a path `{id}` names, by the segment before it. */
const ID_KIND: Record<string, "experiment" | "run" | "apiKey"> = {
  experiments: "experiment",
  runs: "run",
  "api-keys": "apiKey",
};

export interface Req {
  method: string;
  path: string;
  body?: unknown;
}

/** The route's path with its `{id}` filled in. */
function fillPath(path: string, ids: Ids) {
  const filled = path
    .replace(/([\w-]+)\/\{id\}/, (_, segment: string) => {
      const kind = ID_KIND[segment];
      if (!kind) throw new Error(`route-requests: no ID kind for ${path}; add it to ID_KIND`);
      return `${segment}/${ids[kind]}`;
    })
    .replace("{key}", TAG);
  if (filled.includes("{")) throw new Error(`route-requests: unfilled path parameter in ${path}`);
  return filled;
}

/** The REST request (under /api/v1) of a route. */
export function restRequest(route: RestRoute, ids: Ids): Req {
  const path = fillPath(route.path, ids);
  const { query, body } = INPUTS[route.procedurePath]?.(ids) ?? {};
  return { method: route.method, path: query ? `${path}?${new URLSearchParams(query)}` : path, body };
}

/** The same request as a tRPC procedure's input: path parameters, query and body in one object. */
export function procedureInput(route: RestRoute, ids: Ids): unknown {
  if (!route.shape) return undefined;
  const { query, body } = INPUTS[route.procedurePath]?.(ids) ?? {};
  const segment = route.path.match(/([\w-]+)\/\{id\}/)?.[1];
  const kind = segment ? ID_KIND[segment] : undefined;
  const key = route.path.includes("{key}") ? { key: TAG } : {};
  return { ...query, ...(body as object), ...(kind ? { id: ids[kind] } : {}), ...key };
}

/** Whether the request names a tenant-owned resource (in its path, query or body). */
export const namesResource = (req: unknown, ids: Ids) =>
  [ids.experiment, ids.run, ids.run2].some((id) => JSON.stringify(req).includes(id));

/** A fresh experiment with two runs in the tenant, and a fresh key of its own (to revoke). */
export async function seed(db: Database, t: TestTenant): Promise<Ids> {
  const e = await createExperiment(db, t.id, { name: unique("seed") }, TEST_ARTIFACTS);
  const r = await createRun(db, t.id, { experiment_id: e.id });
  const r2 = await createRun(db, t.id, { experiment_id: e.id });
  const k = await createApiKey(db, { name: "to revoke", tenants: [t.slug], admin: false });
  return { experiment: e.id, run: r.id, run2: r2.id, apiKey: k.id, slug: t.slug };
}

export const MISSING = "0190f0e0-0000-7000-8000-000000000000";
export const missingIds: Ids = {
  experiment: MISSING,
  run: MISSING,
  run2: "0190f0e0-0000-7000-8000-000000000001",
  apiKey: MISSING,
  slug: "no-such-tenant",
};
