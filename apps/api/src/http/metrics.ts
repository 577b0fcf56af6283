import { timingSafeEqual } from "node:crypto";
import type { Context } from "hono";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { errorResponse } from "./errors";

/** The service's Prometheus metrics (prom-client), one registry per app. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const labelNames = ["method", "route", "status"] as const;
  return {
    registry,
    requests: new Counter({
      name: "stepwise_http_requests_total",
      help: "HTTP requests",
      labelNames,
      registers: [registry],
    }),
    duration: new Histogram({
      name: "stepwise_http_request_duration_seconds",
      help: "HTTP request duration",
      labelNames,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    pointsIngested: new Counter({
      name: "stepwise_metric_points_ingested_total",
      help: "Metric points received in successful log-batch and log-metrics requests",
      registers: [registry],
    }),
    artifactBytes: new Counter({
      name: "stepwise_artifact_bytes_total",
      help: "Artifact bytes uploaded (in) and downloaded (out)",
      labelNames: ["direction"] as const,
      registers: [registry],
    }),
    /** Gauges of the database pool, read from `pool()` at each scrape. */
    dbPool(pool: () => { size: number; inUse: number; waiting: number }) {
      const gauge = (name: string, help: string, read: (p: ReturnType<typeof pool>) => number) =>
        new Gauge({
          name,
          help,
          registers: [registry],
          collect() {
            this.set(read(pool()));
          },
        });
      gauge("stepwise_db_pool_size", "Database connections the pool may open", (p) => p.size);
      gauge(
        "stepwise_db_connections_in_use",
        "Database connections busy with a statement or transaction",
        (p) => p.inUse,
      );
      gauge(
        "stepwise_db_requests_waiting",
        "Statements and transactions waiting for a free connection",
        (p) => p.waiting,
      );
    },
  };
}
export type Metrics = ReturnType<typeof createMetrics>;

/** GET /metrics for a bearer token (Prometheus' `authorization` setting); off (404) without a configured token. */
export const metricsEndpoint = (metrics: Metrics, token: string | undefined) => async (c: Context) => {
  if (!token) return errorResponse(c, 404, "NOT_FOUND", "Metrics are off: set STEPWISE_METRICS_TOKEN to serve them");
  const given = Buffer.from(c.req.header("authorization") ?? "");
  const wanted = Buffer.from(`Bearer ${token}`);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
    c.header("WWW-Authenticate", "Bearer");
    return errorResponse(c, 401, "UNAUTHORIZED", "Send the metrics token as 'Authorization: Bearer <token>'");
  }
  return c.text(await metrics.registry.metrics(), 200, { "Content-Type": metrics.registry.contentType });
};
