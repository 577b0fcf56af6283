import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { testApp } from "../testing/app";
import { type ArtifactRun, newArtifactRun, randomData, sha256 } from "../testing/artifact-client";
import { storesUnderTest } from "../testing/artifact-stores";

// Large enough for S3 multipart uploads (8 MiB parts): parts are sent before the limit or a disconnect hits.
const MiB = 1024 * 1024;
const LIMIT = 24 * MiB;

describe.each(storesUnderTest())("large uploads on $name", (store) => {
  let t: Awaited<ReturnType<typeof testApp>>;
  let me: ArtifactRun["me"];
  let run: ArtifactRun["run"];
  let client: ArtifactRun["client"];
  beforeAll(async () => {
    t = await testApp({ artifacts: store.settings, maxArtifactBytes: LIMIT });
  });
  beforeEach(async () => {
    ({ me, run, client } = await newArtifactRun(t, "big"));
  });
  const stored = () => store.leftovers(run.artifact_uri);

  it("stores a file of several parts byte-identical, with its size and sha256", async () => {
    const data = randomData(20 * MiB + 123);
    const res = await client.upload(data, { name: "weights.pt" });
    expect(await res.json()).toEqual({ path: "weights.pt", size: data.length, sha256: sha256(data) });
    const file = await client.download("weights.pt");
    expect(file.headers.get("content-length")).toBe(String(data.length));
    expect(sha256(new Uint8Array(await file.arrayBuffer()))).toBe(sha256(data));
    expect(await stored()).toEqual([`/${run.id}/artifacts/weights.pt`]);
  });

  it("answers 413 when the limit is passed after parts were sent, and leaves no object or part behind", async () => {
    const res = await client.upload(randomData(LIMIT + 1));
    expect(res.status).toBe(413);
    expect(await stored()).toEqual([]);
  });

  it("leaves nothing behind when the client disconnects halfway", async () => {
    const boundary = "----stepwise-test";
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="half.bin"\r\n\r\n`;
    let sawUploadInProgress = false;
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(new TextEncoder().encode(head));
        controller.enqueue(randomData(12 * MiB));
        // Disconnect once the store has started receiving (a temporary file, a multipart upload).
        for (let i = 0; i < 200 && !sawUploadInProgress; i++) {
          await new Promise((r) => setTimeout(r, 25));
          sawUploadInProgress = (await stored()).some((f) => f.endsWith(".part"));
        }
        controller.error(new Error("client gone"));
      },
    });
    const res = await t.app.request(`/api/v1/experiments/runs/${run.id}/log-artifact`, {
      method: "POST",
      headers: { authorization: `Bearer ${me.key}`, "content-type": `multipart/form-data; boundary=${boundary}` },
      body,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(400);
    expect(sawUploadInProgress).toBe(true);
    for (let i = 0; i < 50 && (await stored()).length > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await stored()).toEqual([]);
    expect((await client.list()).body.files).toEqual([]);
  });
});
