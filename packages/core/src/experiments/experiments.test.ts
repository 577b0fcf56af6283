import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { tables } from "../db";
import { createTestTenant, type TestTenant, testDatabase } from "../testing";
import { createExperiment } from "./create-experiment";
import { getExperimentOrThrow } from "./get-experiment";
import { listExperiments } from "./list-experiments";
import { archiveExperiment, restoreExperiment } from "./set-lifecycle-stage";
import { updateExperiment } from "./update-experiment";

const { db } = await testDatabase();
const artifacts = { root: "/data/artifacts", allowedRoots: ["s3://ml-bucket/teams"] };
const list = (tenant: TestTenant, input: Partial<Parameters<typeof listExperiments>[2]> = {}) =>
  listExperiments(db, tenant.id, { lifecycle_stage: "active", limit: 100, offset: 0, ...input });

let tenant: TestTenant;
beforeEach(async () => {
  tenant = await createTestTenant(db);
});

describe("experiments", () => {
  it("creates with a default artifact location under the root, tenant and id", async () => {
    const e = await createExperiment(db, tenant.id, { name: "exp", tags: { team: "nlp" } }, artifacts);
    expect(e).toMatchObject({ name: "exp", description: null, lifecycle_stage: "active", tags: { team: "nlp" } });
    // Answered as a logical URI; the stored folder, which the store reads, is under the root.
    expect(e.artifact_location).toBe(`stepwise-artifacts:/${e.id}`);
    const [row] = await db.select().from(tables.experiments).where(eq(tables.experiments.id, e.id));
    expect(row?.artifactLocation).toBe(`/data/artifacts/${tenant.id}/${e.id}`);
    expect(e.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(await getExperimentOrThrow(db, tenant.id, e.id)).toEqual(e);
  });

  it("accepts an s3 location under an allowed root and rejects everything else", async () => {
    const ok = await createExperiment(
      db,
      tenant.id,
      { name: "a", artifact_location: "s3://ml-bucket/teams/x" },
      artifacts,
    );
    expect(ok.artifact_location).toBe("s3://ml-bucket/teams/x");
    for (const bad of [
      "file:///etc",
      "relative/path",
      "s3://ml-bucket/other",
      "s3://ml-bucket/teams/../secret",
      "s3://ml-bucket/teams/./x",
      "s3://ml-bucket/teams//x",
      "http://ml-bucket/teams#/../..",
      "s3://ml-bucket/teamsx",
      "s3://ml-bucket/teams/x?y=1",
      "s3://ml-bucket/teams/%2e%2e",
    ]) {
      await expect(
        createExperiment(db, tenant.id, { name: bad, artifact_location: bad }, artifacts),
      ).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    }
    expect((await list(tenant)).total).toBe(1);
  });

  it("refuses a location in another tenant's folder of an s3:// artifact root, and takes one in its own", async () => {
    const s3 = { root: "s3://ml-bucket/stepwise", allowedRoots: ["s3://ml-bucket/stepwise"] };
    const other = await createTestTenant(db);
    const foreign = `s3://ml-bucket/stepwise/${other.id}/x`;
    await expect(
      createExperiment(db, tenant.id, { name: "foreign", artifact_location: foreign }, s3),
    ).rejects.toMatchObject({ code: "INVALID_ARGUMENT", message: expect.stringContaining("another tenant") });
    const own = await createExperiment(
      db,
      tenant.id,
      { name: "own", artifact_location: `s3://ml-bucket/stepwise/${tenant.id}/shared` },
      s3,
    );
    expect(own.artifact_location).toBe(`s3://ml-bucket/stepwise/${tenant.id}/shared`);
  });

  it("keeps active names unique per tenant, frees them on archive, and guards restore", async () => {
    const first = await createExperiment(db, tenant.id, { name: "same" }, artifacts);
    await expect(createExperiment(db, tenant.id, { name: "same" }, artifacts)).rejects.toMatchObject({
      code: "CONFLICT",
    });
    const other = await createTestTenant(db);
    await expect(createExperiment(db, other.id, { name: "same" }, artifacts)).resolves.toBeTruthy();
    expect((await archiveExperiment(db, tenant.id, first.id)).lifecycle_stage).toBe("deleted");
    expect((await archiveExperiment(db, tenant.id, first.id)).lifecycle_stage).toBe("deleted");
    const second = await createExperiment(db, tenant.id, { name: "same" }, artifacts);
    await expect(restoreExperiment(db, tenant.id, first.id)).rejects.toMatchObject({ code: "CONFLICT" });
    await archiveExperiment(db, tenant.id, second.id);
    expect((await restoreExperiment(db, tenant.id, first.id)).lifecycle_stage).toBe("active");
    expect((await restoreExperiment(db, tenant.id, first.id)).lifecycle_stage).toBe("active");
  });

  it("searches case-insensitively with % and _ taken literally, newest first, paginated", async () => {
    for (const name of ["Loss_50%", "loss-50x", "accuracy", "LOSS_50%b"]) {
      await createExperiment(db, tenant.id, { name }, artifacts);
    }
    expect((await list(tenant, { search: "loss_50%" })).experiments.map((e) => e.name)).toEqual([
      "LOSS_50%b",
      "Loss_50%",
    ]);
    expect((await list(tenant, { search: "_" })).total).toBe(2);
    const page = await list(tenant, { limit: 2, offset: 1 });
    expect(page).toMatchObject({ total: 4, limit: 2, offset: 1 });
    expect(page.experiments.map((e) => e.name)).toEqual(["accuracy", "loss-50x"]);
  });

  it("merges tags on update and removes keys given null", async () => {
    const e = await createExperiment(db, tenant.id, { name: "t", tags: { a: "1", b: "2" } }, artifacts);
    const u = await updateExperiment(db, tenant.id, { id: e.id, tags: { b: null, c: "3" }, description: "d" });
    expect(u).toMatchObject({ tags: { a: "1", c: "3" }, description: "d", name: "t" });
    expect(Date.parse(u.updated_at)).toBeGreaterThanOrEqual(Date.parse(e.updated_at));
  });

  it("hides another tenant's experiment behind NOT_FOUND", async () => {
    const e = await createExperiment(db, tenant.id, { name: "mine" }, artifacts);
    const other = await createTestTenant(db);
    await expect(getExperimentOrThrow(db, other.id, e.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(updateExperiment(db, other.id, { id: e.id, name: "x" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(archiveExperiment(db, other.id, e.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
