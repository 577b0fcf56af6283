import { describe, expect, expectTypeOf, it } from "vitest";
import { createClient } from "./index";
import { testServer } from "./testing/server";
import type { ExperimentResponse, RunResponse } from "./types";

const server = await testServer();

describe("createClient", () => {
  it("calls every procedure over HTTP with types from the API's router", async () => {
    const { api } = await server.client();
    const experiment = await api.experiments.create.mutate({ name: "typed", tags: { team: "vision" } });
    expectTypeOf(experiment).toEqualTypeOf<ExperimentResponse>();
    expectTypeOf(experiment.lifecycle_stage).toEqualTypeOf<"active" | "deleted">();
    const run = await api.runs.create.mutate({ experiment_id: experiment.id });
    expectTypeOf(run).toEqualTypeOf<RunResponse>();
    expectTypeOf(run.status).toEqualTypeOf<"RUNNING" | "FINISHED" | "FAILED" | "KILLED">();
    expect(await api.runs.get.query({ id: run.id })).toMatchObject({ id: run.id, status: "RUNNING" });

    // @ts-expect-error a name is a string: the input type comes from the router's zod schema
    const wrong = api.experiments.create.mutate({ name: 42 });
    await expect(wrong).rejects.toMatchObject({ data: { httpStatus: 400, code: "BAD_REQUEST" } });
    // @ts-expect-error there is no such procedure
    expect(api.runs.remove).toBeDefined(); // the proxy answers any path; the compiler does not
  });

  it("sends the key as a bearer token and the tenant as X-Tenant-ID", async () => {
    const a = await server.newTenant();
    const b = await server.newTenant();
    await expect(
      createClient({ url: server.url, apiKey: "swk_nope" }).experiments.list.query({}),
    ).rejects.toMatchObject({ data: { httpStatus: 401 } });
    const own = createClient({ url: `${server.url}/`, apiKey: a.key, tenant: a.slug });
    expect(await own.experiments.list.query({})).toMatchObject({ total: 0 });
    const foreign = createClient({ url: server.url, apiKey: a.key, tenant: b.slug });
    await expect(foreign.experiments.list.query({})).rejects.toMatchObject({ data: { httpStatus: 403 } });
  });
});
