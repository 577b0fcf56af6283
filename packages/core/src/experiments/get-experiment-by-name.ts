import { and, desc, eq } from "drizzle-orm";
import type { Database } from "../db";
import { experiments } from "../db/schema";
import { notFound } from "../shared/errors";
import type { ExperimentResponse } from "./schemas";
import { toExperimentResponse } from "./to-response";

/**
 * The experiment of a name (case-sensitive): the active one, else the most recently archived one of that
 * name (names are unique among active experiments only); NOT_FOUND when none has it.
 */
export async function getExperimentByNameOrThrow(
  db: Database,
  tenantId: string,
  name: string,
): Promise<ExperimentResponse> {
  const [row] = await db
    .select()
    .from(experiments)
    .where(and(eq(experiments.tenantId, tenantId), eq(experiments.name, name)))
    .orderBy(experiments.lifecycleStage, desc(experiments.updatedAt), desc(experiments.id))
    .limit(1);
  if (!row) throw notFound("Experiment named", name);
  return toExperimentResponse(row);
}
