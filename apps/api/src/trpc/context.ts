import type { ArtifactSettings, Database } from "@stepwise/core";
import type { Metrics } from "../http/metrics";
import { requestScope } from "../http/request-scope";

/** What every procedure may use. Built per request from the app's dependencies and the request headers. */
export interface Context {
  db: Database;
  artifacts: ArtifactSettings;
  metrics: Metrics;
  headers: Headers;
  /** When the request arrived (epoch ms), before any queueing: the default timestamp of logged metrics. */
  receivedAt: number;
}

export interface ContextDeps {
  db: Database;
  artifacts: ArtifactSettings;
  metrics: Metrics;
}

export const contextFactory =
  (deps: ContextDeps) =>
  ({ req }: { req: Request }): Context => ({
    ...deps,
    headers: req.headers,
    receivedAt: requestScope()?.receivedAt ?? Date.now(),
  });
