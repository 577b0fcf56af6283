import type { Database } from "../db";
import { getRunRowOrThrow } from "../runs/get-run";
import { artifactPathSegments } from "./artifact-path";
import { listArtifactFolder, localArtifactDir } from "./local-store";

export async function listArtifacts(db: Database, tenantId: string, input: { id: string; path?: string }) {
  const { run } = await getRunRowOrThrow(db, tenantId, input.id);
  return listArtifactFolder(localArtifactDir(run.artifactUri), artifactPathSegments(input.path, "path"));
}
