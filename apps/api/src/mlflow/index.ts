import { Hono } from "hono";
import { artifactRoutes } from "./artifacts";
import { endpointNotFound } from "./errors";
import { experimentRoutes } from "./experiments";
import { metricRoutes } from "./metrics";
import { type MlflowDeps, mlflowRouter } from "./router";
import { runRoutes } from "./runs";
import { searchRoutes } from "./search";

export type { MlflowDeps } from "./router";

/** Where MLflow's clients find the API: its tracking, UI (ajax) and artifact proxy prefixes, each also per tenant. */
export const MLFLOW_BASES = ["/api/2.0", "/ajax-api/2.0", "/t/:tenantSlug/api/2.0", "/t/:tenantSlug/ajax-api/2.0"];

/**
 * MLflow's tracking REST API 2.0 (contract section 11): MLflow shapes in, core's domain functions, MLflow
 * shapes out. Mounted at the app's root; anything else under its prefixes is MLflow's ENDPOINT_NOT_FOUND.
 */
export function mlflowRoutes(deps: MlflowDeps) {
  const router = mlflowRouter(deps);
  experimentRoutes(router);
  runRoutes(router);
  metricRoutes(router);
  artifactRoutes(router);
  searchRoutes(router);
  // MLflow 3's logged models: none here (the Python client's artifact listing asks for them).
  router.on("POST", "/mlflow/logged-models/search", async () => ({}));
  router.app.all("*", endpointNotFound);

  const root = new Hono();
  root.get("/health", (c) => c.text("OK"));
  for (const base of MLFLOW_BASES) root.route(base, router.app);
  return root;
}
