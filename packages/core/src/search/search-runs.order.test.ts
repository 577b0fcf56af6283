import { beforeAll, describe, expect, it } from "vitest";
import { createExperiment } from "../experiments/create-experiment";
import { deleteRun, restoreRun } from "../runs/delete-run";
import { createTestTenant } from "../testing";
import { searchFixture } from "./fixture.test-helper";
import { searchRuns } from "./search-runs";

const f = await searchFixture();
beforeAll(async () => {
  // Starts: t0 at 0 s ... t5 at 5 s; "tie1" and "tie2" share a start.
  await f.run({ name: "t0", start: 0, params: { p: "b" }, metrics: [["m", 2]] });
  await f.run({ name: "t1", start: 1, params: { p: "B" }, metrics: [["m", 1]] });
  await f.run({ name: "t2", start: 2, params: { p: "a" } });
  await f.run({ name: "t3", start: 3, metrics: [["m", 2]] });
  await f.run({ name: "tie1", start: 4, params: { p: "a" }, metrics: [["m", 3]] });
  await f.run({ name: "tie2", start: 4, params: { p: "a" }, metrics: [["m", 3]] });
});
const all = "status = 'RUNNING'";
const ties = () => [f.byName.get("tie1"), f.byName.get("tie2")].sort() as string[];
const nameOf = (id: string) => [...f.byName].find(([, v]) => v === id)?.[0];

describe("order_by", () => {
  it("defaults to newest start first, ties by ID", async () => {
    expect(await f.names(all)).toEqual([...ties().map(nameOf), "t3", "t2", "t1", "t0"]);
  });

  it("puts runs lacking the key last in both directions; ties by start (newest first), then ID", async () => {
    const [x, y] = ties().map(nameOf);
    expect(await f.names(all, ["metrics.m"])).toEqual(["t1", "t3", "t0", x, y, "t2"]);
    expect(await f.names(all, ["metrics.m DESC"])).toEqual([x, y, "t3", "t0", "t1", "t2"]);
    // Params sort byte-wise: 'B' < 'a' < 'b'.
    expect(await f.names(all, ["params.p"])).toEqual(["t1", x, y, "t2", "t0", "t3"]);
    expect(await f.names(all, ["params.p DESC"])).toEqual(["t0", x, y, "t2", "t1", "t3"]);
  });

  it("sorts by several keys, attributes and aggregates", async () => {
    const [x, y] = ties().map(nameOf);
    expect(await f.names(all, ["params.p DESC", "metrics.m DESC"])).toEqual(["t0", x, y, "t2", "t1", "t3"]);
    expect(await f.names(all, ["metrics.m", "params.p"])).toEqual(["t1", "t0", "t3", x, y, "t2"]);
    expect(await f.names(all, ["start_time ASC"])).toEqual(["t0", "t1", "t2", "t3", x, y]);
    expect(await f.names(all, ["count(metrics.m) DESC", "run_name DESC"])).toEqual([
      "tie2",
      "tie1",
      "t3",
      "t1",
      "t0",
      "t2",
    ]);
  });

  it("refuses an order_by key named twice", async () => {
    await expect(f.names(all, ["metrics.m", "metrics.m DESC"])).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
  });
});

describe("page tokens", () => {
  const pages = async (order_by: string[] | undefined, size: number) => {
    const seen: string[] = [];
    let page_token: string | undefined;
    do {
      const page = await f.search({ filter: all, order_by, max_results: size, page_token });
      seen.push(...page.runs.map((r) => r.name));
      page_token = page.next_page_token ?? undefined;
    } while (page_token);
    return seen;
  };

  it("page through in the same order as one big page, for every kind of sort key", async () => {
    for (const order of [
      undefined,
      ["metrics.m"],
      ["metrics.m DESC", "params.p"],
      ["params.p DESC"],
      ["first(metrics.m)"],
    ]) {
      const whole = (await f.search({ filter: all, order_by: order })).runs.map((r) => r.name);
      for (const size of [1, 2, 5]) expect(await pages(order, size), `${order} by ${size}`).toEqual(whole);
    }
  });

  it("refuse a token of another query, another tenant, or garbage, with a 400", async () => {
    const first = await f.search({ filter: all, max_results: 2 });
    const token = first.next_page_token as string;
    expect(token).toEqual(expect.any(String));
    const refused = { code: "INVALID_ARGUMENT", message: expect.stringContaining("page_token") };
    await expect(f.search({ filter: "status != 'X'", max_results: 2, page_token: token })).rejects.toMatchObject(
      refused,
    );
    await expect(f.search({ filter: all, order_by: ["metrics.m"], page_token: token })).rejects.toMatchObject(refused);
    await expect(f.search({ filter: all, view: "all", page_token: token })).rejects.toMatchObject(refused);
    await expect(f.search({ filter: all, page_token: "garbage" })).rejects.toMatchObject(refused);
    const other = await createTestTenant(f.db);
    const theirs = await createExperiment(f.db, other.id, { name: "x" }, { root: "/d", allowedRoots: [] });
    const input = {
      experiment_ids: [theirs.id],
      filter: all,
      max_results: 2,
      view: "active" as const,
      page_token: token,
    };
    await expect(searchRuns(f.db, other.id, input)).rejects.toMatchObject(refused);
    // Another tenant's experiment is not found, whatever the filter.
    const theirsFromHere = { ...input, page_token: undefined };
    await expect(searchRuns(f.db, f.tenant.id, theirsFromHere)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("view and include", () => {
  it("leaves deleted runs out unless the view asks for them", async () => {
    const gone = await f.run({ name: "gone", start: 9 });
    await deleteRun(f.db, f.tenant.id, gone);
    expect(await f.names("run_name = 'gone'")).toEqual([]);
    expect((await f.search({ filter: "run_name = 'gone'", view: "deleted" })).runs.map((r) => r.id)).toEqual([gone]);
    expect((await f.search({ view: "deleted" })).runs.map((r) => r.name)).toEqual(["gone"]);
    expect((await f.search({ view: "all" })).runs).toHaveLength(7);
    await restoreRun(f.db, f.tenant.id, gone);
    expect(await f.names("run_name = 'gone'")).toEqual(["gone"]);
    await deleteRun(f.db, f.tenant.id, gone);
  });

  it("carries only the included keys; runs come whole without include", async () => {
    await f.run({
      name: "wide",
      start: 10,
      params: { a: "1", b: "2" },
      tags: { t: "1", u: "2" },
      metrics: [
        ["x", 1],
        ["y", 2],
      ],
    });
    const [whole] = (await f.search({ filter: "run_name = 'wide'" })).runs;
    expect(whole).toMatchObject({ params: { a: "1", b: "2" }, tags: { t: "1", u: "2" } });
    expect(Object.keys(whole?.metrics ?? {}).sort()).toEqual(["x", "y"]);
    const include = { metrics: ["y", "nope"], params: ["b"], tags: [] };
    const [narrow] = (await f.search({ filter: "run_name = 'wide'", include })).runs;
    expect(narrow).toMatchObject({ params: { b: "2" }, tags: {}, metrics: { y: { value: 2, step: 0 } } });
    expect(Object.keys(narrow?.metrics ?? {})).toEqual(["y"]);
  });
});
