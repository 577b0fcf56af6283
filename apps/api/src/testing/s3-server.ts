import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { CreateBucketCommand, S3Client, S3ServiceException } from "@aws-sdk/client-s3";

export const TEST_BUCKET = "stepwise-test";
const SCRIPT = resolve(import.meta.dirname, "../../../../scripts/s3-test-server.sh");

export interface TestS3 {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * The S3-compatible server for tests and benchmarks, from STEPWISE_TEST_S3_* or, when they are unset,
 * the one scripts/s3-test-server.sh installs and starts; with TEST_BUCKET created.
 */
export async function findTestS3(): Promise<TestS3> {
  const env: Record<string, string | undefined> = { ...process.env };
  if (!env.STEPWISE_TEST_S3_ENDPOINT) {
    let output: string;
    try {
      output = execFileSync("bash", [SCRIPT], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    } catch {
      throw new Error(
        `The S3 tests need an S3-compatible server: ${SCRIPT} (run as root) installs and starts one, or set STEPWISE_TEST_S3_ENDPOINT, _ACCESS_KEY_ID, _SECRET_ACCESS_KEY and _REGION; STEPWISE_TEST_S3=skip leaves the S3 tests out`,
      );
    }
    for (const [, name, value] of output.matchAll(/^export (STEPWISE_TEST_S3_\w+)=(.*)$/gm))
      env[name as string] = value;
  }
  const need = (name: string) => {
    const value = env[`STEPWISE_TEST_S3_${name}`];
    if (!value) throw new Error(`STEPWISE_TEST_S3_${name} is not set`);
    return value;
  };
  const s3 = {
    endpoint: need("ENDPOINT"),
    region: need("REGION"),
    accessKeyId: need("ACCESS_KEY_ID"),
    secretAccessKey: need("SECRET_ACCESS_KEY"),
  };
  const client = new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });
  try {
    await client.send(new CreateBucketCommand({ Bucket: TEST_BUCKET })).catch((error) => {
      if (!(error instanceof S3ServiceException && /BucketAlready(OwnedByYou|Exists)/.test(error.name))) throw error;
    });
  } finally {
    client.destroy();
  }
  return s3;
}
