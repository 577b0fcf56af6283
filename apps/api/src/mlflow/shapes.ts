import type { ExperimentResponse, RunResponse } from "@stepwise/core/schemas";
import { mlflowExperimentId, mlflowRunId } from "./ids";

/** MLflow system tags that are Stepwise fields: they are not stored as tags, but read from and written to the field. */
export const RUN_NAME_TAG = "mlflow.runName";
export const NOTE_TAG = "mlflow.note.content";
export const USER_TAG = "mlflow.user";
export const PARENT_TAG = "mlflow.parentRunId";

const ms = (iso: string) => Date.parse(iso);
const tagList = (tags: Record<string, string>) => Object.entries(tags).map(([key, value]) => ({ key, value }));

export function toMlflowExperiment(tenantId: string, e: ExperimentResponse) {
  const id = mlflowExperimentId(tenantId, e.id);
  return {
    experiment_id: id,
    name: e.name,
    artifact_location: `mlflow-artifacts:/${id}`,
    lifecycle_stage: e.lifecycle_stage,
    creation_time: ms(e.created_at),
    last_update_time: ms(e.updated_at),
    tags: tagList({ ...e.tags, ...(e.description !== null && { [NOTE_TAG]: e.description }) }),
  };
}

/** Where a run's artifacts are for an MLflow client: the proxy routes of this server. */
export const mlflowArtifactUri = (tenantId: string, run: Pick<RunResponse, "id" | "experiment_id">) =>
  `mlflow-artifacts:/${mlflowExperimentId(tenantId, run.experiment_id)}/${mlflowRunId(run.id)}/artifacts`;

type RunLike = RunResponse;

export function toMlflowRunInfo(tenantId: string, run: RunLike) {
  const id = mlflowRunId(run.id);
  return {
    run_id: id,
    run_uuid: id,
    run_name: run.name,
    experiment_id: mlflowExperimentId(tenantId, run.experiment_id),
    user_id: run.tags[USER_TAG] ?? "",
    status: run.status,
    start_time: ms(run.start_time),
    ...(run.end_time !== null && { end_time: ms(run.end_time) }),
    artifact_uri: mlflowArtifactUri(tenantId, run),
    lifecycle_stage: run.deleted_at ? "deleted" : "active",
  };
}

/** A run's dataset inputs as MLflow shows them (`inputs.dataset_inputs`; left out when there are none). */
type DatasetInput = { dataset: object; tags: Record<string, string> };

export function toMlflowRun(tenantId: string, run: RunLike, datasets: DatasetInput[] = []) {
  const tags: Record<string, string> = { ...run.tags, [RUN_NAME_TAG]: run.name };
  if (run.description !== null) tags[NOTE_TAG] = run.description;
  if (run.parent_run_id) tags[PARENT_TAG] = mlflowRunId(run.parent_run_id);
  return {
    info: toMlflowRunInfo(tenantId, run),
    data: {
      metrics: Object.entries(run.metrics).map(([key, m]) => ({
        key,
        value: m.value,
        timestamp: m.timestamp,
        step: m.step,
      })),
      params: Object.entries(run.params).map(([key, value]) => ({ key, value })),
      tags: tagList(tags),
    },
    inputs: listField(
      "dataset_inputs",
      datasets.map((d) => ({ tags: tagList(d.tags), dataset: d.dataset })),
    ),
    outputs: {},
  };
}

/** A list field as proto-JSON writes it: left out when empty. */
export const listField = <K extends string, T>(name: K, items: T[]) =>
  (items.length ? { [name]: items } : {}) as Partial<Record<K, T[]>>;
