import { LIMITS } from "@stepwise/core";
import type { TestTenant } from "@stepwise/core/testing";
import { beforeEach, describe, expect, it } from "vitest";
import { testApp } from "../testing/app";
import { artifactClient } from "../testing/artifact-client";

// Issue 16: client input that PostgreSQL cannot store, or cannot store exactly, is a 400 naming the rule, and
// nothing of the request is written (core's shared schemas and domain functions; on PGlite and PostgreSQL).
const t = await testApp();
const { rest } = t;
let me: TestTenant;
let experimentId: string;
let runId: string;
beforeEach(async () => {
  me = await t.newTenant();
  experimentId = (await rest(me, "POST", "/experiments", { body: { name: "exp" } })).body.id;
  runId = (await rest(me, "POST", "/experiments/runs", { body: { experiment_id: experimentId } })).body.id;
});

const LONE = "a\ud800b"; // JSON.stringify sends it as the escape "\ud800", which JSON.parse turns back into it
const experiments = async () => (await rest(me, "GET", "/experiments")).body.experiments;
const run = async (id = runId) => (await rest(me, "GET", `/experiments/runs/${id}`)).body;
const runs = async () => (await rest(me, "GET", `/experiments/runs?experiment_id=${experimentId}`)).body.runs;
const expect400 = (res: { status: number; body: { code: string; message: string } }, message: RegExp) => {
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  expect(res.body.code).toBe("BAD_REQUEST");
  expect(JSON.stringify(res.body)).toMatch(message);
};

describe("a lone UTF-16 surrogate in a string", () => {
  it("is a 400 in every string field of experiments, and nothing is written", async () => {
    const before = await experiments();
    for (const body of [
      { name: LONE },
      { name: "ok", description: LONE },
      { name: "ok", tags: { team: LONE } },
      { name: "ok", tags: { [LONE]: "x" } },
    ]) {
      expect400(await rest(me, "POST", "/experiments", { body }), /lone UTF-16 surrogate|key may hold only/);
    }
    for (const body of [{ name: LONE }, { description: LONE }, { tags: { team: LONE } }]) {
      expect400(await rest(me, "PATCH", `/experiments/${experimentId}`, { body }), /lone UTF-16 surrogate/);
    }
    expect(await experiments()).toEqual(before);
  });

  it("is a 400 in run names, descriptions, tags and params, and in log-batch, and nothing is written", async () => {
    const before = await run();
    for (const body of [
      { experiment_id: experimentId, name: LONE },
      { experiment_id: experimentId, description: LONE },
      { experiment_id: experimentId, tags: { t: LONE } },
    ]) {
      expect400(await rest(me, "POST", "/experiments/runs", { body }), /lone UTF-16 surrogate/);
    }
    expect(await runs()).toHaveLength(1);
    const log = (action: string, body: unknown) => rest(me, "POST", `/experiments/runs/${runId}/${action}`, { body });
    expect400(await log("log-params", { params: { lr: LONE } }), /lone UTF-16 surrogate/);
    const metrics = [{ key: "loss", value: 1, step: 1 }];
    expect400(await log("log-batch", { metrics, tags: [{ key: "t", value: LONE }] }), /lone UTF-16 surrogate/);
    expect400(await log("log-batch", { metrics, params: [{ key: "p", value: LONE }] }), /lone UTF-16 surrogate/);
    expect(await run()).toEqual(before);
  });

  it("is fine when paired: an emoji is stored and answered as sent", async () => {
    const res = await rest(me, "POST", "/experiments", { body: { name: "ok 😀", tags: { t: "\ud83d\ude00" } } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: "ok 😀", tags: { t: "😀" } });
  });
});

describe("times", () => {
  const create = (start_time: string) =>
    rest(me, "POST", "/experiments/runs", { body: { experiment_id: experimentId, start_time } });

  it("refuses start_time and end_time outside 1970-9999 (year 0, years 1-99, a year 10000 by its offset)", async () => {
    for (const time of [
      "0000-01-01T00:00:00Z",
      "0050-06-01T12:00:00.000Z",
      "1969-12-31T23:59:59.999Z",
      "9999-12-31T23:00:00-05:00",
    ]) {
      expect400(await create(time), /between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z/);
      expect400(
        await rest(me, "POST", `/experiments/runs/${runId}/end`, { body: { end_time: time } }),
        /between 1970-01-01/,
      );
    }
    expect(await runs()).toHaveLength(1);
    expect(await run()).toMatchObject({ status: "RUNNING", end_time: null });
  });

  it("stores the ends of the range exactly", async () => {
    for (const time of ["1970-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z"]) {
      const created = await create(time);
      expect(created.status).toBe(201);
      expect((await run(created.body.id)).start_time).toBe(time);
    }
    const ended = await rest(me, "POST", `/experiments/runs/${runId}/end`, {
      body: { end_time: "9999-12-31T23:59:59.999Z" },
    });
    expect(ended.body.end_time).toBe("9999-12-31T23:59:59.999Z");
  });

  it("refuses metric timestamps past 9999 and stores the last one exactly", async () => {
    const max = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
    const log = (timestamp: number) =>
      rest(me, "POST", `/experiments/runs/${runId}/log-batch`, {
        body: { metrics: [{ key: "m", value: 1, step: 1, timestamp }] },
      });
    expect400(await log(max + 1), /timestamp must be at most/);
    expect400(await log(Number.MAX_SAFE_INTEGER), /timestamp must be at most/);
    expect((await run()).metrics).toEqual({});
    expect((await log(max)).status).toBe(200);
    expect((await run()).metrics.m).toEqual({ value: 1, step: 1, timestamp: max });
  });
});

describe("tags per experiment and run", () => {
  const tags = (n: number, prefix = "k") =>
    Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, "v"]));
  const limit = LIMITS.tagsPerEntity;
  const message = new RegExp(`at most ${limit} tags`);

  it("are at most tagsPerEntity on create and update of an experiment, also merged; nothing is written", async () => {
    expect400(await rest(me, "POST", "/experiments", { body: { name: "many", tags: tags(limit + 1) } }), message);
    expect((await experiments()).map((e: { name: string }) => e.name)).toEqual(["exp"]);
    const full = await rest(me, "POST", "/experiments", { body: { name: "full", tags: tags(limit) } });
    expect(full.status).toBe(201);
    expect400(await rest(me, "PATCH", `/experiments/${full.body.id}`, { body: { tags: { extra: "v" } } }), message);
    const after = await rest(me, "GET", `/experiments/${full.body.id}`);
    expect(Object.keys(after.body.tags)).toHaveLength(limit);
    expect(after.body.tags.extra).toBeUndefined();
    // Replacing one and removing one stays within the limit.
    const swap = await rest(me, "PATCH", `/experiments/${full.body.id}`, { body: { tags: { k0: null, extra: "v" } } });
    expect(swap.status).toBe(200);
    expect(Object.keys(swap.body.tags)).toHaveLength(limit);
    // The 404 of a missing experiment stays a 404.
    const missing = await rest(me, "PATCH", "/experiments/0190f0e0-0000-7000-8000-000000000000", {
      body: { tags: { a: "b" } },
    });
    expect(missing.status).toBe(404);
  });

  it("are at most tagsPerEntity on a new run and after a log-batch merges its tags; nothing is written", async () => {
    expect400(
      await rest(me, "POST", "/experiments/runs", { body: { experiment_id: experimentId, tags: tags(limit + 1) } }),
      message,
    );
    const full = await rest(me, "POST", "/experiments/runs", {
      body: { experiment_id: experimentId, tags: tags(limit) },
    });
    expect(full.status).toBe(201);
    const batch = (body: unknown) => rest(me, "POST", `/experiments/runs/${full.body.id}/log-batch`, { body });
    const before = await run(full.body.id);
    expect400(
      await batch({ metrics: [{ key: "m", value: 1, step: 1 }], tags: [{ key: "one-more", value: "v" }] }),
      message,
    );
    expect(await run(full.body.id)).toEqual(before);
    // Setting tags it already has is no growth.
    expect((await batch({ tags: [{ key: "k1", value: "new" }] })).status).toBe(200);
    expect((await run(full.body.id)).tags.k1).toBe("new");
  });
});

describe("run IDs in upper case", () => {
  it("find the same run in GET, compare and log calls as in lower case", async () => {
    const other = (await rest(me, "POST", "/experiments/runs", { body: { experiment_id: experimentId } })).body.id;
    await rest(me, "POST", `/experiments/runs/${runId.toUpperCase()}/log-batch`, {
      body: { metrics: [{ key: "loss", value: 0.5, step: 1 }] },
    });
    expect((await rest(me, "GET", `/experiments/runs/${runId.toUpperCase()}`)).body.id).toBe(runId);
    const compared = await rest(me, "POST", "/experiments/runs/compare", {
      body: { run_ids: [runId.toUpperCase(), other] },
    });
    expect(compared.status).toBe(200);
    expect(compared.body.runs.map((r: { id: string }) => r.id)).toEqual([runId, other]);
    expect(compared.body.metrics).toEqual([
      { key: "loss", runs: { [runId]: expect.objectContaining({ last: expect.anything() }), [other]: null } },
    ]);
  });
});

describe("artifact names", () => {
  const client = () => artifactClient(t, me, runId);
  const file = new Uint8Array([1, 2, 3]);
  const listed = async () => (await client().list()).body.files;

  it("are at most 255 UTF-8 bytes per segment, counted in bytes, on upload and listing; nothing is stored", async () => {
    const name256 = "ü".repeat(128); // 128 characters, 256 bytes
    for (const upload of [
      () => client().upload(file, { name: name256 }),
      () => client().upload(file, { name: "a.bin", folder: name256 }),
      () => client().upload(file, { name: "a.bin", folder: `ok/${"x".repeat(256)}` }),
    ]) {
      const res = await upload();
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/255 bytes/) });
    }
    expect(await listed()).toEqual([]);
    const list = await client().list(name256);
    expect(list.status).toBe(400);
    expect(list.body.message).toMatch(/255 bytes/);
    // 255 bytes is fine.
    const ok = await client().upload(file, { name: `${"a".repeat(251)}.bin`, folder: "ü".repeat(127) });
    expect(ok.status).toBe(200);
  });

  it("are at most artifactPathBytes in all (folder and file name together); nothing is stored", async () => {
    const folder = Array.from({ length: 3 }, () => "f".repeat(250)).join("/"); // 752 bytes
    const res = await client().upload(file, { name: "a".repeat(20), folder });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ message: expect.stringMatching(`${LIMITS.artifactPathBytes} bytes`) });
    expect(await listed()).toEqual([]);
  });
});

describe("multipart file names", () => {
  it("are decoded as UTF-8: ü.txt is stored and listed as ü.txt", async () => {
    const res = await artifactClient(t, me, runId).upload(new Uint8Array([1]), { name: "ü.txt" });
    expect(res.status).toBe(200);
    expect((await res.json()).path).toBe("ü.txt");
    expect((await artifactClient(t, me, runId).list()).body.files.map((f: { path: string }) => f.path)).toEqual([
      "ü.txt",
    ]);
  });
});

describe("every answer", () => {
  it("carries the security headers, the API's and the web app's routes, errors included", async () => {
    for (const path of ["/healthz", "/api/v1/experiments", "/", "/no-such-page"]) {
      const res = await t.app.request(path);
      expect(res.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(res.headers.get("content-security-policy"), path).toContain("frame-ancestors 'none'");
      expect(res.headers.get("x-frame-options"), path).toBe("DENY");
      expect(res.headers.get("referrer-policy"), path).toBe("no-referrer");
    }
  });
});

describe("a tRPC batch", () => {
  const batch = (n: number) => {
    const paths = Array.from({ length: n }, () => "experiments.list").join(",");
    const input = JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [i, {}])));
    return t.app.request(`/trpc/${paths}?batch=1&input=${encodeURIComponent(input)}`, {
      headers: { authorization: `Bearer ${me.key}` },
    });
  };
  it(`runs at most ${LIMITS.callsPerTrpcBatch} calls; a larger one is a 400`, async () => {
    const ok = await batch(LIMITS.callsPerTrpcBatch);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toHaveLength(LIMITS.callsPerTrpcBatch);
    const tooMany = await batch(LIMITS.callsPerTrpcBatch + 1);
    expect(tooMany.status).toBe(400);
    expect(JSON.stringify(await tooMany.json())).toMatch(/batch/i);
  });
});
