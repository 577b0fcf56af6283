import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { type ArtifactSettings, parseS3Uri } from "@stepwise/core";
import { TEST_ARTIFACTS } from "./app";
import { s3ArtifactSettings, s3Leftovers, testS3 } from "./s3";

export interface StoreUnderTest {
  name: string;
  settings: ArtifactSettings;
  /**
   * Every file stored for the experiment of a run, relative to the experiment's folder or prefix
   * (`/<run id>/artifacts/<path>`), with uploads still in progress ending in `.part`.
   */
  leftovers(runArtifactUri: string): Promise<string[]>;
}

const local: StoreUnderTest = {
  name: "local disk",
  settings: TEST_ARTIFACTS,
  async leftovers(runArtifactUri) {
    // Answers name a local folder as stepwise-artifacts:/<experiment>/<run>/artifacts, relative to the tenant's.
    const experiment = runArtifactUri.replace(/^stepwise-artifacts:\//, "").split("/")[0] as string;
    const tenant = readdirSync(TEST_ARTIFACTS.root).find((t) => existsSync(join(TEST_ARTIFACTS.root, t, experiment)));
    if (!tenant) return [];
    const experimentDir = join(TEST_ARTIFACTS.root, tenant, experiment);
    try {
      return readdirSync(experimentDir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => `${e.parentPath}/${e.name}`.slice(experimentDir.length));
    } catch {
      return [];
    }
  },
};

function s3(settings: ArtifactSettings): StoreUnderTest {
  return {
    name: "S3",
    settings,
    async leftovers(runArtifactUri) {
      const segments = parseS3Uri(runArtifactUri)?.segments ?? [];
      const { objects, uploads } = await s3Leftovers(settings, segments.slice(0, -2).join("/"));
      return [...objects, ...uploads];
    },
  };
}

/** The stores every artifact test runs on: the local disk, and S3 unless STEPWISE_TEST_S3=skip. */
export function storesUnderTest(): StoreUnderTest[] {
  const server = testS3();
  return server ? [local, s3(s3ArtifactSettings(server))] : [local];
}
