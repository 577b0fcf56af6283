import { and, eq } from "drizzle-orm";
import type { Database } from "../db";
import { runs } from "../db/schema";
import { getExperimentRowOrThrow } from "../experiments/get-experiment";
import { conflict, invalid, notFound } from "../shared/errors";
import { newId, one } from "../shared/ids";
import { generateRunName } from "./run-names";
import type { CreateRunInput, RunResponse } from "./schemas";
import { toRunResponse } from "./to-response";

export const experimentArchived = (experimentId: string) =>
  conflict(
    `Experiment '${experimentId}' is archived: its runs can be read but not created or written; restore it first`,
  );

/** The same 409 for a write to a run of an archived experiment, named by the run. */
export const runOfArchivedExperiment = (runId: string) =>
  conflict(
    `Run '${runId}' belongs to an archived experiment: it can be read but not written; restore the experiment first`,
  );

/** A parent must be a run of the same experiment (of this tenant: another tenant's run is not found). */
async function checkParent(db: Database, tenantId: string, parentId: string, experimentId: string) {
  const [parent] = await db
    .select({ experimentId: runs.experimentId })
    .from(runs)
    .where(and(eq(runs.tenantId, tenantId), eq(runs.id, parentId)));
  if (!parent) throw notFound("Parent run", parentId);
  if (parent.experimentId !== experimentId) {
    throw invalid(
      `parent_run_id '${parentId}' is a run of another experiment; a parent must be in the same experiment`,
      "parent_run_id",
    );
  }
}

export function createRun(db: Database, tenantId: string, input: CreateRunInput): Promise<RunResponse> {
  return db.transaction(async (tx) => {
    // A share lock keeps the experiment from being archived between the check and the insert.
    const experiment = await getExperimentRowOrThrow(tx, tenantId, input.experiment_id, "share");
    if (experiment.lifecycleStage !== "active") throw experimentArchived(experiment.id);
    if (input.parent_run_id) await checkParent(tx, tenantId, input.parent_run_id, experiment.id);
    const id = newId();
    const row = one(
      await tx
        .insert(runs)
        .values({
          tenantId,
          id,
          experimentId: experiment.id,
          name: input.name ?? generateRunName(),
          description: input.description ?? null,
          startTime: input.start_time ? new Date(input.start_time) : new Date(),
          artifactUri: `${experiment.artifactLocation}/${id}/artifacts`,
          tags: input.tags ?? {},
          parentRunId: input.parent_run_id ?? null,
        })
        .returning(),
    );
    return toRunResponse(row);
  });
}
