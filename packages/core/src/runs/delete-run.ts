import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../db";
import { runs } from "../db/schema";
import { latestMetrics } from "../metrics/latest-metrics";
import { conflict } from "../shared/errors";
import { one } from "../shared/ids";
import { runOfArchivedExperiment } from "./create-run";
import { getRunRowOrThrow } from "./get-run";
import type { RunResponse } from "./schemas";
import { toRunResponse } from "./to-response";

async function setDeleted(db: Database, tenantId: string, id: string, deleted: boolean): Promise<RunResponse> {
  return db.transaction(async (tx) => {
    const { run, experimentStage } = await getRunRowOrThrow(tx, tenantId, id, "update");
    if (experimentStage !== "active") throw runOfArchivedExperiment(run.id);
    if (deleted && run.deletedAt) throw conflict(`Run '${run.id}' is already deleted`);
    if (!deleted && !run.deletedAt) throw conflict(`Run '${run.id}' is not deleted: there is nothing to restore`);
    const row = one(
      await tx
        .update(runs)
        .set({ deletedAt: deleted ? sql`now()` : null, updatedAt: sql`now()` })
        .where(and(eq(runs.tenantId, tenantId), eq(runs.id, run.id)))
        .returning(),
    );
    return toRunResponse(row, (await latestMetrics(tx, tenantId, [row.id])).get(row.id));
  });
}

/** Deletes a run: it keeps its data, leaves lists and searches, stays readable by ID, and refuses writes. */
export const deleteRun = (db: Database, tenantId: string, id: string) => setDeleted(db, tenantId, id, true);

/** Brings a deleted run back unchanged. */
export const restoreRun = (db: Database, tenantId: string, id: string) => setDeleted(db, tenantId, id, false);
