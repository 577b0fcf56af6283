import { type ArtifactSettings, type DatabaseHandle, isDatabaseUnavailable } from "@stepwise/core";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { Hono } from "hono";
import type { Logger } from "pino";
import { artifactOpenApiPaths } from "./artifacts/openapi-paths";
import { artifactRoutes } from "./artifacts/routes";
import { docsPage } from "./docs-page";
import { errorResponse, internalErrorResponse, unavailableResponse } from "./http/errors";
import { type HeavyRequestLimit, heavyRequests } from "./http/heavy-requests";
import { createMetrics, type Metrics, metricsEndpoint } from "./http/metrics";
import { type RateLimit, rateLimit } from "./http/rate-limit";
import { requestLog } from "./http/request-log";
import { routeTemplates } from "./http/route-template";
import { limitBody, parseJsonBody } from "./rest/json-body";
import { buildOpenApiDocument, openApiRoutes } from "./rest/openapi-document";
import { createRestHandler } from "./rest/openapi-handler";
import { appRouter } from "./routers";
import { contextFactory } from "./trpc/context";
import { RETRY_AFTER_SECONDS } from "./trpc/errors";

export interface AppDeps {
  database: Pick<DatabaseHandle, "db" | "ping" | "pool">;
  artifacts: ArtifactSettings;
  maxBodyBytes: number;
  maxArtifactBytes: number;
  logger: Logger;
  /** Per API key; off when left out. */
  rateLimit?: RateLimit;
  /** Large batches, history and compare served at once; unbounded when left out. */
  heavyRequests?: HeavyRequestLimit;
  /** The bearer token of GET /metrics; unset, the endpoint is off. */
  metricsToken?: string;
  metrics?: Metrics;
}

const READY_TIMEOUT_MS = 2000;

/** The Hono app: tRPC at /trpc, the same procedures as REST under /api/v1, docs and health. Reads no env. */
export function createApp(deps: AppDeps) {
  const metrics = deps.metrics ?? createMetrics();
  metrics.dbPool(deps.database.pool);
  const createContext = contextFactory({ db: deps.database.db, artifacts: deps.artifacts, metrics });
  const successStatus = new Map(openApiRoutes(appRouter).map((r) => [r.procedurePath, r.successStatus]));
  const openApiDocument = buildOpenApiDocument(appRouter, artifactOpenApiPaths);

  const responseMeta = ({ paths, errors }: { paths?: readonly string[]; errors: readonly { code: string }[] }) => {
    if (errors.some((e) => e.code === "UNAUTHORIZED")) return { headers: { "WWW-Authenticate": "Bearer" } };
    if (errors.some((e) => e.code === "SERVICE_UNAVAILABLE"))
      return { headers: { "Retry-After": String(RETRY_AFTER_SECONDS) } };
    if (errors.length) return {};
    return { status: paths?.[0] ? successStatus.get(paths[0]) : undefined };
  };
  const onError = ({ error, path }: { error: { code: string; cause?: unknown }; path?: string }) => {
    if (error.code === "INTERNAL_SERVER_ERROR")
      deps.logger.error({ err: error.cause ?? error, path }, "request failed");
    if (error.code === "SERVICE_UNAVAILABLE")
      deps.logger.warn({ err: error.cause ?? error, path }, "database unreachable");
  };
  const rest = createRestHandler({
    prefix: "/api/v1",
    router: appRouter,
    createContext,
    responseMeta,
    onError,
  });

  const routeOf = routeTemplates(
    [
      ...openApiRoutes(appRouter),
      { method: "POST", path: "/experiments/runs/{id}/log-artifact" },
      { method: "GET", path: "/experiments/runs/{id}/artifacts/download" },
    ].map((r) => ({ method: r.method, path: `/api/v1${r.path}` })),
    Object.keys(appRouter._def.procedures),
  );

  const app = new Hono();
  app.use("*", requestLog(deps.logger, metrics, routeOf));
  app.get("/metrics", metricsEndpoint(metrics, deps.metricsToken));
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", async (c) => {
    try {
      await Promise.race([
        deps.database.ping(),
        new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), READY_TIMEOUT_MS).unref()),
      ]);
      return c.json({ status: "ready" });
    } catch {
      c.header("Retry-After", String(RETRY_AFTER_SECONDS));
      return errorResponse(c, 503, "SERVICE_UNAVAILABLE", "The database does not answer");
    }
  });
  app.route("/docs", docsPage("/api/v1/openapi.json"));
  app.get("/api/v1/openapi.json", (c) => c.json(openApiDocument));

  const limits = [
    rateLimit(deps.rateLimit ?? { perSecond: 0, burst: 0 }),
    heavyRequests(deps.heavyRequests ?? { concurrent: 0, queue: 0 }),
  ];
  app.use("/trpc/*", ...limits);
  app.use("/api/v1/*", ...limits);
  app.use("/trpc/*", limitBody(deps.maxBodyBytes));
  app.all("/trpc/*", (c) =>
    fetchRequestHandler({
      endpoint: "/trpc",
      req: c.req.raw,
      router: appRouter,
      createContext: ({ req }) => createContext({ req }),
      responseMeta: ({ paths, errors }) => (errors.length ? responseMeta({ paths, errors }) : {}),
      onError,
    }),
  );

  // Before the JSON body middleware: uploads stream their multipart body under their own limit.
  app.route(
    "/api/v1",
    artifactRoutes({
      db: deps.database.db,
      artifacts: deps.artifacts,
      metrics,
      maxArtifactBytes: deps.maxArtifactBytes,
      logger: deps.logger,
    }),
  );
  app.use("/api/v1/*", limitBody(deps.maxBodyBytes), parseJsonBody);
  app.all("/api/v1/*", (c) => rest(c.req.raw, c.get("jsonBody")));

  app.notFound((c) => errorResponse(c, 404, "NOT_FOUND", `No route for ${c.req.method} ${c.req.path}`));
  app.onError((error, c) => {
    if (isDatabaseUnavailable(error)) {
      deps.logger.warn({ err: error }, "database unreachable");
      return unavailableResponse(c);
    }
    deps.logger.error({ err: error }, "unhandled error");
    return internalErrorResponse(c);
  });
  return app;
}

export type App = ReturnType<typeof createApp>;
