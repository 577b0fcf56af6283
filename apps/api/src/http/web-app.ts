import { existsSync } from "node:fs";
import { join } from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import type { Hono } from "hono";

export interface WebApp {
  /** The web app's production build (apps/web/dist). */
  dir: string;
  /** What its sign-in page reads from /app/config.json. */
  config: { embedded: boolean; keyFile: string | null };
}

/** Paths the web app never answers, whatever follows them: the API's, the docs, health and metrics. */
const SERVER_PATHS = /^\/(api|trpc|docs|healthz|readyz|metrics)(\/|$)/;
const NOT_BUILT =
  "<!doctype html><title>Stepwise</title><h1>The web app is not built</h1><p>Run <code>pnpm --filter @stepwise/web build</code> (<code>pnpm start</code> does it too), then reload. The API docs are at <a href=/docs>/docs</a>.</p>";

/** Its config for the sign-in page, its files (hashed assets cached for good), and index.html for any other GET. */
export function serveWebApp(app: Hono, { dir, config }: WebApp) {
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
