import type { TestTenant } from "@stepwise/core/testing";
import { beforeEach, describe, expect, it } from "vitest";
import { testApp } from "../../testing/app";

// Contract section 10: rename and description, delete and restore, delete a tag, nested runs.
const { app, rest, newTenant, caller } = await testApp();
let me: TestTenant;
let experimentId: string;
beforeEach(async () => {
  me = await newTenant();
  experimentId = (await rest(me, "POST", "/experiments", { body: { name: "exp" } })).body.id;
});

const createRun = async (body: Record<string, unknown> = {}) => {
  const res = await rest(me, "POST", "/experiments/runs", { body: { experiment_id: experimentId, ...body } });
  expect(res.status).toBe(201);
  return res.body;
};
const getRun = async (id: string) => (await rest(me, "GET", `/experiments/runs/${id}`)).body;
const listed = async () =>
  ((await rest(me, "GET", `/experiments/runs?experiment_id=${experimentId}`)).body.runs as { id: string }[]).map(
    (r) => r.id,
  );
const MISSING = "0190f0e0-0000-7000-8000-000000000000";

describe("PATCH /experiments/runs/{id}", () => {
  it("renames and re-describes a run; a null description removes it; the rest stays", async () => {
    const run = await createRun({ name: "first", description: "d", tags: { a: "1" } });
    const renamed = await rest(me, "PATCH", `/experiments/runs/${run.id}`, { body: { name: "  second  " } });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: run.id, name: "second", description: "d", tags: { a: "1" } });
    const cleared = await rest(me, "PATCH", `/experiments/runs/${run.id}`, { body: { description: null } });
    expect(cleared.body).toMatchObject({ name: "second", description: null });
    expect(await getRun(run.id)).toEqual(cleared.body);
    expect(cleared.body.updated_at >= run.updated_at).toBe(true);
  });

  it.each<[string, unknown]>([
    ["an empty body", {}],
    ["an empty name", { name: " " }],
    ["a 256-character name", { name: "n".repeat(256) }],
    ["a 1001-character description", { description: "d".repeat(1001) }],
  ])("%s: 400, nothing changed", async (_, body) => {
    const run = await createRun({ name: "keep" });
    const res = await rest(me, "PATCH", `/experiments/runs/${run.id}`, { body });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("BAD_REQUEST");
    expect(await getRun(run.id)).toEqual(run);
  });

  it("404 for an unknown run, 409 for a deleted run or an archived experiment's", async () => {
    expect((await rest(me, "PATCH", `/experiments/runs/${MISSING}`, { body: { name: "x" } })).status).toBe(404);
    const run = await createRun({ name: "keep" });
    await rest(me, "POST", `/experiments/runs/${run.id}/delete`);
    const deleted = await rest(me, "PATCH", `/experiments/runs/${run.id}`, { body: { name: "x" } });
    expect(deleted.status).toBe(409);
    expect(deleted.body.message).toContain("deleted");
    await rest(me, "POST", `/experiments/runs/${run.id}/restore`);
    await rest(me, "DELETE", `/experiments/${experimentId}`);
    expect((await rest(me, "PATCH", `/experiments/runs/${run.id}`, { body: { name: "x" } })).status).toBe(409);
    expect((await getRun(run.id)).name).toBe("keep");
  });
});

describe("delete and restore", () => {
  it("a deleted run keeps its data, leaves the list, is read by ID, and comes back unchanged", async () => {
    const run = await createRun({ tags: { t: "1" } });
    await rest(me, "POST", `/experiments/runs/${run.id}/log-batch`, {
      body: { metrics: [{ key: "loss", value: 0.5, step: 3 }], params: [{ key: "lr", value: "0.1" }] },
    });
    const before = await getRun(run.id);
    const other = await createRun();
    const deleted = await rest(me, "POST", `/experiments/runs/${run.id}/delete`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.deleted_at).toMatch(/\.\d{3}Z$/);
    expect(deleted.body).toMatchObject({ metrics: before.metrics, params: { lr: "0.1" }, tags: { t: "1" } });
    expect(await listed()).toEqual([other.id]);
    expect((await rest(me, "GET", `/experiments/runs?experiment_id=${experimentId}`)).body.total).toBe(1);
    expect(await getRun(run.id)).toEqual(deleted.body);
    const history = await rest(me, "GET", `/experiments/runs/${run.id}/metrics/history?key=loss`);
    expect(history.body.total_points).toBe(1);

    const restored = await rest(me, "POST", `/experiments/runs/${run.id}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body).toEqual({ ...before, updated_at: restored.body.updated_at });
    expect((await listed()).sort()).toEqual([run.id, other.id].sort());
  });

  it("twice is a 409 (already deleted, not deleted); unknown runs are 404", async () => {
    const run = await createRun();
    expect((await rest(me, "POST", `/experiments/runs/${run.id}/restore`)).status).toBe(409);
    expect((await rest(me, "POST", `/experiments/runs/${run.id}/delete`)).status).toBe(200);
    const again = await rest(me, "POST", `/experiments/runs/${run.id}/delete`);
    expect(again.status).toBe(409);
    expect(again.body.message).toContain("already deleted");
    for (const verb of ["delete", "restore"]) {
      expect((await rest(me, "POST", `/experiments/runs/${MISSING}/${verb}`)).status).toBe(404);
    }
  });

  it("a deleted run refuses every write with a 409 and stores nothing", async () => {
    const run = await createRun();
    // A series that exists before the delete (cached series ids) and one that does not.
    await rest(me, "POST", `/experiments/runs/${run.id}/log-metrics`, { body: { metrics: { loss: 1 } } });
    await rest(me, "POST", `/experiments/runs/${run.id}/delete`);
    const before = await getRun(run.id);
    const base = `/experiments/runs/${run.id}`;
    for (const [method, path, body] of [
      ["POST", `${base}/log-metrics`, { metrics: { loss: 2 }, step: 1 }],
      ["POST", `${base}/log-metrics`, { metrics: { fresh: 2 } }],
      ["POST", `${base}/log-params`, { params: { lr: "0.1" } }],
      ["POST", `${base}/log-batch`, { tags: [{ key: "t", value: "v" }] }],
      ["POST", `${base}/log-batch`, { metrics: [{ key: "loss", value: 3, step: 2 }] }],
      ["POST", `${base}/end`, {}],
      ["PATCH", base, { name: "x" }],
    ] as const) {
      const res = await rest(me, method, path, { body });
      expect(res.status, `${method} ${path}`).toBe(409);
      expect(res.body.message).toContain("deleted");
    }
    const form = new FormData();
    form.append("file", new Blob(["x"]), "a.txt");
    const upload = await app.request(`/api/v1${base}/log-artifact`, {
      method: "POST",
      body: form,
      headers: { authorization: `Bearer ${me.key}` },
    });
    expect(upload.status).toBe(409);
    expect((await rest(me, "GET", `${base}/artifacts`)).body.files).toEqual([]);
    expect(await getRun(run.id)).toEqual(before);
    const history = await rest(me, "GET", `${base}/metrics/history?key=loss`);
    expect(history.body.total_points).toBe(1);
  });
});

describe("DELETE /experiments/runs/{id}/tags/{key}", () => {
  it("removes one tag (a key with '/' percent-encoded); the others stay", async () => {
    const run = await createRun({ tags: { "val/split": "a", keep: "b" } });
    const res = await rest(me, "DELETE", `/experiments/runs/${run.id}/tags/${encodeURIComponent("val/split")}`);
    expect(res.status).toBe(200);
    expect(res.body.tags).toEqual({ keep: "b" });
    expect((await getRun(run.id)).tags).toEqual({ keep: "b" });
  });

  it("404 for a tag the run lacks or an unknown run, 400 for a bad key, 409 on a deleted run", async () => {
    const run = await createRun({ tags: { keep: "b" } });
    const missing = await rest(me, "DELETE", `/experiments/runs/${run.id}/tags/nope`);
    expect(missing.status).toBe(404);
    expect(missing.body.message).toContain("nope");
    expect((await rest(me, "DELETE", `/experiments/runs/${MISSING}/tags/keep`)).status).toBe(404);
    expect((await rest(me, "DELETE", `/experiments/runs/${run.id}/tags/${encodeURIComponent("a/../b")}`)).status).toBe(
      400,
    );
    await rest(me, "POST", `/experiments/runs/${run.id}/delete`);
    expect((await rest(me, "DELETE", `/experiments/runs/${run.id}/tags/keep`)).status).toBe(409);
    expect((await getRun(run.id)).tags).toEqual({ keep: "b" });
  });
});

describe("nested runs", () => {
  it("parent_run_id at creation is shown on the run; a parent of another experiment is a 400, a missing one a 404", async () => {
    const parent = await createRun({ name: "sweep" });
    const child = await createRun({ parent_run_id: parent.id });
    expect(child.parent_run_id).toBe(parent.id);
    expect((await getRun(child.id)).parent_run_id).toBe(parent.id);
    expect(parent.parent_run_id).toBeNull();

    const elsewhere = (await rest(me, "POST", "/experiments", { body: { name: "other" } })).body.id;
    const cross = await rest(me, "POST", "/experiments/runs", {
      body: { experiment_id: elsewhere, parent_run_id: parent.id },
    });
    expect(cross.status).toBe(400);
    expect(cross.body.issues).toEqual([{ path: ["parent_run_id"], message: expect.stringContaining("another") }]);
    const missing = await rest(me, "POST", "/experiments/runs", {
      body: { experiment_id: experimentId, parent_run_id: MISSING },
    });
    expect(missing.status).toBe(404);
    expect(await listed()).toHaveLength(2);
  });

  it("another tenant's run cannot be a parent: 404, as if it did not exist", async () => {
    const other = await newTenant();
    const theirExp = (await rest(other, "POST", "/experiments", { body: { name: "x" } })).body.id;
    const theirs = (await rest(other, "POST", "/experiments/runs", { body: { experiment_id: theirExp } })).body;
    const res = await rest(me, "POST", "/experiments/runs", {
      body: { experiment_id: experimentId, parent_run_id: theirs.id },
    });
    expect(res.status).toBe(404);
  });
});

describe("the same operations over tRPC", () => {
  it("update, delete, restore and deleteTag", async () => {
    const run = await createRun({ tags: { a: "1" } });
    const trpc = caller(me);
    expect((await trpc.runs.update({ id: run.id, name: "t" })).name).toBe("t");
    expect((await trpc.runs.delete({ id: run.id })).deleted_at).not.toBeNull();
    expect((await trpc.runs.restore({ id: run.id })).deleted_at).toBeNull();
    expect((await trpc.runs.deleteTag({ id: run.id, key: "a" })).tags).toEqual({});
    await expect(trpc.runs.deleteTag({ id: run.id, key: "a" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
