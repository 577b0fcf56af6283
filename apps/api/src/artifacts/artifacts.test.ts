import { createHash } from "node:crypto";
import { readdirSync } from "node:fs";
import { dirname } from "node:path";
import type { TestTenant } from "@stepwise/core/testing";
import { beforeEach, describe, expect, it } from "vitest";
import { TEST_MAX_ARTIFACT_BYTES, testApp } from "../testing/app";

const { app, rest, newTenant } = await testApp();
let me: TestTenant;
let run: { id: string; artifact_uri: string };
beforeEach(async () => {
  me = await newTenant();
  const experiment = (await rest(me, "POST", "/experiments", { body: { name: "a" } })).body;
  run = (await rest(me, "POST", "/experiments/runs", { body: { experiment_id: experiment.id } })).body;
});

function upload(
  bytes: Uint8Array<ArrayBuffer>,
  options: { name?: string; folder?: string; field?: string; runId?: string } = {},
) {
  const form = new FormData();
  form.append(options.field ?? "file", new Blob([bytes]), options.name ?? "model.bin");
  const query = options.folder === undefined ? "" : `?${new URLSearchParams({ artifact_path: options.folder })}`;
  return app.request(`/api/v1/experiments/runs/${options.runId ?? run.id}/log-artifact${query}`, {
    method: "POST",
    headers: { authorization: `Bearer ${me.key}` },
    body: form,
  });
}
const download = (path: string) =>
  app.request(`/api/v1/experiments/runs/${run.id}/artifacts/download?${new URLSearchParams({ path })}`, {
    headers: { authorization: `Bearer ${me.key}` },
  });
const list = (path?: string) =>
  rest(
    me,
    "GET",
    `/experiments/runs/${run.id}/artifacts${path === undefined ? "" : `?${new URLSearchParams({ path })}`}`,
  );
/** Every file under the run's folder and its temporary uploads, relative to the experiment folder. */
function filesOnDisk(): string[] {
  const experimentDir = dirname(dirname(run.artifact_uri));
  try {
    return readdirSync(experimentDir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => `${e.parentPath ?? e.path}/${e.name}`.slice(experimentDir.length));
  } catch {
    return [];
  }
}
const bytes = (n: number): Uint8Array<ArrayBuffer> => Uint8Array.from({ length: n }, (_, i) => (i * 7) % 256);
const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

describe("artifacts", () => {
  it("uploads, lists and downloads a file byte-identical", async () => {
    const data = bytes(100_000);
    const res = await upload(data, { folder: "checkpoints/epoch-1" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ path: "checkpoints/epoch-1/model.bin", size: 100_000, sha256: sha256(data) });
    expect((await list()).body).toEqual({ files: [{ path: "checkpoints", is_dir: true, size: null }] });
    expect((await list("checkpoints/epoch-1")).body).toEqual({
      files: [{ path: "checkpoints/epoch-1/model.bin", is_dir: false, size: 100_000 }],
    });
    const file = await download("checkpoints/epoch-1/model.bin");
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("application/octet-stream");
    expect(file.headers.get("content-disposition")).toMatch(/^attachment; filename="model.bin"/);
    expect(file.headers.get("content-length")).toBe("100000");
    expect(file.headers.get("x-content-type-options")).toBe("nosniff");
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(data);
  });

  it("replaces a file uploaded again to the same path", async () => {
    await upload(bytes(10));
    expect((await (await upload(bytes(20))).json()).size).toBe(20);
    expect((await list()).body.files).toEqual([{ path: "model.bin", is_dir: false, size: 20 }]);
    expect(filesOnDisk()).toEqual([`/${run.id}/artifacts/model.bin`]);
  });

  it("answers 413 over the size limit and leaves nothing behind", async () => {
    const res = await upload(bytes(TEST_MAX_ARTIFACT_BYTES + 1));
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
    expect(filesOnDisk()).toEqual([]);
    expect((await upload(bytes(TEST_MAX_ARTIFACT_BYTES))).status).toBe(200);
  });

  it("answers 400 without a file, 404 for unknown runs and files, 409 for an archived experiment, 401 without a key", async () => {
    expect((await upload(bytes(5), { field: "other" })).status).toBe(400);
    const json = await app.request(`/api/v1/experiments/runs/${run.id}/log-artifact`, {
      method: "POST",
      headers: { authorization: `Bearer ${me.key}`, "content-type": "application/json" },
      body: "{}",
    });
    expect(json.status).toBe(400);
    expect((await upload(bytes(5), { runId: "0190f0e0-0000-7000-8000-000000000000" })).status).toBe(404);
    expect((await download("nope.bin")).status).toBe(404);
    expect((await list("nope")).status).toBe(404);
    const anonymous = await app.request(`/api/v1/experiments/runs/${run.id}/artifacts/download?path=a`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toBe("Bearer");
    const other = await newTenant();
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
    expect((await upload(bytes(5))).status).toBe(409);
    expect(filesOnDisk()).toEqual([]);
  });

  it("leaves nothing behind when the client disconnects halfway", async () => {
    const boundary = "----stepwise-test";
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="half.bin"\r\n\r\n`;
    let sawTemporaryFile = false;
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(new TextEncoder().encode(head));
        controller.enqueue(bytes(50_000));
        // Disconnect once the server has started writing the temporary file.
        for (let i = 0; i < 100 && !sawTemporaryFile; i++) {
          await new Promise((r) => setTimeout(r, 10));
          sawTemporaryFile = filesOnDisk().some((f) => f.endsWith(".part"));
        }
        controller.error(new Error("client gone"));
      },
    });
    const res = await app.request(`/api/v1/experiments/runs/${run.id}/log-artifact`, {
      method: "POST",
      headers: { authorization: `Bearer ${me.key}`, "content-type": `multipart/form-data; boundary=${boundary}` },
      body,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(400);
    expect(sawTemporaryFile).toBe(true);
    for (let i = 0; i < 50 && filesOnDisk().length > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(filesOnDisk()).toEqual([]);
    expect((await list()).body.files).toEqual([]);
  });

  it("says plainly that runs with S3 artifact locations are not served yet (501)", async () => {
    const experiment = await rest(me, "POST", "/experiments", {
      body: { name: "s3", artifact_location: "s3://test-bucket/stepwise/x" },
    });
    const s3Run = (await rest(me, "POST", "/experiments/runs", { body: { experiment_id: experiment.body.id } })).body;
    const res = await upload(bytes(5), { runId: s3Run.id });
    expect(res.status).toBe(501);
    expect(await res.json()).toMatchObject({ code: "NOT_IMPLEMENTED", message: expect.stringContaining("S3") });
  });
});

const HOSTILE = [
  "..",
  ".",
  "...",
  "../x",
  "x/..",
  "a/../b",
  "./a",
  "a/./b",
  "a//b",
  "/abs",
  "/etc/passwd",
  "a/",
  "a/b/",
  "a\\b",
  "..\\x",
  "C:/x",
  "c:x",
  "C:\\x",
  "a\u0000b",
  "\u0000",
  "%2e%2e",
  "%2e%2e/x",
  "%2E%2E%2F",
  "%252e%252e",
  "%252e%252e%252f",
  "..%2f",
  "..%5c",
  "%2fetc",
  "a%00b",
  "%00",
  "%5c",
  "%2e",
  "%25",
  " ",
  " a",
  "a ",
  "a/ /b",
  "a:b",
  "a*b",
  "a?b",
  'a"b',
  "a<b>",
  "a|b",
  "\u202egnp.exe",
  "a\nb",
  "a\tb",
  "~/../x",
  "x/../../../../etc",
  "%c0%ae%c0%ae/x",
];

describe("hostile paths", () => {
  it.each(HOSTILE)(
    "rejects %j in artifact_path, file name, list path and download path; writes nothing",
    async (hostile) => {
      expect((await upload(bytes(5), { folder: hostile })).status, "artifact_path").toBe(400);
      expect((await upload(bytes(5), { name: hostile })).status, "file name").toBe(400);
      if (hostile !== "") expect((await list(hostile)).status, "list path").toBe(400);
      expect((await download(hostile)).status, "download path").toBe(400);
      expect(filesOnDisk()).toEqual([]);
    },
  );

  it("holds at least 40 hostile strings", () => expect(HOSTILE.length).toBeGreaterThanOrEqual(40));
});
