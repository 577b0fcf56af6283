import type { Context, MiddlewareHandler } from "hono";
import type { Logger } from "pino";
import type { Metrics } from "./metrics";
import { requestIdFrom, runInRequestScope } from "./request-scope";

/**
 * Per request: an id (the client's X-Request-Id, else a new one; always sent back), a request scope that
 * later code fills in (the tenant), one JSON log line when the answer is ready (method, route template,
 * status, duration, tenant; never the key or the body), and the request metrics.
 */
export const requestLog =
  (logger: Logger, metrics: Metrics, routeOf: (method: string, path: string) => string): MiddlewareHandler =>
  async (c, next) => {
    const start = performance.now();
    const scope = {
      requestId: requestIdFrom(c.req.header("x-request-id")),
      receivedAt: Date.now(),
      tenantId: undefined as string | undefined,
    };
    await runInRequestScope(scope, next);
    setRequestIdHeader(c, scope.requestId);
    const seconds = (performance.now() - start) / 1000;
    const labels = { method: c.req.method, route: routeOf(c.req.method, c.req.path), status: String(c.res.status) };
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
