import { t } from "./init";

/** Counts the metric points of a successful log-batch or log-metrics (`{metrics: n}` answers) in /metrics. */
export const countPoints = t.middleware(async ({ ctx, next }) => {
  const result = await next();
  const points = result.ok ? (result.data as { metrics?: unknown }).metrics : undefined;
  if (typeof points === "number") ctx.metrics.pointsIngested.inc(points);
  return result;
});
