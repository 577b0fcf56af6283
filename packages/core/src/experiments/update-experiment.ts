import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../db";
import { experiments } from "../db/schema";
import { isUniqueViolation } from "../shared/pg-errors";
import { nameTaken } from "./create-experiment";
import { getExperimentRowOrThrow } from "./get-experiment";
import type { ExperimentResponse, UpdateExperimentInput } from "./schemas";
import { toExperimentResponse } from "./to-response";

/** Renames, re-describes and merges tags (a null value removes that key), in one statement. */
export async function updateExperiment(
  db: Database,
  tenantId: string,
  input: UpdateExperimentInput,
): Promise<ExperimentResponse> {
  const tags = Object.entries(input.tags ?? {});
  const set = Object.fromEntries(tags.filter(([, v]) => v !== null));
  const removed = tags.filter(([, v]) => v === null).map(([k]) => k);
  try {
    const [row] = await db
      .update(experiments)
      .set({
        name: input.name,
        description: input.description,
        tags: input.tags
          ? sql`(${experiments.tags} || ${JSON.stringify(set)}::jsonb) - array(select jsonb_array_elements_text(${JSON.stringify(removed)}::jsonb))`
          : undefined,
        updatedAt: sql`now()`,
      })
      .where(and(eq(experiments.tenantId, tenantId), eq(experiments.id, input.id)))
      .returning();
    return row
      ? toExperimentResponse(row)
      : toExperimentResponse(await getExperimentRowOrThrow(db, tenantId, input.id));
  } catch (error) {
    if (isUniqueViolation(error) && input.name) throw nameTaken(input.name);
    throw error;
  }
}
