import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { TEST_MAX_ARTIFACT_BYTES, testApp } from "../testing/app";
import { type ArtifactRun, bytes, newArtifactRun, sha256 } from "../testing/artifact-client";
import { storesUnderTest } from "../testing/artifact-stores";

describe.each(storesUnderTest())("artifacts on $name", (store) => {
  let t: Awaited<ReturnType<typeof testApp>>;
  let me: ArtifactRun["me"];
  let run: ArtifactRun["run"];
  let client: ArtifactRun["client"];
  beforeAll(async () => {
    t = await testApp({ artifacts: store.settings });
  });
  beforeEach(async () => {
    ({ me, run, client } = await newArtifactRun(t, "a"));
  });
  const stored = () => store.leftovers(run.artifact_uri);

  it("uploads, lists and downloads a file byte-identical", async () => {
    const data = bytes(100_000);
    const res = await client.upload(data, { folder: "checkpoints/epoch-1" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ path: "checkpoints/epoch-1/model.bin", size: 100_000, sha256: sha256(data) });
    await client.upload(bytes(3), { name: "notes.txt" });
    expect((await client.list()).body).toEqual({
      files: [
        { path: "checkpoints", is_dir: true, size: null },
        { path: "notes.txt", is_dir: false, size: 3 },
      ],
    });
    expect((await client.list("checkpoints/epoch-1")).body).toEqual({
      files: [{ path: "checkpoints/epoch-1/model.bin", is_dir: false, size: 100_000 }],
    });
    const file = await client.download("checkpoints/epoch-1/model.bin");
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("application/octet-stream");
    expect(file.headers.get("content-disposition")).toMatch(/^attachment; filename="model.bin"/);
    expect(file.headers.get("content-length")).toBe("100000");
    expect(file.headers.get("x-content-type-options")).toBe("nosniff");
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(data);
  });

  it("replaces a file uploaded again to the same path", async () => {
    await client.upload(bytes(10));
    expect((await (await client.upload(bytes(20))).json()).size).toBe(20);
    expect((await client.list()).body.files).toEqual([{ path: "model.bin", is_dir: false, size: 20 }]);
    expect(await stored()).toEqual([`/${run.id}/artifacts/model.bin`]);
  });

  it("answers 413 over the size limit and leaves nothing behind", async () => {
    const res = await client.upload(bytes(TEST_MAX_ARTIFACT_BYTES + 1));
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
    expect(await stored()).toEqual([]);
    expect((await client.upload(bytes(TEST_MAX_ARTIFACT_BYTES))).status).toBe(200);
  });

  it("answers 409 when a file would replace a folder or go inside a file, and 400 for a '/' in the file name", async () => {
    await client.upload(bytes(5), { folder: "a" }); // a/model.bin
    const overFolder = await client.upload(bytes(5), { name: "a" });
    expect(overFolder.status).toBe(409);
    expect(await overFolder.json()).toMatchObject({ code: "CONFLICT", message: expect.stringContaining("folder") });
    expect((await client.upload(bytes(5), { folder: "a/model.bin" })).status).toBe(409);
    expect((await client.upload(bytes(5), { folder: "a/model.bin/deeper" })).status).toBe(409);
    expect((await client.upload(bytes(5), { name: "sub/model.bin" })).status).toBe(400);
    expect(await stored()).toEqual([`/${run.id}/artifacts/a/model.bin`]);
  });

  it("lists an empty root, and answers 404 for a missing folder and 400 for a file listed as a folder", async () => {
    expect((await client.list()).body).toEqual({ files: [] });
    await client.upload(bytes(5), { folder: "a" });
    expect((await client.list("a/model.bin")).status).toBe(400);
    expect((await client.list("b")).status).toBe(404);
    expect((await client.download("a")).status).toBe(404);
  });

  it("answers 400 without a file, 404 for unknown runs and files, 409 for an archived experiment, 401 without a key", async () => {
    const { app, rest } = t;
    expect((await client.upload(bytes(5), { field: "other" })).status).toBe(400);
    const json = await app.request(`/api/v1/experiments/runs/${run.id}/log-artifact`, {
      method: "POST",
      headers: { authorization: `Bearer ${me.key}`, "content-type": "application/json" },
      body: "{}",
    });
    expect(json.status).toBe(400);
    // A multipart Content-Type without its boundary is the client's mistake too.
    const noBoundary = await app.request(`/api/v1/experiments/runs/${run.id}/log-artifact`, {
      method: "POST",
      headers: { authorization: `Bearer ${me.key}`, "content-type": "multipart/form-data" },
      body: "garbage",
    });
    expect(noBoundary.status).toBe(400);
    expect(await noBoundary.json()).toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("boundary"),
    });
    for (const query of ["path=a&path=b", "artifact_path=a&artifact_path=b"]) {
      const route = query.startsWith("path") ? "artifacts/download" : "log-artifact";
      const twice = await app.request(`/api/v1/experiments/runs/${run.id}/${route}?${query}`, {
        method: route === "log-artifact" ? "POST" : "GET",
        headers: { authorization: `Bearer ${me.key}` },
        body: route === "log-artifact" ? new FormData() : undefined,
      });
      expect(twice.status, query).toBe(400);
      expect(await twice.json()).toMatchObject({ message: expect.stringContaining("once") });
    }
    expect((await client.upload(bytes(5), { runId: "0190f0e0-0000-7000-8000-000000000000" })).status).toBe(404);
    expect((await client.download("nope.bin")).status).toBe(404);
    expect((await client.list("nope")).status).toBe(404);
    const anonymous = await app.request(`/api/v1/experiments/runs/${run.id}/artifacts/download?path=a`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toBe("Bearer");
    // Without a key, nothing about the input is told: 401 before the path's faults.
    for (const query of ["path=a&path=b", "path=../x"]) {
      const res = await app.request(`/api/v1/experiments/runs/${run.id}/artifacts/download?${query}`);
      expect(res.status, query).toBe(401);
    }
    const other = await t.newTenant();
    const denied = await app.request(`/api/v1/experiments/runs/${run.id}/artifacts/download?path=a`, {
      headers: { authorization: `Bearer ${me.key}`, "x-tenant-id": other.slug },
    });
    expect(denied.status).toBe(403);
    expect(await denied.json()).toEqual({ code: "FORBIDDEN", message: "Tenant access denied" });
    const foreign = await app.request(`/api/v1/experiments/runs/${run.id}/log-artifact`, {
      method: "POST",
      headers: { authorization: `Bearer ${other.key}` },
      body: new FormData(),
    });
    expect(foreign.status).toBe(404);
    const experiment = (await rest(me, "GET", `/experiments/runs/${run.id}`)).body.experiment_id;
    await rest(me, "DELETE", `/experiments/${experiment}`);
    expect((await client.upload(bytes(5))).status).toBe(409);
    expect(await stored()).toEqual([]);
  });
});
