import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Hono } from "hono";

const ASSETS: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
};

const page = (specUrl: string) => `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Stepwise API</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script>
    window.ui = SwaggerUIBundle({ url: ${JSON.stringify(specUrl)}, dom_id: "#ui", persistAuthorization: true, deepLinking: true });
  </script>
</body>
</html>`;

/** Interactive API docs (Swagger UI), served from the swagger-ui-dist package: no CDN. */
export function docsPage(specUrl: string) {
  const dir = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
  const cache = new Map<string, Buffer>();
  return new Hono()
    .get("/", (c) => c.html(page(specUrl)))
    .get("/assets/:file", (c) => {
      const file = c.req.param("file");
      const type = ASSETS[file];
      if (!type) return c.json({ code: "NOT_FOUND", message: `No docs asset '${file}'` }, 404);
      const body = cache.get(file) ?? readFileSync(join(dir, file));
      cache.set(file, body);
      return c.body(new Uint8Array(body), 200, { "content-type": type, "cache-control": "public, max-age=3600" });
    });
}
