import type { tables } from "../db";
import type { ExperimentResponse } from "./schemas";

/** The scheme of an artifact location in the server's own local store, relative to the tenant's folder. */
export const LOCAL_ARTIFACT_SCHEME = "stepwise-artifacts:";

/**
 * What answers show of a stored artifact location: an s3:// URI as it is (the operator or the client named it),
 * a folder of the local store as `stepwise-artifacts:/<experiment>[/<run>/artifacts]`, so that no answer shows
 * the server's file system layout. The stored value, which the store reads, is unchanged.
 */
export const logicalArtifactUri = (stored: string, relative: string) =>
  stored.startsWith("s3://") ? stored : `${LOCAL_ARTIFACT_SCHEME}/${relative}`;

export const toExperimentResponse = (row: typeof tables.experiments.$inferSelect): ExperimentResponse => ({
  id: row.id,
  name: row.name,
  description: row.description,
  artifact_location: logicalArtifactUri(row.artifactLocation, row.id),
  lifecycle_stage: row.lifecycleStage,
  tags: row.tags,
  created_at: row.createdAt.toISOString(),
  updated_at: row.updatedAt.toISOString(),
});
