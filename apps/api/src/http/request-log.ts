import type { Context, MiddlewareHandler } from "hono";
import type { Logger } from "pino";
import type { Metrics } from "./metrics";
import { requestIdFrom, runInRequestScope } from "./request-scope";

const FIXED = new Set(["/healthz", "/readyz", "/metrics", "/docs", "/api/v1/openapi.json"]);

/**
 * A request's route for logs and metric labels (bounded cardinality: IDs never appear): the template that an
 * API route names itself (`c.set("route", ...)`, rest/dispatch.ts and the artifact routes), a tRPC procedure,
 * or one of the fixed paths.
 */
function routeOf(c: Context, procedures: Set<string>): string {
  const route = c.get("route");
  if (route) return route;
  const path = c.req.path;
  if (FIXED.has(path)) return path;
  if (path.startsWith("/docs/")) return "/docs/*";
  if (path.startsWith("/trpc/")) {
    // A batch call names several procedures (/trpc/a,b): one label for all batches keeps the label set small.
    const name = path.slice(6);
    if (name.includes(",")) return "/trpc/(batch)";
    return procedures.has(name) ? path : "/trpc/(unknown)";
  }
  return "(unmatched)";
}

/**
 * Per request: an id (the client's X-Request-Id, else a new one; always sent back), a request scope that
 * later code fills in (the tenant), one JSON log line when the answer is ready (method, route template,
 * status, duration, tenant; never the key or the body), and the request metrics.
 */
export const requestLog = (logger: Logger, metrics: Metrics, procedureNames: string[]): MiddlewareHandler => {
  const procedures = new Set(procedureNames);
  return async (c, next) => {
    const start = performance.now();
    const scope = {
      requestId: requestIdFrom(c.req.header("x-request-id")),
      receivedAt: Date.now(),
      tenantId: undefined as string | undefined,
    };
    await runInRequestScope(scope, next);
    setRequestIdHeader(c, scope.requestId);
    const seconds = (performance.now() - start) / 1000;
    const labels = { method: c.req.method, route: routeOf(c, procedures), status: String(c.res.status) };
    metrics.requests.inc(labels);
    metrics.duration.observe(labels, seconds);
    const line = {
      req_id: scope.requestId,
      method: labels.method,
      route: labels.route,
      status: c.res.status,
      ms: Math.round(seconds * 10_000) / 10,
      tenant: scope.tenantId,
    };
    if (c.res.status >= 500) logger.warn(line, "request");
    else logger.info(line, "request");
  };
};

/**
 * Adds the header to the finished answer in place. `c.header()` after the handler would rebuild the whole
 * Response (and its body stream) on every request; answers with immutable headers still go that way.
 */
function setRequestIdHeader(c: Context, requestId: string) {
  try {
    c.res.headers.set("X-Request-Id", requestId);
  } catch {
    c.header("X-Request-Id", requestId);
  }
}
