/**
 * A run logged to Stepwise from TypeScript: plain `fetch` through openapi-fetch, typed by `schema.d.ts`,
 * which openapi-typescript generates from the server's own OpenAPI document (`pnpm gen`).
 *
 *   STEPWISE_URL         the server (default http://127.0.0.1:8080)
 *   STEPWISE_API_KEY     an API key; or STEPWISE_KEY_FILE, a file holding one (such as .stepwise/bootstrap.key)
 *   STEPWISE_EXPERIMENT  the experiment to log into (default "typescript-example"; created if it does not exist)
 *
 * Run it with `node --import tsx typescript/train.ts`. The last line printed is `run_id=<uuid>`.
 */
import { readFileSync } from "node:fs";
import createClient from "openapi-fetch";
import type { components, paths } from "./schema";

type Metric = NonNullable<
  paths["/experiments/runs/{id}/log-batch"]["post"]["requestBody"]["content"]["application/json"]["metrics"]
>[number];
type Experiment = components["schemas"]["ExperimentResponse"];

const STEPS = 100;

const baseUrl = `${process.env.STEPWISE_URL ?? "http://127.0.0.1:8080"}/api/v1`;
const keyFile = process.env.STEPWISE_KEY_FILE;
const key = process.env.STEPWISE_API_KEY ?? (keyFile ? readFileSync(keyFile, "utf8").trim() : undefined);
if (!key) throw new Error("Set STEPWISE_API_KEY, or STEPWISE_KEY_FILE to a file holding the key");

const client = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${key}` } });

/** An error answer from the server: every one is JSON with `code` and `message`. */
class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`HTTP ${status} ${code}: ${message}`);
  }
}

/** The data of a successful answer, or an ApiError with the server's code and message. */
function ok<T>(result: { data?: T; error?: { code: string; message: string }; response: Response }): T {
  if (result.error || result.data === undefined) {
    const { code, message } = result.error ?? { code: "HTTP_ERROR", message: result.response.statusText };
    throw new ApiError(result.response.status, code, message);
  }
  return result.data;
}

async function getOrCreateExperiment(name: string): Promise<Experiment> {
  const created = await client.POST("/experiments", { body: { name, tags: { source: "examples/typescript" } } });
  if (created.response.status !== 409) return ok(created);
  // An active experiment has that name. `search` matches substrings, so pick the exact name.
  const found = ok(await client.GET("/experiments", { params: { query: { search: name, limit: 1000 } } }));
  const experiment = found.experiments.find((e) => e.name === name);
  if (!experiment) throw new ApiError(404, "NOT_FOUND", `experiment '${name}' was reported as taken but not found`);
  return experiment;
}

async function main() {
  const experiment = await getOrCreateExperiment(process.env.STEPWISE_EXPERIMENT ?? "typescript-example");
  const run = ok(await client.POST("/experiments/runs", { body: { experiment_id: experiment.id, name: "ts-train" } }));
  const path = { id: run.id };
  console.log(`experiment ${experiment.name} (${experiment.id}), run ${run.name} (${run.id})`);

  ok(
    await client.POST("/experiments/runs/{id}/log-params", {
      params: { path },
      body: { params: { lr: 0.003, layers: 4 } },
    }),
  );

  // The whole fake training curve in one log-batch: one request, not one per point.
  const metrics: Metric[] = [];
  for (let step = 0; step < STEPS; step++) {
    metrics.push({ key: "loss", value: 2 / (step + 1), step }, { key: "acc", value: step / STEPS, step });
  }
  const logged = ok(
    await client.POST("/experiments/runs/{id}/log-batch", {
      params: { path },
      body: { metrics, tags: [{ key: "framework", value: "none" }] },
    }),
  );
  console.log(`logged ${logged.metrics} metric points`);

  const history = ok(
    await client.GET("/experiments/runs/{id}/metrics/history", { params: { path, query: { key: "loss" } } }),
  );
  console.log(`loss: ${history.total_points} points, last ${history.points.at(-1)?.value}`);

  const ended = ok(await client.POST("/experiments/runs/{id}/end", { params: { path }, body: { status: "FINISHED" } }));
  console.log(`run ${ended.status}`);
  console.log(`run_id=${run.id}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof ApiError ? `Stepwise error: ${error.message}` : error);
  process.exit(1);
});
