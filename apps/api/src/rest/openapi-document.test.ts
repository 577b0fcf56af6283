import { describe, expect, it, vi } from "vitest";
import { artifactOpenApiPaths } from "../artifacts/openapi-paths";
import { MLFLOW_ROUTES } from "../mlflow/openapi";
import { appRouter } from "../routers";
import { KEY_SECURITY, TENANT_SECURITY } from "../routers/openapi";
import { testApp } from "../testing/app";
import { restRoutes } from "./routes";

// Counts calls of the real generator (it still runs): the document must be built at start-up, not per request.
const generator = vi.hoisted(() => ({ calls: 0 }));
vi.mock("trpc-to-openapi", async (importOriginal) => {
  const actual = await importOriginal<typeof import("trpc-to-openapi")>();
  return {
    ...actual,
    generateOpenApiDocument: (...args: Parameters<typeof actual.generateOpenApiDocument>) => {
      generator.calls++;
      return actual.generateOpenApiDocument(...args);
    },
  };
});

const { app, rest } = await testApp();

type Operation = {
  operationId?: string;
  summary?: string;
  description?: string;
  responses: Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }>;
  security?: Record<string, unknown>[];
  parameters?: { name: string; in: string }[];
};
// biome-ignore lint/suspicious/noExplicitAny: the document is read as plain JSON
type Document = { openapi: string; paths: Record<string, Record<string, Operation>>; components: any };

async function getDocument() {
  const res = await app.request("/api/v1/openapi.json");
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  const text = await res.text();
  return { text, doc: JSON.parse(text) as Document };
}

/** Contract sections 5, 6 (runs create/list/get/end) and 8: method, path, success status, errors from the tables. */
const OPERATIONS: [string, string, 200 | 201, number[]][] = [
  ["post", "/experiments", 201, [400, 409, 422]],
  ["get", "/experiments", 200, [400]],
  ["get", "/experiments/{id}", 200, [404]],
  ["patch", "/experiments/{id}", 200, [400, 404, 409, 422]],
  ["delete", "/experiments/{id}", 200, [404]],
  ["post", "/experiments/{id}/restore", 200, [404, 409, 422]],
  ["post", "/experiments/runs", 201, [400, 404, 409, 422]],
  ["get", "/experiments/runs", 200, [400, 404]],
  ["get", "/experiments/runs/{id}", 200, [404]],
  ["post", "/experiments/runs/{id}/end", 200, [400, 404, 409, 422]],
  ["post", "/experiments/runs/{id}/log-metrics", 200, [400, 404, 409, 422]],
  ["post", "/experiments/runs/{id}/log-params", 200, [400, 404, 409, 422]],
  ["post", "/experiments/runs/{id}/log-batch", 200, [400, 404, 409, 422]],
  ["get", "/experiments/runs/{id}/metrics/history", 200, [400, 404]],
  ["post", "/experiments/runs/compare", 200, [400, 404]],
  ["post", "/experiments/runs/metrics/history-bulk", 200, [400, 404]],
  ["get", "/experiments/runs/{id}/artifacts", 200, [400, 404]],
  ["post", "/experiments/runs/{id}/log-artifact", 200, [400, 404, 409, 413]],
  ["get", "/experiments/runs/{id}/artifacts/download", 200, [400, 404]],
  ["post", "/admin/tenants", 201, [400, 409]],
  ["get", "/admin/tenants", 200, []],
  ["post", "/admin/api-keys", 201, [400]],
  ["get", "/admin/api-keys", 200, []],
  ["delete", "/admin/api-keys/{id}", 200, []],
];

/** Section 3 on top of each table: every operation needs a key (401) and may be refused (403); a malformed ID
 * in the path is a 400 (section 1); a JSON body may be too large (413) or not JSON (415); a bug is a 500, and an
 * unreachable database a 503. */
const expectedErrors = (method: string, path: string, errors: number[]) => [
  ...new Set([
    ...errors,
    401,
    403,
    500,
    429,
    503,
    ...(path.includes("{id}") ? [400] : []),
    // A JSON body may be too large or not JSON; the multipart upload has its own 413 and answers 400 otherwise.
    ...(method === "post" || method === "patch" ? (path.endsWith("log-artifact") ? [400, 413] : [400, 413, 415]) : []),
  ]),
];

describe("GET /api/v1/openapi.json", () => {
  it("is served without an API key, as OpenAPI 3 with the bearer and tenant-header schemes", async () => {
    const { doc } = await getDocument();
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc).toMatchObject({ info: { license: { name: "Proprietary" } }, servers: [{ url: "/api/v1" }] });
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.components.securitySchemes.tenantHeader).toMatchObject({
      type: "apiKey",
      in: "header",
      name: "X-Tenant-ID",
    });
    // The header is described once, as a security scheme; trpc-to-openapi's per-code error schemas are merged into one.
    expect(doc.components.parameters).toBeUndefined();
    expect(Object.keys(doc.components.schemas).filter((name) => name.startsWith("error."))).toEqual([]);
    expect(doc.components.schemas.Error).toMatchObject({ required: ["code", "message"] });
  });

  it.each(OPERATIONS)("documents %s %s: %i and the contract's errors", async (method, path, success, errors) => {
    const { doc } = await getDocument();
    const op = doc.paths[path]?.[method];
    expect(op, `${method} ${path}`).toBeDefined();
    if (!op) return;
    const statuses = Object.keys(op.responses).map(Number);
    expect(statuses.filter((s) => s < 400)).toEqual([success]);
    const body = op.responses[success]?.content;
    expect((body?.["application/json"] ?? body?.["application/octet-stream"])?.schema).toBeDefined();
    expect(statuses).toEqual(expect.arrayContaining(expectedErrors(method, path, errors)));
    for (const status of statuses.filter((s) => s >= 400)) {
      expect(op.responses[status]?.content?.["application/json"]?.schema).toEqual({
        $ref: "#/components/schemas/Error",
      });
    }
    expect([op.operationId, op.summary, op.description].every((s) => typeof s === "string" && s.length > 0)).toBe(true);
    expect(op.security).toEqual(path.startsWith("/admin") ? KEY_SECURITY : TENANT_SECURITY);
    // Writes that honour Idempotency-Key (a 422 when it is reused) document the header; nothing else takes one.
    const headers = op.parameters?.filter((p) => p.in === "header").map((p) => p.name) ?? [];
    expect(headers).toEqual(errors.includes(422) ? ["Idempotency-Key"] : []);
  });

  it("documents every procedure that has a REST route and the plain artifact routes, nothing else", async () => {
    const { doc } = await getDocument();
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`));
    const routes = restRoutes(appRouter).map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, "{$1}")}`);
    const plain = Object.entries(artifactOpenApiPaths).flatMap(([path, ops]) =>
      Object.keys(ops ?? {}).map((m) => `${m} ${path}`),
    );
    const mlflow = MLFLOW_ROUTES.map(([method, path]) => `${method} ${path}`);
    expect(plain).toEqual([
      "post /experiments/runs/{id}/log-artifact",
      "get /experiments/runs/{id}/artifacts/download",
    ]);
    expect(documented.filter((d) => !d.startsWith("servers ")).sort()).toEqual([...routes, ...plain, ...mlflow].sort());
    const upload = doc.paths["/experiments/runs/{id}/log-artifact"]?.post as unknown as {
      requestBody: { content: Record<string, { schema: { properties: { file: { format: string } } } }> };
    };
    expect(upload.requestBody.content["multipart/form-data"]?.schema.properties.file.format).toBe("binary");
  });

  it("is built once: identical JSON text on every request, and no generator call per request", async () => {
    const callsAtStartUp = generator.calls;
    expect(callsAtStartUp).toBeGreaterThan(0);
    const first = await getDocument();
    const second = await getDocument();
    expect(second.doc).toEqual(first.doc);
    expect(second.text).toBe(first.text);
    await rest(null, "GET", "/experiments");
    await getDocument();
    expect(generator.calls).toBe(callsAtStartUp);
  });
});
