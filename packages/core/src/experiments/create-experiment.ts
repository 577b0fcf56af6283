import type { Database } from "../db";
import { experiments } from "../db/schema";
import { conflict } from "../shared/errors";
import { newId, one } from "../shared/ids";
import { isUniqueViolation } from "../shared/pg-errors";
import { type ArtifactSettings, checkArtifactLocation, defaultArtifactLocation } from "./artifact-location";
import type { CreateExperimentInput, ExperimentResponse } from "./schemas";
import { toExperimentResponse } from "./to-response";

export const nameTaken = (name: string) =>
  conflict(`An active experiment named '${name}' already exists; pick another name or archive that one first`);

export async function createExperiment(
  db: Database,
  tenantId: string,
  input: CreateExperimentInput,
  artifacts: ArtifactSettings,
  /** A fixed id (the tenant's Default experiment of the MLflow API); a new one when left out. */
  fixedId?: string,
): Promise<ExperimentResponse> {
  const id = fixedId ?? newId();
  const artifactLocation =
    input.artifact_location !== undefined
      ? checkArtifactLocation(input.artifact_location, artifacts, tenantId)
      : defaultArtifactLocation(artifacts, tenantId, id);
  try {
    const row = one(
      await db
        .insert(experiments)
        .values({
          tenantId,
          id,
          name: input.name,
          description: input.description ?? null,
          artifactLocation,
          tags: input.tags ?? {},
        })
        .returning(),
    );
    return toExperimentResponse(row);
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(input.name);
    throw error;
  }
}
