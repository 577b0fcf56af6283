import type { tables } from "../db";
import type { ExperimentResponse } from "./schemas";

export const toExperimentResponse = (row: typeof tables.experiments.$inferSelect): ExperimentResponse => ({
  id: row.id,
  name: row.name,
  description: row.description,
  artifact_location: row.artifactLocation,
  lifecycle_stage: row.lifecycleStage,
  tags: row.tags,
  created_at: row.createdAt.toISOString(),
  updated_at: row.updatedAt.toISOString(),
});
