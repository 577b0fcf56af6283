import { Agent, request } from "node:http";
import { type Api, batchBody, call, createRun, median, percentile, pool, timeCalls } from "./workloads";

const agent = new Agent({ keepAlive: true, maxSockets: 16 });

/** One call of the MLflow API (`/api/2.0/mlflow/<path>`); answers the parsed JSON, or throws with the status. */
// biome-ignore lint/suspicious/noExplicitAny: the bench reads arbitrary JSON answers
function mlflowCall(api: Api, method: string, path: string, body?: string): Promise<any> {
  const headers: Record<string, string | number> = { authorization: `Bearer ${api.key}` };
  if (body !== undefined) {
    headers["content-type"] = "application/json";
    headers["content-length"] = Buffer.byteLength(body);
  }
  return new Promise((done, fail) => {
    const req = request(`${api.url}/api/2.0/mlflow/${path}`, { method, agent, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (text += d));
      res.on("end", () => {
        if (res.statusCode === 200) done(JSON.parse(text));
        else fail(new Error(`${method} ${path} -> ${res.statusCode}: ${text.slice(0, 300)}`));
      });
    });
    req.on("error", fail);
    req.end(body);
  });
}

type Row = (workload: string, measured: number, unit: string, pass?: (v: number) => boolean, detail?: string) => void;

/**
 * The MLflow routes (issue 15): log-batch throughput through MLflow's route against the native one (the
 * same 1000-point batches, 4 clients each on its own run), a training loop's single log-metric, and the
 * whole history of a 100,000-point metric (get-history without max_results, as the npm client asks).
 */
export async function benchMlflow(api: Api, experimentId: string, scale: number, row: Row) {
  const keys = Array.from({ length: 10 }, (_, i) => `metric_${i}`);
  const clients = 4;
  const perClient = Math.max(5, Math.round(100 * scale));
  const ingest = async (send: (run: string, body: string) => Promise<unknown>) => {
    const runs = await Promise.all(Array.from({ length: clients }, () => createRun(api, experimentId)));
    const start = performance.now();
    await Promise.all(
      runs.map(async (run) => {
        for (let r = 0; r < perClient; r++) await send(run, batchBody(keys, r * 100, 100));
      }),
    );
    return (clients * perClient * 1000) / ((performance.now() - start) / 1000);
  };
  const mlflowBody = (run: string, body: string) =>
    JSON.stringify({ run_id: run.replace(/-/g, ""), ...JSON.parse(body) });
  // Untimed rounds first, so that neither route pays for the JIT's warm-up.
  await ingest((run, body) => call(api, "POST", `/experiments/runs/${run}/log-batch`, body));
  await ingest((run, body) => mlflowCall(api, "POST", "runs/log-batch", mlflowBody(run, body)));
  const native = await ingest((run, body) => call(api, "POST", `/experiments/runs/${run}/log-batch`, body));
  const mlflow = await ingest((run, body) => mlflowCall(api, "POST", "runs/log-batch", mlflowBody(run, body)));
  row(
    "MLflow log-batch, 1000 points/request, 4 clients",
    mlflow,
    "points/s",
    undefined,
    `native route: ${Math.round(native)} points/s`,
  );
  row("  native / MLflow log-batch throughput", native / mlflow, "x", (v) => v <= 1.3);

  // A training loop's mlflow.log_metric: one point per call, sequential, after untimed warm-up calls.
  const run = (await createRun(api, experimentId)).replace(/-/g, "");
  let step = 0;
  const logMetric = () =>
    mlflowCall(
      api,
      "POST",
      "runs/log-metric",
      JSON.stringify({ run_id: run, key: "loss", value: Math.random(), timestamp: Date.now(), step: step++ }),
    );
  for (let i = 0; i < 1000; i++) await logMetric();
  const single = await timeCalls(Math.round(2000 * Math.min(scale, 1)) || 100, logMetric);
  row(
    "MLflow log-metric, sequential (p50)",
    median(single),
    "ms",
    (v) => v <= 2,
    `p99 ${percentile(single, 99).toFixed(2)} ms`,
  );

  // The whole history of a 100,000-point metric in one answer.
  const points = Math.round(100_000 * scale);
  const historyRun = (await createRun(api, experimentId)).replace(/-/g, "");
  await pool(points / 1000, 2, (i) =>
    mlflowCall(api, "POST", "runs/log-batch", mlflowBody(historyRun, batchBody(["curve"], i * 1000, 1000))),
  );
  const get = () => mlflowCall(api, "GET", `metrics/get-history?run_id=${historyRun}&metric_key=curve`);
  let got = 0;
  await timeCalls(2, get);
  const history = await timeCalls(10, async () => {
    got = (await get()).metrics.length;
  });
  row(
    `MLflow get-history of ${points} points, whole (p50)`,
    median(history),
    "ms",
    undefined,
    `${got} points answered`,
  );
}
