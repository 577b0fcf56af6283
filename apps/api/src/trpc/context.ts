import type { ArtifactSettings, Database } from "@stepwise/core";

/** What every procedure may use. Built per request from the app's dependencies and the request headers. */
export interface Context {
  db: Database;
  artifacts: ArtifactSettings;
  headers: Headers;
}

export interface ContextDeps {
  db: Database;
  artifacts: ArtifactSettings;
}

export const contextFactory =
  (deps: ContextDeps) =>
  ({ req }: { req: Request }): Context => ({ ...deps, headers: req.headers });
