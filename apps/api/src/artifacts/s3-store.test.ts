import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { TEST_ARTIFACTS, testApp } from "../testing/app";
import { artifactClient, bytes } from "../testing/artifact-client";
import { storesUnderTest } from "../testing/artifact-stores";
import { s3ArtifactSettings, testS3 } from "../testing/s3";
import { TEST_BUCKET } from "../testing/s3-server";

const server = testS3();

describe.skipIf(!server)("the S3 store", () => {
  const s3 = server as NonNullable<typeof server>;

  it("runs against a server that checks signatures: a wrong secret is a 403", async () => {
    const settings = s3ArtifactSettings(s3, "wrong-secret");
    const client = new S3Client({ ...settings.s3 });
    const error = await client.send(new ListObjectsV2Command({ Bucket: TEST_BUCKET })).catch((e) => e);
    client.destroy();
    expect(error.$metadata?.httpStatusCode).toBe(403);
  });

  it("answers a generic 500 when the store refuses the server's credentials, and stores nothing", async () => {
    const wrong = s3ArtifactSettings(s3, "wrong-secret");
    const t = await testApp({ artifacts: wrong });
    const me = await t.newTenant();
    const experiment = (await t.rest(me, "POST", "/experiments", { body: { name: "a" } })).body;
    const run = (await t.rest(me, "POST", "/experiments/runs", { body: { experiment_id: experiment.id } })).body;
    const res = await artifactClient(t, me, run.id).upload(bytes(5));
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({
      code: "INTERNAL_SERVER_ERROR",
      message: "Internal server error",
      request_id: res.headers.get("x-request-id"),
    });
    expect((await artifactClient(t, me, run.id).list()).status).toBe(500);
    const withRightSecret = storesUnderTest().find((s) => s.name === "S3");
    expect(await withRightSecret?.leftovers(run.artifact_uri)).toEqual([]);
  });

  it("serves an experiment whose artifact_location names an allowed s3:// root on a server that stores locally", async () => {
    const s3Settings = s3ArtifactSettings(s3);
    const t = await testApp({ artifacts: { ...TEST_ARTIFACTS, allowedRoots: [s3Settings.root], s3: s3Settings.s3 } });
    const me = await t.newTenant();
    const location = `${s3Settings.root}/team-a`;
    const experiment = await t.rest(me, "POST", "/experiments", { body: { name: "a", artifact_location: location } });
    expect(experiment.body.artifact_location).toBe(location);
    const run = (await t.rest(me, "POST", "/experiments/runs", { body: { experiment_id: experiment.body.id } })).body;
    expect(run.artifact_uri).toBe(`${location}/${run.id}/artifacts`);
    const client = artifactClient(t, me, run.id);
    expect((await client.upload(bytes(7), { folder: "x" })).status).toBe(200);
    expect((await client.list("x")).body.files).toEqual([{ path: "x/model.bin", is_dir: false, size: 7 }]);
    expect(new Uint8Array(await (await client.download("x/model.bin")).arrayBuffer())).toEqual(bytes(7));
  });
});
