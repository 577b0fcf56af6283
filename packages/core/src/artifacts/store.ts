import type { Readable } from "node:stream";
import { S3Client } from "@aws-sdk/client-s3";
import { type ArtifactSettings, parseS3Uri } from "../experiments/artifact-location";
import { localStore } from "./local-store";
import { s3Store } from "./s3-store";

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

/** One S3 client per settings object: it holds the connection pool. */
const clients = new WeakMap<ArtifactSettings, S3Client>();

function s3Client(settings: ArtifactSettings) {
  let client = clients.get(settings);
  if (!client) {
    client = new S3Client({
      ...settings.s3,
      // S3-compatible stores do not all accept the SDK's default CRC32 checksum headers.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    });
    clients.set(settings, client);
  }
  return client;
}

/** The store of a run's `artifact_uri`: an absolute local folder, or `s3://bucket/prefix`. */
export { ArtifactStoreError } from "./store-helpers";

export function artifactStore(artifactUri: string, settings: ArtifactSettings): ArtifactStore {
  const location = parseS3Uri(artifactUri);
  if (location) return s3Store(s3Client(settings), location.bucket, location.segments);
  return localStore(artifactUri);
}
