import { type ArtifactSettings, type DatabaseHandle, LIMITS } from "@stepwise/core";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { Hono } from "hono";
import type { Logger } from "pino";
import { artifactOpenApiPaths } from "./artifacts/openapi-paths";
import { artifactRoutes } from "./artifacts/routes";
import { docsPage } from "./docs-page";
import type { DrainGate } from "./http/draining";
import { describeError, errorAnswer, errorResponse } from "./http/errors";
import { type HeavyRequestLimit, heavyRequests } from "./http/heavy-requests";
import { createMetrics, type Metrics, metricsEndpoint } from "./http/metrics";
import { type RateLimit, rateLimit } from "./http/rate-limit";
import { type Readiness, readiness } from "./http/readiness";
import { requestLog } from "./http/request-log";
import { securityHeaders } from "./http/security-headers";
import { serveWebApp, type WebApp } from "./http/web-app";
import { mlflowRoutes } from "./mlflow";
import { mlflowOpenApiPaths } from "./mlflow/openapi";
import { restApi } from "./rest/dispatch";
import { limitBody } from "./rest/json-body";
import { buildOpenApiDocument } from "./rest/openapi-document";
import { appRouter } from "./routers";
import { contextFactory } from "./trpc/context";
import type { Meta } from "./trpc/init";

export interface AppDeps {
  database: Pick<DatabaseHandle, "db" | "ping" | "isMigrated" | "pool">;
  artifacts: ArtifactSettings;
  maxBodyBytes: number;
  maxArtifactBytes: number;
  logger: Logger;
  /** Per API key; off when left out. */
  rateLimit?: RateLimit;
  /** Large batches, history and compare served at once (`meta.heavy`); unbounded when left out. */
  heavyRequests?: HeavyRequestLimit;
  /** Refuses new requests once the process is shutting down (see index.ts). */
  drainGate?: DrainGate;
  /** GET /readyz (see http/readiness.ts); index.ts holds it to answer 503 from SIGTERM on. */
  readiness?: Readiness;
  /** The bearer token of GET /metrics; unset, the endpoint is off. */
  metricsToken?: string;
  metrics?: Metrics;
  /** The web app's production build, served at / with index.html for its client routes. */
  webApp?: WebApp;
}

const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { meta?: Meta } }>;

/** The Hono app: tRPC at /trpc, the same procedures as REST under /api/v1, docs and health. Reads no env. */
export function createApp(deps: AppDeps) {
  const metrics = deps.metrics ?? createMetrics();
  metrics.dbPool(deps.database.pool);
  const createContext = contextFactory({ db: deps.database.db, artifacts: deps.artifacts, metrics });
  const openApiDocument = buildOpenApiDocument(appRouter, { ...artifactOpenApiPaths, ...mlflowOpenApiPaths });
  const limit = rateLimit(deps.rateLimit ?? { perSecond: 0, burst: 0 });
  const heavy = heavyRequests(deps.heavyRequests ?? { concurrent: 0, queue: 0 });

  const app = new Hono();
  app.use("*", requestLog(deps.logger, metrics, Object.keys(procedures)));
  app.use("*", securityHeaders());
  if (deps.drainGate) app.use("*", deps.drainGate.middleware);
  app.get("/metrics", metricsEndpoint(metrics, deps.metricsToken));
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", (deps.readiness ?? readiness(deps.database)).handler);
  app.route("/docs", docsPage("/api/v1/openapi.json"));
  app.get("/api/v1/openapi.json", (c) => c.json(openApiDocument));

  // MLflow's REST API 2.0 (apps/api/src/mlflow): the same rate limit; a large body (log-batch) is heavy.
  app.route("/", mlflowRoutes({ ...deps, db: deps.database.db, middleware: [limit, heavy(() => "large-body")] }));

  // tRPC: a call's heaviness is its procedures' (`/trpc/a,b` names several).
  const trpcHeaviness = (path: string) =>
    path
      .slice("/trpc/".length)
      .split(",")
      .map((name) => procedures[name]?._def.meta?.heavy)
      .find(Boolean);
  app.use(
    "/trpc/*",
    limit,
    heavy((c) => trpcHeaviness(c.req.path)),
    limitBody(deps.maxBodyBytes),
  );
  app.all("/trpc/*", (c) =>
    fetchRequestHandler({
      endpoint: "/trpc",
      req: c.req.raw,
      router: appRouter,
      createContext: ({ req }) => createContext({ req }),
      maxBatchSize: LIMITS.callsPerTrpcBatch,
      responseMeta: ({ errors }) => ({ headers: Object.assign({}, ...errors.map((e) => describeError(e).headers)) }),
      onError: ({ error, path }) => {
        const { log } = describeError(error);
        if (log) deps.logger[log.level]({ err: log.err, path }, log.message);
      },
    }),
  );

  const { db } = deps.database;
  const { artifacts, maxArtifactBytes, maxBodyBytes, logger } = deps;
  app.route("/api/v1", artifactRoutes({ db, artifacts, metrics, maxArtifactBytes, limits: [limit] }));
  app.route("/api/v1", restApi({ router: appRouter, db, createContext, logger, maxBodyBytes, limits: [limit], heavy }));

  if (deps.webApp) serveWebApp(app, deps.webApp);

  app.notFound((c) => errorResponse(c, 404, "NOT_FOUND", `No route for ${c.req.method} ${c.req.path}`));
  app.onError((error, c) => errorAnswer(c, error, deps.logger));
  return app;
}

export type App = ReturnType<typeof createApp>;
