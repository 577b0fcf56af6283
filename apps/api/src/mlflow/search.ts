import { invalid, listRunInputs, searchRunsQuery } from "@stepwise/core";
import { ParseError, parseFilter, parseOrderBy } from "@stepwise/core/schemas";
import { experimentIdOf, offsetOf, pageToken } from "./ids";
import type { MlflowRouter } from "./router";
import { parseInput, SearchRuns } from "./schemas";
import { listField, toMlflowRun } from "./shapes";

/** MLflow's bounds of max_results for runs/search (its default and SEARCH_MAX_RESULTS_THRESHOLD). */
const RUNS_DEFAULT = 1000;
const RUNS_MAX = 50_000;
const VIEW = { ACTIVE_ONLY: "active", DELETED_ONLY: "deleted", ALL: "all" } as const;

/** A filter or order_by that is not MLflow's grammar: MLflow's 400, with core's position and token. */
function parsed<T>(field: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof ParseError) throw invalid(`Invalid ${field}: ${error.message}`, field);
    throw error;
  }
}

export function searchRoutes({ on, deps }: MlflowRouter) {
  const { db, artifacts } = deps;

  // Core's run search (contract section 10) restricted to MLflow's dialect; MLflow's offset page tokens.
  on("POST", "/mlflow/runs/search", async ({ tenantId, input }) => {
    const body = parseInput(SearchRuns, input);
    const maxResults = body.max_results ?? RUNS_DEFAULT;
    if (maxResults > RUNS_MAX) throw invalid(`max_results must be at most ${RUNS_MAX}`, "max_results");
    const experimentIds = await Promise.all(
      (body.experiment_ids ?? []).map((id) => experimentIdOf(db, tenantId, artifacts, id)),
    );
    if (experimentIds.length === 0) return {};
    const offset = offsetOf(body.page_token);
    const page = await searchRunsQuery(db, tenantId, {
      experimentIds,
      filter: parsed("filter", () => parseFilter(body.filter ?? "", { dialect: "mlflow" })),
      orderBy: (body.order_by ?? []).map((item) => parsed("order_by", () => parseOrderBy(item, { dialect: "mlflow" }))),
      maxResults,
      offset,
      view: VIEW[body.run_view_type],
    });
    const inputs = await listRunInputs(
      db,
      tenantId,
      page.runs.map((r) => r.id),
    );
    return {
      ...listField(
        "runs",
        page.runs.map((r) => toMlflowRun(tenantId, r, inputs.get(r.id))),
      ),
      ...(page.nextPageToken !== null && { next_page_token: pageToken(offset + page.runs.length) }),
    };
  });
}
