import type { Readable } from "node:stream";

export interface ArtifactUploadResult {
  path: string;
  size: number;
  sha256: string;
}
export interface ArtifactEntry {
  path: string;
  is_dir: boolean;
  size: number | null;
}

/**
 * One run's artifacts on one store. Paths are validated segments (see artifact-path.ts); a store builds
 * its storage keys from the run's root and those segments only.
 */
export interface ArtifactStore {
  /** Streams `source` to `<folder>/<fileName>`, hashed and counted; visible only once complete. */
  save(folder: string[], fileName: string, source: Readable, maxBytes: number): Promise<ArtifactUploadResult>;
  /** The files and folders directly in `folder`, sorted by name. */
  list(folder: string[]): Promise<{ files: ArtifactEntry[] }>;
  /** A stored file to stream back, or NOT_FOUND. */
  open(segments: string[]): Promise<{ size: number; stream: Readable }>;
}
