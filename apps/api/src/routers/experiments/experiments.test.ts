import type { TestTenant } from "@stepwise/core/testing";
import { beforeEach, describe, expect, it } from "vitest";
import { testApp } from "../../testing/app";

const { rest, newTenant } = await testApp();
let me: TestTenant;
beforeEach(async () => {
  me = await newTenant();
});

const create = (body: unknown) => rest(me, "POST", "/experiments", { body });

describe("POST /experiments", () => {
  it("creates an experiment: 201 with the contract's shape", async () => {
    const res = await create({ name: "  resnet  ", description: "baseline", tags: { team: "cv" } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: "resnet",
      description: "baseline",
      artifact_location: expect.stringContaining(res.body.id),
      lifecycle_stage: "active",
      tags: { team: "cv" },
      created_at: expect.stringMatching(/\.\d{3}Z$/),
      updated_at: expect.stringMatching(/\.\d{3}Z$/),
    });
  });

  it("takes a null description as none, as PATCH does (a client's unset optional field)", async () => {
    const res = await create({ name: "no-description", description: null });
    expect(res.status).toBe(201);
    expect(res.body.description).toBeNull();
    const run = await rest(me, "POST", "/experiments/runs", {
      body: { experiment_id: res.body.id, description: null },
    });
    expect(run.status).toBe(201);
    expect(run.body.description).toBeNull();
  });

  it("answers 409 for a taken active name, and writes nothing", async () => {
    expect((await create({ name: "dup" })).status).toBe(201);
    const res = await create({ name: "dup", description: "second" });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: "CONFLICT", message: expect.stringContaining("dup") });
    expect((await rest(me, "GET", "/experiments")).body.total).toBe(1);
  });

  it.each([
    [{}, "name"],
    [{ name: "" }, "name"],
    [{ name: "   " }, "name"],
    [{ name: "x".repeat(256) }, "name"],
    [{ name: "a\u0000b" }, "name"],
    [{ name: "ok", description: "d".repeat(1001) }, "description"],
    [{ name: "ok", tags: { "bad key!": "v" } }, "tags"],
    [{ name: "ok", tags: { k: "v".repeat(8001) } }, "tags"],
    [{ name: "ok", artifact_location: "file:///etc" }, ""],
    [{ name: 5 }, "name"],
  ])("answers 400 for %j and writes nothing", async (body, field) => {
    const res = await create(body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("BAD_REQUEST");
    expect(res.body.message).toEqual(expect.any(String));
    if (field) expect(JSON.stringify(res.body.issues)).toContain(field);
    expect((await rest(me, "GET", "/experiments")).body.total).toBe(0);
  });
});

describe("GET /experiments", () => {
  it("lists active by default, archived on request, with search and pagination", async () => {
    const a = (await create({ name: "alpha_1" })).body;
    await create({ name: "beta%2" });
    await rest(me, "DELETE", `/experiments/${a.id}`);
    const active = await rest(me, "GET", "/experiments");
    expect(active.status).toBe(200);
    expect(active.body).toMatchObject({ total: 1, limit: 100, offset: 0 });
    const archived = await rest(me, "GET", "/experiments?lifecycle_stage=deleted");
    expect(archived.body.experiments.map((e: { id: string }) => e.id)).toEqual([a.id]);
    expect((await rest(me, "GET", "/experiments?search=A%252")).body.total).toBe(1);
    expect((await rest(me, "GET", "/experiments?search=%25")).body.total).toBe(1);
    expect((await rest(me, "GET", "/experiments?limit=1&offset=0")).body.experiments).toHaveLength(1);
  });

  it.each(["limit=0", "limit=1001", "limit=abc", "offset=-1", "lifecycle_stage=gone", "search=%00"])(
    "answers 400 for ?%s",
    async (query) => {
      const res = await rest(me, "GET", `/experiments?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe("BAD_REQUEST");
    },
  );
});

describe("GET, PATCH, DELETE /experiments/{id} and restore", () => {
  it("gets, renames, merges tags, archives and restores", async () => {
    const e = (await create({ name: "e", tags: { a: "1", b: "2" } })).body;
    expect((await rest(me, "GET", `/experiments/${e.id}`)).body).toEqual(e);
    const patched = await rest(me, "PATCH", `/experiments/${e.id}`, {
      body: { name: "e2", tags: { a: null, c: "3" } },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: "e2", tags: { b: "2", c: "3" } });
    const archived = await rest(me, "DELETE", `/experiments/${e.id}`);
    expect(archived.body.lifecycle_stage).toBe("deleted");
    expect((await rest(me, "DELETE", `/experiments/${e.id}`)).body).toEqual(archived.body);
    expect((await rest(me, "GET", `/experiments/${e.id}`)).body.lifecycle_stage).toBe("deleted");
    const restored = await rest(me, "POST", `/experiments/${e.id}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body.lifecycle_stage).toBe("active");
  });

  it("answers 409 on a rename or restore onto a taken name", async () => {
    const a = (await create({ name: "a" })).body;
    const b = (await create({ name: "b" })).body;
    expect((await rest(me, "PATCH", `/experiments/${b.id}`, { body: { name: "a" } })).status).toBe(409);
    await rest(me, "DELETE", `/experiments/${a.id}`);
    await create({ name: "a" });
    const res = await rest(me, "POST", `/experiments/${a.id}/restore`);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe("CONFLICT");
  });

  it("answers 400 for an empty patch or a malformed id, 404 for an unknown one", async () => {
    const e = (await create({ name: "e" })).body;
    expect((await rest(me, "PATCH", `/experiments/${e.id}`, { body: {} })).status).toBe(400);
    expect((await rest(me, "GET", "/experiments/not-a-uuid")).status).toBe(400);
    const missing = await rest(me, "GET", "/experiments/0190f0e0-0000-7000-8000-000000000000");
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: "NOT_FOUND", message: expect.stringContaining("not found") });
    for (const [method, path] of [
      ["PATCH", "/experiments/0190f0e0-0000-7000-8000-000000000000"],
      ["DELETE", "/experiments/0190f0e0-0000-7000-8000-000000000000"],
      ["POST", "/experiments/0190f0e0-0000-7000-8000-000000000000/restore"],
    ] as const) {
      expect((await rest(me, method, path, { body: method === "PATCH" ? { name: "x" } : undefined })).status).toBe(404);
    }
  });
});
