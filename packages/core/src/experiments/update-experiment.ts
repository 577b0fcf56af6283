import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../db";
import { experiments } from "../db/schema";
import { TAGS_PER_ENTITY_MESSAGE } from "../shared/common-schemas";
import { invalid } from "../shared/errors";
import { LIMITS } from "../shared/limits";
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
  const merged = input.tags
    ? sql`(${experiments.tags} || ${JSON.stringify(set)}::jsonb) - array(select jsonb_array_elements_text(${JSON.stringify(removed)}::jsonb))`
    : undefined;
  try {
    const [row] = await db
      .update(experiments)
      .set({ name: input.name, description: input.description, tags: merged, updatedAt: sql`now()` })
      .where(
        and(
          eq(experiments.tenantId, tenantId),
          eq(experiments.id, input.id),
          // The merged tags within the limit, checked in the same statement as the write.
          merged && sql`(select count(*) from jsonb_object_keys(${merged})) <= ${LIMITS.tagsPerEntity}`,
        ),
      )
      .returning();
    if (row) return toExperimentResponse(row);
    // No row updated: a missing experiment (404), or one whose tags would go over the limit.
    await getExperimentRowOrThrow(db, tenantId, input.id);
    throw invalid(`${TAGS_PER_ENTITY_MESSAGE}: these tags would take it over`, "tags");
  } catch (error) {
    if (isUniqueViolation(error) && input.name) throw nameTaken(input.name);
    throw error;
  }
}
