import type { ArtifactSettings, Database } from "@stepwise/core";
import type { Metrics } from "../http/metrics";

/** What every procedure may use. Built per request from the app's dependencies and the request headers. */
export interface Context {
  db: Database;
  artifacts: ArtifactSettings;
  metrics: Metrics;
  headers: Headers;
}

export interface ContextDeps {
  db: Database;
  artifacts: ArtifactSettings;
  metrics: Metrics;
}

export const contextFactory =
  (deps: ContextDeps) =>
  ({ req }: { req: Request }): Context => ({ ...deps, headers: req.headers });
