import {
  archiveExperiment,
  createExperiment,
  getExperimentByNameOrThrow,
  getExperimentOrThrow,
  invalid,
  restoreExperiment,
  searchExperiments,
  updateExperiment,
} from "@stepwise/core";
import { CreateExperimentInput, UpdateExperimentInput } from "@stepwise/core/schemas";
import { experimentIdOf, offsetOf, pageToken } from "./ids";
import type { MlflowRouter } from "./router";
import {
  CreateExperiment,
  DeleteExperimentTag,
  ExperimentTag,
  experimentIdQuery,
  parseInput,
  SearchExperiments,
  UpdateExperiment,
} from "./schemas";
import { listField, NOTE_TAG, toMlflowExperiment } from "./shapes";

/** MLflow's default and largest max_results of experiments/search. */
const EXPERIMENTS_DEFAULT = 1000;
const EXPERIMENTS_MAX = 50_000;

/** Tags as a map, MLflow's note tag as the description. */
function splitNote(tags: { key: string; value: string }[] = []) {
  const map = Object.fromEntries(tags.map((t) => [t.key, t.value]));
  const description = map[NOTE_TAG];
  delete map[NOTE_TAG];
  return { tags: map, description };
}

export function experimentRoutes({ on, deps }: MlflowRouter) {
  const { db, artifacts } = deps;
  const idOf = (tenantId: string, given: string | number | undefined) => experimentIdOf(db, tenantId, artifacts, given);

  on(
    "POST",
    "/mlflow/experiments/create",
    async ({ tenantId, input }) => {
      const body = parseInput(CreateExperiment, input);
      const { tags, description } = splitNote(body.tags);
      const created = await createExperiment(
        db,
        tenantId,
        parseInput(CreateExperimentInput, {
          name: body.name,
          description,
          artifact_location: body.artifact_location || undefined,
          tags,
        }),
        artifacts,
      );
      return { experiment_id: toMlflowExperiment(tenantId, created).experiment_id };
    },
    { conflict: "RESOURCE_ALREADY_EXISTS" },
  );

  on("GET", "/mlflow/experiments/get", async ({ tenantId, input }) => {
    const id = await idOf(tenantId, parseInput(experimentIdQuery, input).experiment_id);
    return { experiment: toMlflowExperiment(tenantId, await getExperimentOrThrow(db, tenantId, id)) };
  });

  on("GET", "/mlflow/experiments/get-by-name", async ({ tenantId, input }) => {
    const name = String(input.experiment_name ?? "");
    if (!name) throw invalid("Missing value for required parameter 'experiment_name'", "experiment_name");
    return { experiment: toMlflowExperiment(tenantId, await getExperimentByNameOrThrow(db, tenantId, name)) };
  });

  on(
    "POST",
    "/mlflow/experiments/update",
    async ({ tenantId, input }) => {
      const body = parseInput(UpdateExperiment, input);
      const id = await idOf(tenantId, body.experiment_id);
      await updateExperiment(db, tenantId, parseInput(UpdateExperimentInput, { id, name: body.new_name }));
      return {};
    },
    { conflict: "BAD_REQUEST" },
  );

  on("POST", "/mlflow/experiments/delete", async ({ tenantId, input }) => {
    await archiveExperiment(db, tenantId, await idOf(tenantId, parseInput(experimentIdQuery, input).experiment_id));
    return {};
  });

  on("POST", "/mlflow/experiments/restore", async ({ tenantId, input }) => {
    await restoreExperiment(db, tenantId, await idOf(tenantId, parseInput(experimentIdQuery, input).experiment_id));
    return {};
  });

  on("POST", "/mlflow/experiments/set-experiment-tag", async ({ tenantId, input }) => {
    const body = parseInput(ExperimentTag, input);
    const id = await idOf(tenantId, body.experiment_id);
    const change = body.key === NOTE_TAG ? { description: body.value } : { tags: { [body.key]: body.value } };
    await updateExperiment(db, tenantId, parseInput(UpdateExperimentInput, { id, ...change }));
    return {};
  });

  on("POST", "/mlflow/experiments/delete-experiment-tag", async ({ tenantId, input }) => {
    const body = parseInput(DeleteExperimentTag, input);
    const id = await idOf(tenantId, body.experiment_id);
    const change = body.key === NOTE_TAG ? { description: null } : { tags: { [body.key]: null } };
    await updateExperiment(db, tenantId, parseInput(UpdateExperimentInput, { id, ...change }));
    return {};
  });

  const STAGES = { ACTIVE_ONLY: ["active"], DELETED_ONLY: ["deleted"], ALL: ["active", "deleted"] } as const;

  on("POST", "/mlflow/experiments/search", async ({ tenantId, input }) => {
    const body = parseInput(SearchExperiments, input);
    const limit = body.max_results ?? EXPERIMENTS_DEFAULT;
    if (limit > EXPERIMENTS_MAX) throw invalid(`max_results must be at most ${EXPERIMENTS_MAX}`, "max_results");
    await idOf(tenantId, "0");
    const offset = offsetOf(body.page_token);
    const page = await searchExperiments(db, tenantId, {
      filter: body.filter,
      order_by: body.order_by,
      stages: [...STAGES[body.view_type]],
      limit,
      offset,
    });
    return {
      ...listField(
        "experiments",
        page.experiments.map((e) => toMlflowExperiment(tenantId, e)),
      ),
      ...(page.more && { next_page_token: pageToken(offset + page.experiments.length) }),
    };
  });

  // MLflow 1.x's list (the npm client's Experiments.list): every experiment of the view, newest first.
  on("GET", "/mlflow/experiments/list", async ({ tenantId, input }) => {
    const { view_type } = parseInput(SearchExperiments, input);
    await idOf(tenantId, "0");
    const found = [];
    for (let offset = 0; ; offset += EXPERIMENTS_MAX) {
      const page = await searchExperiments(db, tenantId, {
        stages: [...STAGES[view_type]],
        limit: EXPERIMENTS_MAX,
        offset,
      });
      found.push(...page.experiments);
      if (!page.more) break;
    }
    return listField(
      "experiments",
      found.map((e) => toMlflowExperiment(tenantId, e)),
    );
  });
}
