import { existsSync } from "node:fs";
import { join } from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import { type ArtifactSettings, type DatabaseHandle, DomainError } from "@stepwise/core";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { Hono } from "hono";
import type { Logger } from "pino";
import { artifactOpenApiPaths } from "./artifacts/openapi-paths";
import { artifactRoutes } from "./artifacts/routes";
import { docsPage } from "./docs-page";
import type { DrainGate } from "./http/draining";
import { errorAnswer, errorResponse } from "./http/errors";
import { type HeavyRequestLimit, heavyRequests } from "./http/heavy-requests";
import { createMetrics, type Metrics, metricsEndpoint } from "./http/metrics";
import { type RateLimit, rateLimit } from "./http/rate-limit";
import { requestLog } from "./http/request-log";
import { routeTemplates } from "./http/route-template";
import { mlflowRoutes } from "./mlflow";
import { mlflowOpenApiPaths } from "./mlflow/openapi";
import { accessCheck } from "./rest/access-check";
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
  /** Refuses new requests once the process is shutting down (see index.ts). */
  drainGate?: DrainGate;
  /** The bearer token of GET /metrics; unset, the endpoint is off. */
  metricsToken?: string;
  metrics?: Metrics;
  /** The web app's production build (apps/web/dist), served at / with index.html for its client routes. */
  webApp?: { dir: string; config: { embedded: boolean; keyFile: string | null } };
}

const READY_TIMEOUT_MS = 2000;

/** The Hono app: tRPC at /trpc, the same procedures as REST under /api/v1, docs and health. Reads no env. */
export function createApp(deps: AppDeps) {
  const metrics = deps.metrics ?? createMetrics();
  metrics.dbPool(deps.database.pool);
  const createContext = contextFactory({ db: deps.database.db, artifacts: deps.artifacts, metrics });
  const successStatus = new Map(openApiRoutes(appRouter).map((r) => [r.procedurePath, r.successStatus]));
  const openApiDocument = buildOpenApiDocument(appRouter, { ...artifactOpenApiPaths, ...mlflowOpenApiPaths });

  const responseMeta = ({
    paths,
    errors,
  }: {
    paths?: readonly string[];
    errors: readonly { code: string; cause?: unknown }[];
  }) => {
    if (errors.some((e) => e.code === "UNAUTHORIZED")) return { headers: { "WWW-Authenticate": "Bearer" } };
    if (errors.some((e) => e.code === "SERVICE_UNAVAILABLE"))
      return { headers: { "Retry-After": String(RETRY_AFTER_SECONDS) } };
    // A conflict that clears by itself (an Idempotency-Key still running) says when to retry.
    const retryAfter = errors.map((e) => e.cause).find((c) => c instanceof DomainError)?.retryAfterSeconds;
    if (retryAfter !== undefined) return { headers: { "Retry-After": String(retryAfter) } };
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
      ...Object.entries(artifactOpenApiPaths).flatMap(([path, item]) =>
        Object.keys(item ?? {}).map((method) => ({ method, path })),
      ),
    ].map((r) => ({ method: r.method, path: `/api/v1${r.path}` })),
    Object.keys(appRouter._def.procedures),
  );

  const app = new Hono();
  app.use("*", requestLog(deps.logger, metrics, routeOf));
  if (deps.drainGate) app.use("*", deps.drainGate.middleware);
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
  app.route("/", mlflowRoutes({ ...deps, db: deps.database.db, middleware: limits }));
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
    }),
  );
  app.use(
    "/api/v1/*",
    limitBody(deps.maxBodyBytes),
    parseJsonBody(accessCheck(deps.database.db, deps.logger, "/api/v1")),
  );
  app.all("/api/v1/*", (c) => rest(c.req.raw, c.get("jsonBody")));

  if (deps.webApp) serveWebApp(app, deps.webApp);

  app.notFound((c) => errorResponse(c, 404, "NOT_FOUND", `No route for ${c.req.method} ${c.req.path}`));
  app.onError((error, c) => errorAnswer(c, error, deps.logger));
  return app;
}

export type App = ReturnType<typeof createApp>;

/** Paths the web app never answers, whatever follows them: the API's, the docs, health and metrics. */
const SERVER_PATHS = /^\/(api|trpc|docs|healthz|readyz|metrics)(\/|$)/;
const NOT_BUILT =
  "<!doctype html><title>Stepwise</title><h1>The web app is not built</h1><p>Run <code>pnpm --filter @stepwise/web build</code> (<code>pnpm start</code> does it too), then reload. The API docs are at <a href=/docs>/docs</a>.</p>";

/** Its config for the sign-in page, its files (hashed assets cached for good), and index.html for any other GET. */
function serveWebApp(app: Hono, { dir, config }: NonNullable<AppDeps["webApp"]>) {
  const index = join(dir, "index.html");
  const cache = (path: string) => (path.includes("/assets/") ? "public, max-age=31536000, immutable" : "no-cache");
  const files = serveStatic({
    rewriteRequestPath: (path) => join(dir, path),
    onFound: (path, c) => c.header("Cache-Control", cache(path)),
  });
  const page = serveStatic({ path: index, onFound: (_, c) => c.header("Cache-Control", "no-cache") });
  app.get("/app/config.json", (c) => c.json(config));
  app.get("*", (c, next) => (SERVER_PATHS.test(c.req.path) ? next() : files(c, next)));
  app.get("*", async (c, next) => {
    if (SERVER_PATHS.test(c.req.path) || c.req.path.startsWith("/assets/")) return next();
    if (!existsSync(index)) return c.html(NOT_BUILT, 503);
    return page(c, next);
  });
}
