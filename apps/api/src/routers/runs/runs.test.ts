import type { TestTenant } from "@stepwise/core/testing";
import { beforeEach, describe, expect, it } from "vitest";
import { testApp } from "../../testing/app";

const { rest, newTenant, caller } = await testApp();
let me: TestTenant;
let experimentId: string;
beforeEach(async () => {
  me = await newTenant();
  experimentId = (await rest(me, "POST", "/experiments", { body: { name: "exp" } })).body.id;
});

const createRun = (body: Record<string, unknown> = {}) =>
  rest(me, "POST", "/experiments/runs", { body: { experiment_id: experimentId, ...body } });
const MISSING = "0190f0e0-0000-7000-8000-000000000000";

describe("POST /experiments/runs", () => {
  it("creates a RUNNING run: 201 with the contract's shape and a generated readable name", async () => {
    const res = await createRun({ tags: { model: "resnet" } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      experiment_id: experimentId,
      name: expect.stringMatching(/^[a-z]+-[a-z]+-\d{3}$/),
      description: null,
      status: "RUNNING",
      start_time: expect.stringMatching(/\.\d{3}Z$/),
      end_time: null,
      artifact_uri: expect.stringMatching(new RegExp(`${experimentId}/${res.body.id}/artifacts$`)),
      parent_run_id: null,
      deleted_at: null,
      tags: { model: "resnet" },
      params: {},
      metrics: {},
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
  });

  it("keeps a given name, description and start_time", async () => {
    const res = await createRun({ name: "mine", description: "d", start_time: "2026-01-02T03:04:05.678Z" });
    expect(res.body).toMatchObject({ name: "mine", description: "d", start_time: "2026-01-02T03:04:05.678Z" });
  });

  it("answers 404 for an unknown experiment and 409 for an archived one, writing nothing", async () => {
    const missing = await rest(me, "POST", "/experiments/runs", { body: { experiment_id: MISSING } });
    expect(missing.status).toBe(404);
    expect(missing.body.message).toContain(MISSING);
    await rest(me, "DELETE", `/experiments/${experimentId}`);
    const archived = await createRun();
    expect(archived.status).toBe(409);
    expect(archived.body).toMatchObject({ code: "CONFLICT", message: expect.stringContaining("archived") });
    expect((await rest(me, "GET", `/experiments/runs?experiment_id=${experimentId}`)).body.total).toBe(0);
  });

  it.each([
    [{ experiment_id: "nope" }],
    [{ experiment_id: undefined }],
    [{ name: "" }],
    [{ start_time: "yesterday" }],
    [{ tags: { "/lead": "x" } }],
    [{ tags: { "a/../b": "x" } }],
    [{ description: "\u0000" }],
  ])("answers 400 for %j", async (body) => {
    const res = await createRun(body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("BAD_REQUEST");
  });
});

describe("GET /experiments/runs", () => {
  it("lists newest start first, filters by status, paginates", async () => {
    const old = (await createRun({ name: "old", start_time: "2026-01-01T00:00:00.000Z" })).body;
    const mid = (await createRun({ name: "mid", start_time: "2026-02-01T00:00:00.000Z" })).body;
    const late = (await createRun({ name: "new", start_time: "2026-03-01T00:00:00.000Z" })).body;
    await rest(me, "POST", `/experiments/runs/${mid.id}/end`, { body: { status: "FAILED" } });
    const all = await rest(me, "GET", `/experiments/runs?experiment_id=${experimentId}`);
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ total: 3, limit: 100, offset: 0 });
    expect(all.body.runs.map((r: { id: string }) => r.id)).toEqual([late.id, mid.id, old.id]);
    const failed = await rest(me, "GET", `/experiments/runs?experiment_id=${experimentId}&status=FAILED`);
    expect(failed.body.runs.map((r: { name: string }) => r.name)).toEqual(["mid"]);
    const page = await rest(me, "GET", `/experiments/runs?experiment_id=${experimentId}&limit=1&offset=1`);
    expect(page.body).toMatchObject({ total: 3, limit: 1, offset: 1, runs: [{ id: mid.id }] });
  });

  it("answers 400 without experiment_id or with a bad status, 404 for an unknown experiment", async () => {
    expect((await rest(me, "GET", "/experiments/runs")).status).toBe(400);
    expect((await rest(me, "GET", `/experiments/runs?experiment_id=${experimentId}&status=DONE`)).status).toBe(400);
    expect((await rest(me, "GET", `/experiments/runs?experiment_id=${MISSING}`)).status).toBe(404);
  });

  it("still lists and reads the runs of an archived experiment", async () => {
    const run = (await createRun()).body;
    await rest(me, "DELETE", `/experiments/${experimentId}`);
    expect((await rest(me, "GET", `/experiments/runs?experiment_id=${experimentId}`)).body.total).toBe(1);
    expect((await rest(me, "GET", `/experiments/runs/${run.id}`)).status).toBe(200);
  });
});

describe("GET /experiments/runs/{id} and POST .../end", () => {
  it("gets a run, ends it FINISHED by default, and refuses to end it twice", async () => {
    const run = (await createRun()).body;
    expect((await rest(me, "GET", `/experiments/runs/${run.id}`)).body).toEqual(run);
    const ended = await rest(me, "POST", `/experiments/runs/${run.id}/end`);
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ status: "FINISHED", end_time: expect.stringMatching(/Z$/) });
    const again = await rest(me, "POST", `/experiments/runs/${run.id}/end`, { body: { status: "KILLED" } });
    expect(again.status).toBe(409);
    expect(again.body.message).toContain("FINISHED");
    expect((await rest(me, "GET", `/experiments/runs/${run.id}`)).body.status).toBe("FINISHED");
  });

  it("takes a status and end_time; rejects RUNNING, an end before the start, and archived experiments", async () => {
    const run = (await createRun({ start_time: "2026-01-01T00:00:00.000Z" })).body;
    expect((await rest(me, "POST", `/experiments/runs/${run.id}/end`, { body: { status: "RUNNING" } })).status).toBe(
      400,
    );
    const early = await rest(me, "POST", `/experiments/runs/${run.id}/end`, {
      body: { end_time: "2025-12-31T00:00:00Z" },
    });
    expect(early.status).toBe(400);
    const ended = await rest(me, "POST", `/experiments/runs/${run.id}/end`, {
      body: { status: "KILLED", end_time: "2026-01-01T01:00:00.000Z" },
    });
    expect(ended.body).toMatchObject({ status: "KILLED", end_time: "2026-01-01T01:00:00.000Z" });
    const other = (await createRun()).body;
    await rest(me, "DELETE", `/experiments/${experimentId}`);
    expect((await rest(me, "POST", `/experiments/runs/${other.id}/end`)).status).toBe(409);
    expect((await rest(me, "GET", `/experiments/runs/${other.id}`)).body.status).toBe("RUNNING");
  });

  it("answers 404 for an unknown run and 400 for a malformed id", async () => {
    expect((await rest(me, "GET", `/experiments/runs/${MISSING}`)).status).toBe(404);
    expect((await rest(me, "POST", `/experiments/runs/${MISSING}/end`)).status).toBe(404);
    expect((await rest(me, "GET", "/experiments/runs/123")).status).toBe(400);
  });
});

describe("runs over tRPC", () => {
  it("creates, lists, gets and ends with the same types and answers", async () => {
    const api = caller(me);
    const run = await api.runs.create({ experiment_id: experimentId, name: "typed" });
    expect(run.status).toBe("RUNNING");
    expect((await api.runs.list({ experiment_id: experimentId })).runs.map((r) => r.id)).toEqual([run.id]);
    expect(await api.runs.get({ id: run.id })).toEqual(run);
    expect((await api.runs.end({ id: run.id })).status).toBe("FINISHED");
    await expect(api.runs.end({ id: run.id })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(api.runs.get({ id: MISSING })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
