import { S3Client } from "@aws-sdk/client-s3";
import { type ArtifactSettings, parseS3Uri } from "../experiments/artifact-location";
import { localStore } from "./local-store";
import { s3Store } from "./s3-store";

export type { ArtifactEntry, ArtifactStore, ArtifactUploadResult } from "./store-types";

import type { ArtifactStore } from "./store-types";

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
