import MLflow from "mlflow";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { storesUnderTest } from "../testing/artifact-stores";
import { listen } from "./testing/listen";
import { mlflowTestApp } from "./testing/mlflow-app";

/** The npm `mlflow` client throws `Error('Error: {"status":..,"data":{error_code,..}}')` for any non-200. */
async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (e: Error) => e,
  );
  return JSON.parse(error.message.replace(/^Error: /, "")) as { status: number; data: { error_code: string } };
}

describe.each(storesUnderTest())("the npm mlflow 2.0.7 client against a listening server ($name)", ({ settings }) => {
  let server: Awaited<ReturnType<typeof listen>>;
  let client: MLflow;
  let key: string;
  let slug: string;
  beforeAll(async () => {
    vi.spyOn(console, "log").mockImplementation(() => {}); // the client logs every POST body
    const { app, newTenant } = await mlflowTestApp({ artifacts: settings });
    const me = await newTenant();
    key = me.key;
    slug = me.slug;
    server = await listen(app);
    client = new MLflow({ endpoint: `${server.url}/t/${slug}`, headers: { Authorization: `Bearer ${key}` } });
  });
  afterAll(() => server?.close());

  it("drives experiments, runs, metrics, params, tags, history and artifacts", async () => {
    const { experiment_id } = await client.Experiments.create({
      name: "npm-exp",
      artifact_location: undefined as never,
    });
    expect(experiment_id).toMatch(/^[0-9a-f-]{36}$/);
    const { experiment } = await client.Experiments.get({ experiment_id });
    expect(experiment).toMatchObject({ experiment_id, name: "npm-exp", lifecycle_stage: "active" });
    const listed = await client.Experiments.list();
    expect(listed.experiments.map((e) => e.name)).toContain("npm-exp");

    const { run } = await client.Runs.create({
      experiment_id,
      user_id: "npm-user",
      start_time: 1795732120098,
      tags: [{ key: "k", value: "v" }],
    });
    const run_id = run.info.run_id;
    expect(run_id).toMatch(/^[0-9a-f]{32}$/);
    expect((run.info as { run_name?: string }).run_name).toMatch(/^[a-z]+-[a-z]+-\d{3}$/);
    for (const [step, value] of [1, 0.5, 1 / 3].entries()) {
      await client.Runs.logMetric({ run_id, key: "loss", value, timestamp: 1795732120118 + step, step });
    }
    await client.Runs.logMetric({ run_id, key: "nostep", value: 3.5, timestamp: 1795732120166 });
    await client.Runs.logBatch({
      run_id,
      metrics: [{ key: "acc", value: 0.9, timestamp: 1795732120200, step: 0 }],
      params: [{ key: "opt", value: "adam" }],
      tags: [{ key: "stage", value: "train" }],
    });
    await client.Runs.logParameter({ run_id, key: "lr", value: "0.01" });
    expect(await failure(client.Runs.logParameter({ run_id, key: "lr", value: "0.02" }))).toMatchObject({
      status: 400,
      data: { error_code: "INVALID_PARAMETER_VALUE" },
    });
    expect(await failure(client.Runs.logParameter({ run_id, key: "lr2", value: 0.01 as never }))).toMatchObject({
      status: 400,
      data: { error_code: "INVALID_PARAMETER_VALUE" },
    });
    await client.Runs.setTag({ run_id, key: "team", value: "ml" });

    const history = await client.Metrics.getHistory({ run_id, metric_key: "loss" });
    expect(history.metrics.map((m) => [m.step, m.value])).toEqual([
      [0, 1],
      [1, 0.5],
      [2, 1 / 3],
    ]);
    const got = (await client.Runs.get({ run_id })).run;
    expect(Object.fromEntries(got.data.metrics.map((m) => [m.key, m.value]))).toEqual({
      loss: 1 / 3,
      nostep: 3.5,
      acc: 0.9,
    });
    expect(got.data.params).toEqual(
      expect.arrayContaining([
        { key: "lr", value: "0.01" },
        { key: "opt", value: "adam" },
      ]),
    );
    expect(got.data.tags).toEqual(
      expect.arrayContaining([
        { key: "team", value: "ml" },
        { key: "stage", value: "train" },
        { key: "k", value: "v" },
      ]),
    );

    // Artifacts through the proxy routes, as the Python client sends them, then the npm client's listing.
    const base = `${server.url}/t/${slug}/api/2.0/mlflow-artifacts/artifacts/${got.info.artifact_uri.replace("mlflow-artifacts:/", "")}`;
    const auth = { Authorization: `Bearer ${key}` };
    const bytes = Buffer.from("hello artifacts\n".repeat(1000));
    expect(
      (
        await fetch(`${base}/dir/notes.txt`, {
          method: "PUT",
          headers: { ...auth, "Content-Type": "text/plain" },
          body: bytes,
        })
      ).status,
    ).toBe(200);
    const download = await fetch(`${base}/dir/notes.txt`, { headers: auth });
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
    const missing = await fetch(`${base}/dir/none.txt`, { headers: auth });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error_code: "RESOURCE_DOES_NOT_EXIST" });
    const files = await client.Artifacts.list({ run_id, path: undefined as never });
    expect(files).toEqual({ root_uri: got.info.artifact_uri, files: [{ path: "dir", is_dir: true }] });
    expect((await client.Artifacts.list({ run_id, path: "dir" })).files).toEqual([
      { path: "dir/notes.txt", is_dir: false, file_size: bytes.length },
    ]);

    const ended = await client.Runs.update({ run_id, status: "FINISHED" as never, end_time: 1795732120350 });
    expect(ended.run_info).toMatchObject({ run_id, status: "FINISHED", end_time: 1795732120350 });
    expect(await failure(client.Runs.get({ run_id: "0".repeat(32) }))).toMatchObject({
      status: 404,
      data: { error_code: "RESOURCE_DOES_NOT_EXIST" },
    });

    await client.Experiments.update({ experiment_id, new_name: "npm-exp-renamed" });
    await client.Experiments.delete({ experiment_id });
    expect((await client.Experiments.get({ experiment_id })).experiment.lifecycle_stage).toBe("deleted");
    await client.Experiments.restore({ experiment_id });
    expect((await client.Experiments.get({ experiment_id })).experiment).toMatchObject({
      name: "npm-exp-renamed",
      lifecycle_stage: "active",
    });
  });
});
