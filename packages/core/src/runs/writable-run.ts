import type { Database } from "../db";
import { conflict } from "../shared/errors";
import { runOfArchivedExperiment } from "./create-run";
import { getRunRowOrThrow } from "./get-run";

/** The 409 of a write to a deleted run (contract section 10). */
export const runDeleted = (runId: string) =>
  conflict(`Run '${runId}' is deleted: it can be read but not written; restore it first`);

/**
 * The row of a run that may take writes, optionally locked for update: a 404 when it does not exist in the
 * tenant, a 409 when its experiment is archived or the run is deleted.
 */
export async function getWritableRunOrThrow(db: Database, tenantId: string, id: string, lock?: "update") {
  const { run, experimentStage } = await getRunRowOrThrow(db, tenantId, id, lock);
  if (experimentStage !== "active") throw runOfArchivedExperiment(run.id);
  if (run.deletedAt) throw runDeleted(run.id);
  return run;
}
