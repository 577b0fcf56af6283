import { beforeEach, describe, expect, it } from "vitest";
import { createTestTenant, type TestTenant, testDatabase } from "../testing";
import { createExperiment } from "./create-experiment";
import { defaultExperimentId, ensureDefaultExperiment } from "./default-experiment";
import { getExperimentByNameOrThrow } from "./get-experiment-by-name";
import { searchExperiments } from "./search-experiments";
import { archiveExperiment } from "./set-lifecycle-stage";
import { updateExperiment } from "./update-experiment";

const { db } = await testDatabase();
const artifacts = { root: "/data/artifacts", allowedRoots: [] };
let tenant: TestTenant;
beforeEach(async () => {
  tenant = await createTestTenant(db);
});

describe("the Default experiment (MLflow's experiment 0)", () => {
  it("is made once per tenant, also by concurrent first uses, and found by its id after a rename", async () => {
    const [a, b] = await Promise.all([
      ensureDefaultExperiment(db, tenant.id, artifacts),
      ensureDefaultExperiment(db, tenant.id, artifacts),
    ]);
    expect(a.id).toBe(defaultExperimentId(tenant.id));
    expect(b.id).toBe(a.id);
    expect(a.name).toBe("Default");
    await updateExperiment(db, tenant.id, { id: a.id, name: "Renamed" });
    expect((await ensureDefaultExperiment(db, tenant.id, artifacts)).name).toBe("Renamed");
    expect(defaultExperimentId((await createTestTenant(db)).id)).not.toBe(a.id);
  });

  it("takes another name when an active experiment already holds 'Default'", async () => {
    await createExperiment(db, tenant.id, { name: "Default" }, artifacts);
    const made = await ensureDefaultExperiment(db, tenant.id, artifacts);
    expect(made.name).toBe(`Default (${made.id.slice(0, 8)})`);
  });
});

describe("experiments by name and MLflow's experiment search", () => {
  it("finds the active experiment of a name, else the latest archived one", async () => {
    const old = await createExperiment(db, tenant.id, { name: "x" }, artifacts);
    await archiveExperiment(db, tenant.id, old.id);
    expect((await getExperimentByNameOrThrow(db, tenant.id, "x")).id).toBe(old.id);
    const active = await createExperiment(db, tenant.id, { name: "x" }, artifacts);
    expect((await getExperimentByNameOrThrow(db, tenant.id, "x")).id).toBe(active.id);
    await expect(getExperimentByNameOrThrow(db, tenant.id, "y")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("filters with quoted tag keys and LIKE wildcards as MLflow does, and refuses SQL in a filter", async () => {
    await createExperiment(db, tenant.id, { name: "a_1", tags: { "my key": "v" } }, artifacts);
    await createExperiment(db, tenant.id, { name: "ab1" }, artifacts);
    const names = async (filter: string) =>
      (await searchExperiments(db, tenant.id, { filter, stages: ["active"], limit: 10, offset: 0 })).experiments
        .map((e) => e.name)
        .sort();
    expect(await names("tags.`my key` = 'v'")).toEqual(["a_1"]);
    expect(await names("name LIKE 'a_1'")).toEqual(["a_1", "ab1"]);
    expect(await names("name = 'x''; drop table experiments; --'")).toEqual([]);
    await expect(names("name = 'a' ; drop")).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
  });
});
