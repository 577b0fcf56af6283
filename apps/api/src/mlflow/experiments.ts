import {
  archiveExperiment,
  createExperiment,
  getExperimentByNameOrThrow,
  getExperimentOrThrow,
  invalid,
  listExperiments,
  restoreExperiment,
  updateExperiment,
} from "@stepwise/core";
import { CreateExperimentInput, UpdateExperimentInput } from "@stepwise/core/schemas";
import { experimentIdOf } from "./ids";
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

  // MLflow 1.x's list (the npm client's Experiments.list): every experiment of the view, newest first.
  on("GET", "/mlflow/experiments/list", async ({ tenantId, input }) => {
    const { view_type } = parseInput(SearchExperiments, input);
    await idOf(tenantId, "0");
    const stages =
      view_type === "ALL"
        ? (["active", "deleted"] as const)
        : view_type === "DELETED_ONLY"
          ? (["deleted"] as const)
          : (["active"] as const);
    const found = [];
    for (const stage of stages) {
      for (let offset = 0; ; offset += 1000) {
        const page = await listExperiments(db, tenantId, { lifecycle_stage: stage, limit: 1000, offset });
        found.push(...page.experiments);
        if (offset + 1000 >= page.total) break;
      }
    }
    return listField(
      "experiments",
      found.map((e) => toMlflowExperiment(tenantId, e)),
    );
  });
}
