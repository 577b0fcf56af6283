import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../db";
import { experiments } from "../db/schema";
import { conflict } from "../shared/errors";
import { isUniqueViolation } from "../shared/pg-errors";
import { getExperimentRowOrThrow } from "./get-experiment";
import type { ExperimentResponse, LifecycleStage } from "./schemas";
import { toExperimentResponse } from "./to-response";

async function setLifecycleStage(db: Database, tenantId: string, id: string, stage: LifecycleStage) {
  const [row] = await db
    .update(experiments)
    .set({ lifecycleStage: stage, updatedAt: sql`now()` })
    .where(
      and(eq(experiments.tenantId, tenantId), eq(experiments.id, id), sql`${experiments.lifecycleStage} <> ${stage}`),
    )
    .returning();
  // Already in that stage (or missing): answer with the row as it is, or 404.
  return toExperimentResponse(row ?? (await getExperimentRowOrThrow(db, tenantId, id)));
}

/** Archives an experiment; its runs and data stay, readable but closed to writes. Idempotent. */
export const archiveExperiment = (db: Database, tenantId: string, id: string): Promise<ExperimentResponse> =>
  setLifecycleStage(db, tenantId, id, "deleted");

/** Restores an archived experiment; a 409 if an active experiment has taken its name meanwhile. Idempotent. */
export async function restoreExperiment(db: Database, tenantId: string, id: string): Promise<ExperimentResponse> {
  try {
    return await setLifecycleStage(db, tenantId, id, "active");
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    throw conflict("An active experiment has taken this experiment's name; rename or archive that one, then restore");
  }
}
