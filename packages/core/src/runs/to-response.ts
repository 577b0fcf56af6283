import type { tables } from "../db";
import { logicalArtifactUri } from "../experiments/to-response";
import type { RunResponse } from "./schemas";

export const toRunResponse = (
  row: typeof tables.runs.$inferSelect,
  metrics: RunResponse["metrics"] = {},
): RunResponse => ({
  id: row.id,
  experiment_id: row.experimentId,
  name: row.name,
  description: row.description,
  status: row.status,
  start_time: row.startTime.toISOString(),
  end_time: row.endTime?.toISOString() ?? null,
  artifact_uri: logicalArtifactUri(row.artifactUri, `${row.experimentId}/${row.id}/artifacts`),
  parent_run_id: row.parentRunId,
  deleted_at: row.deletedAt?.toISOString() ?? null,
  tags: row.tags,
  params: row.params,
  metrics,
  created_at: row.createdAt.toISOString(),
  updated_at: row.updatedAt.toISOString(),
});
