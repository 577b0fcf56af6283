import type { ArtifactSettings, DatabaseHandle } from "@stepwise/core";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { Hono } from "hono";
import type { Logger } from "pino";
import { artifactOpenApiPaths } from "./artifacts/openapi-paths";
import { artifactRoutes } from "./artifacts/routes";
import { docsPage } from "./docs-page";
import { errorResponse } from "./http/errors";
import { limitBody, parseJsonBody } from "./rest/json-body";
import { buildOpenApiDocument, openApiRoutes } from "./rest/openapi-document";
import { createRestHandler } from "./rest/openapi-handler";
import { appRouter } from "./routers";
import { contextFactory } from "./trpc/context";

export interface AppDeps {
  database: Pick<DatabaseHandle, "db" | "ping">;
  artifacts: ArtifactSettings;
  maxBodyBytes: number;
  maxArtifactBytes: number;
  logger: Logger;
}

const READY_TIMEOUT_MS = 2000;

/** The Hono app: tRPC at /trpc, the same procedures as REST under /api/v1, docs and health. Reads no env. */
export function createApp(deps: AppDeps) {
  const createContext = contextFactory({ db: deps.database.db, artifacts: deps.artifacts });
  const successStatus = new Map(openApiRoutes(appRouter).map((r) => [r.procedurePath, r.successStatus]));
  const openApiDocument = buildOpenApiDocument(appRouter, artifactOpenApiPaths);

  const responseMeta = ({ paths, errors }: { paths?: readonly string[]; errors: readonly { code: string }[] }) => {
    if (errors.some((e) => e.code === "UNAUTHORIZED")) return { headers: { "WWW-Authenticate": "Bearer" } };
    if (errors.length) return {};
    return { status: paths?.[0] ? successStatus.get(paths[0]) : undefined };
  };
  const onError = ({ error, path }: { error: { code: string; cause?: unknown }; path?: string }) => {
    if (error.code === "INTERNAL_SERVER_ERROR")
      deps.logger.error({ err: error.cause ?? error, path }, "request failed");
  };
  const rest = createRestHandler({
    prefix: "/api/v1",
    router: appRouter,
    createContext,
    responseMeta,
    onError,
  });

  const app = new Hono();
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", async (c) => {
    try {
      await Promise.race([
        deps.database.ping(),
        new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), READY_TIMEOUT_MS).unref()),
      ]);
      return c.json({ status: "ready" });
    } catch {
      return errorResponse(c, 503, "SERVICE_UNAVAILABLE", "The database does not answer");
    }
  });
  app.route("/docs", docsPage("/api/v1/openapi.json"));
  app.get("/api/v1/openapi.json", (c) => c.json(openApiDocument));

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
    artifactRoutes({ db: deps.database.db, maxArtifactBytes: deps.maxArtifactBytes, logger: deps.logger }),
  );
  app.use("/api/v1/*", limitBody(deps.maxBodyBytes), parseJsonBody);
  app.all("/api/v1/*", (c) => rest(c.req.raw, c.get("jsonBody")));

  app.notFound((c) => errorResponse(c, 404, "NOT_FOUND", `No route for ${c.req.method} ${c.req.path}`));
  app.onError((error, c) => {
    deps.logger.error({ err: error }, "unhandled error");
    return errorResponse(c, 500, "INTERNAL_SERVER_ERROR", "Internal server error");
  });
  return app;
}

export type App = ReturnType<typeof createApp>;
