import { and, eq } from "drizzle-orm";
import type { Database } from "../db";
import { experiments } from "../db/schema";
import { notFound } from "../shared/errors";
import type { ExperimentResponse } from "./schemas";
import { toExperimentResponse } from "./to-response";

/** The experiment row, locked for update when asked; another tenant's experiment is not found. */
export async function getExperimentRowOrThrow(db: Database, tenantId: string, id: string, lock?: "update" | "share") {
  const query = db
    .select()
    .from(experiments)
    .where(and(eq(experiments.tenantId, tenantId), eq(experiments.id, id)));
  const [row] = lock ? await query.for(lock) : await query;
  if (!row) throw notFound("Experiment", id);
  return row;
}

export async function getExperimentOrThrow(db: Database, tenantId: string, id: string): Promise<ExperimentResponse> {
  return toExperimentResponse(await getExperimentRowOrThrow(db, tenantId, id));
}
