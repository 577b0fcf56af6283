import type { Database } from "../db";
import type { ArtifactSettings } from "../experiments/artifact-location";
import { getRunRowOrThrow } from "../runs/get-run";
import { artifactPathSegments } from "./artifact-path";
import { artifactStore } from "./store";

export async function listArtifacts(
  db: Database,
  tenantId: string,
  input: { id: string; path?: string },
  artifacts: ArtifactSettings,
) {
  const { run } = await getRunRowOrThrow(db, tenantId, input.id);
  return artifactStore(run.artifactUri, artifacts).list(artifactPathSegments(input.path, "path"));
}
