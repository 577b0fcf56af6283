import type { TestTenant } from "@stepwise/core/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { testApp } from "../../testing/app";

const { rest, newTenant, caller } = await testApp();
let me: TestTenant;
let experimentId: string;
const runs: Record<string, string> = {};
beforeAll(async () => {
  me = await newTenant();
  experimentId = (await rest(me, "POST", "/experiments", { body: { name: "search" } })).body.id;
  for (const [name, lr, loss] of [
    ["slow", "0.001", 0.5],
    ["fast", "0.1", 0.3],
    ["none", "0.01", null],
  ] as const) {
    const run = (await rest(me, "POST", "/experiments/runs", { body: { experiment_id: experimentId, name } })).body;
    runs[name] = run.id;
    const metrics = loss === null ? [] : [{ key: "loss", value: loss, step: 1 }];
    await rest(me, "POST", `/experiments/runs/${run.id}/log-batch`, {
      body: { metrics, params: [{ key: "lr", value: lr }], tags: [{ key: "team", value: "a" }] },
    });
  }
});
const search = (body: Record<string, unknown>, as = me) =>
  rest(as, "POST", "/experiments/runs/search", { body: { experiment_ids: [experimentId], ...body } });
const names = (res: { body: { runs: { name: string }[] } }) => res.body.runs.map((r) => r.name);

describe("POST /experiments/runs/search", () => {
  it("answers 200 with RunResponses in the requested order, and a next_page_token while more remain", async () => {
    const res = await search({ filter: "params.lr < 0.05 OR metrics.loss > 0.4", order_by: ["metrics.loss"] });
    expect(res.status).toBe(200);
    expect(names(res)).toEqual(["slow", "none"]);
    expect(res.body.next_page_token).toBeNull();
    expect(res.body.runs[0]).toMatchObject({
      id: runs.slow,
      experiment_id: experimentId,
      params: { lr: "0.001" },
      tags: { team: "a" },
      metrics: { loss: { value: 0.5, step: 1, timestamp: expect.any(Number) } },
      parent_run_id: null,
      deleted_at: null,
    });
    const first = await search({ order_by: ["metrics.loss DESC"], max_results: 2 });
    expect(names(first)).toEqual(["slow", "fast"]);
    const second = await search({
      order_by: ["metrics.loss DESC"],
      max_results: 2,
      page_token: first.body.next_page_token,
    });
    expect(names(second)).toEqual(["none"]);
    expect(second.body.next_page_token).toBeNull();
  });

  it("narrows the keys of each run with include", async () => {
    const res = await search({ filter: "run_name = 'fast'", include: { metrics: [], params: ["lr"], tags: [] } });
    expect(res.body.runs[0]).toMatchObject({ metrics: {}, params: { lr: "0.1" }, tags: {} });
  });

  it("answers 400 naming the position and the token of a syntax error, and for an unknown field kind", async () => {
    const res = await search({ filter: "metrics.loss < 1 ANDD params.lr = '1'" });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("position 18 near 'ANDD'"),
    });
    const kind = await search({ filter: "datasets.name = 'x'" });
    expect(kind.status).toBe(400);
    expect(kind.body.message).toContain("Invalid entity 'datasets'");
    const order = await search({ order_by: ["metrics.loss sideways"] });
    expect(order.status).toBe(400);
    expect(order.body.message).toContain("order_by[0]");
  });

  it("answers 404 for an unknown experiment, and another tenant's experiment is unknown", async () => {
    const missing = "0190f0e0-0000-7000-8000-000000000000";
    expect((await search({ experiment_ids: [experimentId, missing] })).status).toBe(404);
    const other = await newTenant();
    const theirs = await search({}, other);
    expect(theirs.status).toBe(404);
    expect(theirs.body.message).toContain(experimentId);
  });

  it("never finds another tenant's runs, by any filter", async () => {
    const other = await newTenant();
    const exp = (await rest(other, "POST", "/experiments", { body: { name: "theirs" } })).body.id;
    for (const filter of [`run_id = '${runs.slow}'`, "params.lr IS NOT NULL", "tags.team = 'a'", "metrics.loss > 0"]) {
      const res = await rest(other, "POST", "/experiments/runs/search", { body: { experiment_ids: [exp], filter } });
      expect(res.status, filter).toBe(200);
      expect(res.body.runs, filter).toEqual([]);
    }
  });

  it.each([
    ["50,000 characters", "x".repeat(50_000)],
    ["10,000 nested parentheses", `${"(".repeat(10_000)}metrics.loss = 1${")".repeat(10_000)}`],
    ["2,000 nested parentheses within the length limit", `${"(".repeat(2_000)}metrics.loss = 1${")".repeat(2_000)}`],
    ["1,000 ORs", Array.from({ length: 1000 }, () => "metrics.loss=1").join(" OR ")],
    ["a bad regular expression", "params.lr RLIKE '(('"],
    ["a string where a number goes", "metrics.loss > 'x'"],
    ["a NUL character", "params.lr = '\u0000'"],
  ])("answers a clean 400 for %s", async (_, filter) => {
    const res = await search({ filter });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("BAD_REQUEST");
    expect(res.body.message).not.toMatch(/select|stack/i);
  });

  it("binds keys and values: injection attempts find nothing and change nothing", async () => {
    for (const filter of [
      "params.`lr' or 1=1 --` = 'x'",
      'tags."team\') or true --" IS NOT NULL',
      "params.lr = 'x'' or ''1''=''1'",
      'params.lr = "\'; drop table runs; --"',
      "tags.team LIKE '%' AND params.`a\"b` != ''",
      "run_id IN ('x''); delete from runs; --')",
    ]) {
      const res = await search({ filter });
      expect(res.status, filter).toBe(200);
      expect(res.body.runs, filter).toEqual([]);
    }
    expect(names(await search({}))).toHaveLength(3);
  });

  it("refuses a page token of another query, and garbage, with a 400", async () => {
    const first = await search({ max_results: 1 });
    const token = first.body.next_page_token;
    expect((await search({ max_results: 1, filter: "status = 'RUNNING'", page_token: token })).status).toBe(400);
    expect((await search({ page_token: "not a token" })).status).toBe(400);
    expect((await search({ page_token: Buffer.from('{"h":1,"c":"x"}').toString("base64url") })).status).toBe(400);
  });

  it("answers the same over tRPC", async () => {
    const page = await caller(me).runs.search({ experiment_ids: [experimentId], filter: "min(metrics.loss) < 0.4" });
    expect(page.runs.map((r) => r.name)).toEqual(["fast"]);
    await expect(caller(me).runs.search({ experiment_ids: [experimentId], filter: "(" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });
});
