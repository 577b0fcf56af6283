import { createApiKey } from "@stepwise/core";
import type { TestTenant } from "@stepwise/core/testing";
import { beforeEach, describe, expect, it } from "vitest";
import { testApp } from "../testing/app";

// Contract section 3: Idempotency-Key on writes. Exactly-once effects for a client that retries after
// losing the answer; 422 for a reused key; 409 while the first request is still running.
const t = await testApp();
let me: TestTenant;
let experimentId: string;
beforeEach(async () => {
  me = await t.newTenant();
  experimentId = (await t.rest(me, "POST", "/experiments", { body: { name: "idem" } })).body.id;
});
const withKey = (key: string, body: unknown, as?: { key: string }) => ({
  body,
  headers: { "idempotency-key": key },
  ...(as ? { key: as.key } : {}),
});
const runsOf = async () =>
  (await t.rest(me, "GET", `/experiments/runs?experiment_id=${experimentId}`)).body.runs as { id: string }[];

describe("Idempotency-Key", () => {
  it("creates a run once for a client that repeats the request, and replays the first answer", async () => {
    const first = await t.rest(me, "POST", "/experiments/runs", withKey("run-1", { experiment_id: experimentId }));
    const again = await t.rest(me, "POST", "/experiments/runs", withKey("run-1", { experiment_id: experimentId }));
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect((await runsOf()).map((r) => r.id)).toEqual([first.body.id]);
  });

  it("stores a log-batch once, also its points without timestamps, params and tags", async () => {
    const run = (await t.rest(me, "POST", "/experiments/runs", { body: { experiment_id: experimentId } })).body;
    const batch = {
      metrics: [{ key: "loss", value: 0.5, step: 1 }],
      params: [{ key: "lr", value: "0.1" }],
      tags: [{ key: "stage", value: "a" }],
    };
    const path = `/experiments/runs/${run.id}/log-batch`;
    expect((await t.rest(me, "POST", path, withKey("batch-1", batch))).status).toBe(200);
    // Between the repeats, a tag changes: the repeat must not write its (older) tag again.
    await t.rest(me, "POST", path, { body: { tags: [{ key: "stage", value: "b" }] } });
    await new Promise((r) => setTimeout(r, 5));
    expect((await t.rest(me, "POST", path, withKey("batch-1", batch))).body).toEqual({
      metrics: 1,
      params: 1,
      tags: 1,
    });
    const history = await t.rest(me, "GET", `/experiments/runs/${run.id}/metrics/history?key=loss`);
    expect(history.body.total_points).toBe(1);
    const stored = (await t.rest(me, "GET", `/experiments/runs/${run.id}`)).body;
    expect(stored.tags).toEqual({ stage: "b" });
    expect(stored.params).toEqual({ lr: "0.1" });
  });

  it("answers 422 IDEMPOTENCY_KEY_REUSED for the same key with another body, and writes nothing", async () => {
    await t.rest(me, "POST", "/experiments/runs", withKey("k", { experiment_id: experimentId, name: "a" }));
    const reused = await t.rest(
      me,
      "POST",
      "/experiments/runs",
      withKey("k", { experiment_id: experimentId, name: "b" }),
    );
    expect(reused.status).toBe(422);
    expect(reused.body).toMatchObject({ code: "IDEMPOTENCY_KEY_REUSED", message: expect.stringContaining("new key") });
    expect(await runsOf()).toHaveLength(1);
    // Another operation with the same key is another request too.
    const other = await t.rest(me, "POST", "/experiments", withKey("k", { name: "other" }));
    expect(other.status).toBe(422);
  });

  it("scopes keys per API key, and does not store failed writes", async () => {
    const { key: secondKey } = await createApiKey(t.db, { name: "second", tenants: [me.slug], admin: false });
    const body = { experiment_id: experimentId };
    await t.rest(me, "POST", "/experiments/runs", withKey("shared", body));
    expect((await t.rest(me, "POST", "/experiments/runs", withKey("shared", body, { key: secondKey }))).status).toBe(
      201,
    );
    expect(await runsOf()).toHaveLength(2);

    // A write that failed stored no answer: once the conflict is gone, the same request with the same key runs.
    const taken = withKey("name", { name: "idem" });
    expect((await t.rest(me, "POST", "/experiments", taken)).status).toBe(409);
    await t.rest(me, "DELETE", `/experiments/${experimentId}`);
    expect((await t.rest(me, "POST", "/experiments", taken)).status).toBe(201);
  });

  it("rejects a key that is empty, too long or not printable ASCII (400), and works over tRPC too", async () => {
    for (const bad of ["x".repeat(256), "tab\there"]) {
      const res = await t.rest(me, "POST", "/experiments/runs", withKey(bad, { experiment_id: experimentId }));
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }
    const caller = t.caller(me, { "idempotency-key": "trpc-1" });
    const a = await caller.runs.create({ experiment_id: experimentId });
    const b = await caller.runs.create({ experiment_id: experimentId });
    expect(b.id).toBe(a.id);
  });

  it.skipIf(!process.env.DATABASE_URL)("answers 409 to a repeat while the first request is still running", async () => {
    const run = (await t.rest(me, "POST", "/experiments/runs", { body: { experiment_id: experimentId } })).body;
    const path = `/experiments/runs/${run.id}/log-params`;
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    // Hold the run's row lock, so that the first request waits inside its transaction.
    const holder = t.db.transaction(async (tx) => {
      await tx.execute(`select id from runs where id = '${run.id}' for update`);
      await held;
    });
    const first = t.rest(me, "POST", path, withKey("slow", { params: { lr: "1" } }));
    // Wait until the first request holds its key's lock (and waits for the run's row), then repeat it.
    const keyLocked = async () => {
      const rows = (await t.db.execute(
        "select count(*)::int as n from pg_locks where locktype = 'advisory' and granted",
      )) as unknown as { n: number }[];
      return (rows[0]?.n ?? 0) > 0;
    };
    for (let i = 0; i < 100 && !(await keyLocked()); i++) await new Promise((r) => setTimeout(r, 20));
    const repeat = await t.rest(me, "POST", path, withKey("slow", { params: { lr: "1" } }));
    expect(repeat.status).toBe(409);
    expect(repeat.body.message).toMatch(/still running/);
    expect(repeat.headers.get("retry-after")).toBe("1");
    release();
    await holder;
    expect((await first).status).toBe(200);
    expect((await t.rest(me, "POST", path, withKey("slow", { params: { lr: "1" } }))).status).toBe(200);
  });
});
