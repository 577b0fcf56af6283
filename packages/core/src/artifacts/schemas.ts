import { z } from "zod";
import { id, text } from "../shared/common-schemas";
import { LIMITS } from "../shared/limits";

/** A relative artifact path; the server validates the fully decoded form again before touching a store. */
const artifactPath = text().max(LIMITS.artifactPath);

export const LogArtifactQuery = z.object({ id: id(), artifact_path: artifactPath.optional() });
export const ArtifactUploaded = z.object({ path: z.string(), size: z.int(), sha256: z.string() });
export const ListArtifactsInput = z.object({ id: id(), path: artifactPath.optional() });
export const ArtifactList = z.object({
  files: z.array(z.object({ path: z.string(), is_dir: z.boolean(), size: z.int().nullable() })),
});
export const DownloadArtifactInput = z.object({ id: id(), path: artifactPath });
