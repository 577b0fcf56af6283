import { randomUUID } from "node:crypto";
import { ListMultipartUploadsCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import type { ArtifactSettings } from "@stepwise/core";
import { inject } from "vitest";
import { TEST_BUCKET, type TestS3 } from "./s3-server";

declare module "vitest" {
  interface ProvidedContext {
    stepwiseTestS3: TestS3 | null;
  }
}

/** The test S3 server (see s3-global-setup.ts), or null when STEPWISE_TEST_S3=skip. */
export const testS3 = () => inject("stepwiseTestS3");

/** Artifact settings with a fresh s3:// root of its own on the test server (so test files never share keys). */
export function s3ArtifactSettings(s3: TestS3, secret = s3.secretAccessKey): ArtifactSettings {
  const root = `s3://${TEST_BUCKET}/${randomUUID()}`;
  return {
    root,
    allowedRoots: [root],
    s3: {
      endpoint: s3.endpoint,
      region: s3.region,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: secret },
    },
  };
}

/** Every object key under `prefix`, plus the keys of multipart uploads still in progress there (marked). */
export async function s3Leftovers(settings: ArtifactSettings, prefix: string) {
  const client = new S3Client({ ...settings.s3 });
  try {
    const keys: string[] = [];
    let ContinuationToken: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket: TEST_BUCKET, Prefix: prefix, ContinuationToken }),
      );
      keys.push(...(page.Contents ?? []).map((o) => o.Key as string));
      ContinuationToken = page.NextContinuationToken;
    } while (ContinuationToken);
    const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: TEST_BUCKET, Prefix: prefix }));
    return {
      objects: keys.map((k) => k.slice(prefix.length)),
      uploads: (uploads.Uploads ?? []).map((u) => `${(u.Key as string).slice(prefix.length)}.part`),
    };
  } finally {
    client.destroy();
  }
}
