import {
  createRun,
  deleteRun,
  deleteRunTag,
  getRunOrThrow,
  invalid,
  listRunInputs,
  logBatch,
  logRunInputs,
  restoreRun,
  setRunStatus,
  updateRun,
} from "@stepwise/core";
import { CreateRunInput, LogBatchInput, LogRunInputsInput, RunTagInput, UpdateRunInput } from "@stepwise/core/schemas";
import { requestScope } from "../http/request-scope";
import { experimentIdOf, runIdOf, uuidOf } from "./ids";
import type { MlflowRouter } from "./router";
import { splitRunTags, truncatedParams } from "./run-tags";
import {
  CreateRun,
  DeleteTag,
  LogBatch,
  LogInputs,
  LogMetric,
  LogParam,
  parseInput,
  RunRef,
  SetTag,
  UpdateRun,
} from "./schemas";
import { NOTE_TAG, PARENT_TAG, RUN_NAME_TAG, toMlflowRun, toMlflowRunInfo } from "./shapes";

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
/** When the request arrived: the timestamp of metric points sent without one. */
const receivedAt = () => requestScope()?.receivedAt ?? Date.now();

export function runRoutes({ on, deps }: MlflowRouter) {
  const { db, artifacts } = deps;

  /** One write through core's single write path; an empty batch only checks that the run exists (MLflow: a no-op). */
  async function write(tenantId: string, id: string, batch: Omit<LogBatchInput, "id">) {
    const { tags, parent, ...fields } = splitRunTags(batch.tags);
    // A parent is set at creation; named later, it is kept as the plain tag MLflow would show.
    if (parent !== undefined) tags.push({ key: PARENT_TAG, value: parent });
    const input = { id, metrics: batch.metrics, params: truncatedParams(batch.params), tags };
    if ((input.metrics?.length ?? 0) + input.params.length + tags.length > 0) {
      await logBatch(db, tenantId, parseInput(LogBatchInput, input), receivedAt());
    } else if (fields.name === undefined && fields.description === undefined) {
      await getRunOrThrow(db, tenantId, id);
    }
    if (fields.name !== undefined || fields.description !== undefined) await updateRunFields(tenantId, id, fields);
  }

  const updateRunFields = (tenantId: string, id: string, fields: { name?: string; description?: string | null }) =>
    updateRun(db, tenantId, parseInput(UpdateRunInput, { id, ...fields }));

  on("POST", "/mlflow/runs/create", async ({ tenantId, input }) => {
    const body = parseInput(CreateRun, input);
    const experimentId = await experimentIdOf(db, tenantId, artifacts, body.experiment_id ?? "0");
    const { tags, name, description, parent } = splitRunTags(body.tags);
    const tagMap = Object.fromEntries(tags.map((t) => [t.key, t.value]));
    const parentId = parent ? uuidOf(parent) : undefined;
    if (parentId === null) throw invalid(`mlflow.parentRunId '${parent}' is not a run id`, "tags");
    const run = await createRun(
      db,
      tenantId,
      parseInput(CreateRunInput, {
        experiment_id: experimentId,
        name: body.run_name || name || undefined,
        description,
        tags: tagMap,
        start_time: iso(body.start_time),
        parent_run_id: parentId,
      }),
    );
    const { outputs: _, ...created } = toMlflowRun(tenantId, run);
    return { run: created };
  });

  on("GET", "/mlflow/runs/get", async ({ tenantId, input }) => {
    const run = await getRunOrThrow(db, tenantId, runIdOf(parseInput(RunRef, input)));
    const inputs = (await listRunInputs(db, tenantId, [run.id])).get(run.id) ?? [];
    return { run: toMlflowRun(tenantId, run, inputs) };
  });

  on("POST", "/mlflow/runs/log-inputs", async ({ tenantId, input }) => {
    const { datasets = [], ...ref } = parseInput(LogInputs, input);
    const given = datasets.map((d) => ({
      dataset: d.dataset,
      tags: Object.fromEntries((d.tags ?? []).map((t) => [t.key, t.value])),
    }));
    await logRunInputs(db, tenantId, parseInput(LogRunInputsInput, { id: runIdOf(ref), datasets: given }));
    return {};
  });

  on("POST", "/mlflow/runs/update", async ({ tenantId, input }) => {
    const body = parseInput(UpdateRun, input);
    const id = runIdOf(body);
    if (body.run_name) await updateRunFields(tenantId, id, { name: body.run_name });
    // SCHEDULED is MLflow's "not started yet": a Stepwise run is RUNNING until it ends.
    const status = body.status === "SCHEDULED" ? "RUNNING" : body.status;
    const run = status
      ? await setRunStatus(db, tenantId, { id, status, end_time: iso(body.end_time) })
      : await getRunOrThrow(db, tenantId, id);
    return { run_info: toMlflowRunInfo(tenantId, run) };
  });

  on("POST", "/mlflow/runs/log-metric", async ({ tenantId, input }) => {
    const { key, value, timestamp, step, ...ref } = parseInput(LogMetric, input);
    await write(tenantId, runIdOf(ref), { metrics: [{ key, value, timestamp, step }] });
    return {};
  });

  on("POST", "/mlflow/runs/log-parameter", async ({ tenantId, input }) => {
    const { key, value, ...ref } = parseInput(LogParam, input);
    await write(tenantId, runIdOf(ref), { params: [{ key, value }] });
    return {};
  });

  on("POST", "/mlflow/runs/set-tag", async ({ tenantId, input }) => {
    const { key, value, ...ref } = parseInput(SetTag, input);
    await write(tenantId, runIdOf(ref), { tags: [{ key, value }] });
    return {};
  });

  on("POST", "/mlflow/runs/log-batch", async ({ tenantId, input }) => {
    const { metrics, params, tags, ...ref } = parseInput(LogBatch, input);
    await write(tenantId, runIdOf(ref), { metrics, params, tags });
    return {};
  });

  on("POST", "/mlflow/runs/delete-tag", async ({ tenantId, input }) => {
    const { key, ...ref } = parseInput(DeleteTag, input);
    const id = runIdOf(ref);
    if (key === RUN_NAME_TAG) throw invalid("mlflow.runName is the run's name: rename the run instead", "key");
    if (key === NOTE_TAG) await updateRunFields(tenantId, id, { description: null });
    else await deleteRunTag(db, tenantId, parseInput(RunTagInput, { id, key }));
    return {};
  });

  on("POST", "/mlflow/runs/delete", async ({ tenantId, input }) => {
    await deleteRun(db, tenantId, runIdOf(parseInput(RunRef, input)));
    return {};
  });

  on("POST", "/mlflow/runs/restore", async ({ tenantId, input }) => {
    await restoreRun(db, tenantId, runIdOf(parseInput(RunRef, input)));
    return {};
  });
}
