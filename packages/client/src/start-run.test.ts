import { createExperiment } from "@stepwise/core";
import { describe, expect, it } from "vitest";
import { FlushError } from "./index";
import { testServer } from "./testing/server";

const server = await testServer();
const NO_HOOK = { exitHook: false } as const;

describe("client.startRun", () => {
  it("creates the experiment once, matches names exactly, and logs params and tags", async () => {
    const { api } = await server.client();
    const longer = await api.experiments.create.mutate({ name: "MNIST-baseline" });
    const first = await api.startRun(
      { experiment: "mnist", params: { lr: 0.1, deep: true }, tags: { t: "x" } },
      NO_HOOK,
    );
    const second = await api.startRun({ experiment: " mnist ", name: "second" }, NO_HOOK);
    expect(first.info.experiment_id).not.toBe(longer.id);
    expect(second.info.experiment_id).toBe(first.info.experiment_id);
    expect(second.info.name).toBe("second");
    expect(await api.runs.get.query({ id: first.id })).toMatchObject({
      status: "RUNNING",
      params: { lr: "0.1", deep: "true" },
      tags: { t: "x" },
    });
    await Promise.all([first.end(), second.end()]);
  });

  it("pages through search results to find an exact name", async () => {
    const { api, tenant } = await server.client();
    const target = await api.experiments.create.mutate({ name: "p" });
    for (let i = 0; i < 1000; i++) await createExperiment(server.db, tenant.id, { name: `p-${i}` }, server.artifacts);
    const run = await api.startRun({ experiment: "p" }, NO_HOOK);
    expect(run.info.experiment_id).toBe(target.id);
    await run.end();
  });

  it("survives a race to create the same experiment (409, then read again)", async () => {
    const { api, tenant, calls } = await server.client();
    // Another client creates it between this client's search and its create.
    server.setFront(async (_req, procedure) => {
      if (procedure !== "experiments.create") return undefined;
      server.setFront(undefined);
      await createExperiment(server.db, tenant.id, { name: "raced" }, server.artifacts);
      return undefined;
    });
    const run = await api.startRun({ experiment: "raced" }, NO_HOOK);
    expect(calls.filter((c) => c.procedure === "experiments.create").map((c) => c.status)).toEqual([409]);
    expect(run.info.experiment_id).toBe((await api.experiments.list.query({ search: "raced" })).experiments[0]?.id);
    const concurrent = await Promise.all([1, 2, 3, 4].map(() => api.startRun({ experiment: "together" }, NO_HOOK)));
    const list = await api.experiments.list.query({ search: "together" });
    expect(list.total).toBe(1);
    for (const r of concurrent) expect(r.info.experiment_id).toBe(list.experiments[0]?.id);
    await Promise.all([run, ...concurrent].map((r) => r.end()));
  });

  it("throws a refused param and leaves the run FAILED", async () => {
    const { api } = await server.client();
    const start = api.startRun({ experiment: "bad-param", params: { "bad key!": 1 } }, NO_HOOK);
    await expect(start).rejects.toThrow(FlushError);
    await expect(start).rejects.toThrow(/key may hold only/);
    const [experiment] = (await api.experiments.list.query({ search: "bad-param" })).experiments;
    const list = await api.runs.list.query({ experiment_id: experiment?.id ?? "" });
    expect(list.runs.map((r) => r.status)).toEqual(["FAILED"]);
  });
});
