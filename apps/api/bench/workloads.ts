import { Agent, request } from "node:http";
import { rssMiB } from "./server";

export interface Api {
  url: string;
  key: string;
}

/** Keep-alive connections, as a training script's HTTP session would hold; lighter on this machine than fetch. */
const agent = new Agent({ keepAlive: true, maxSockets: 16 });

/** One REST call under /api/v1; answers the parsed JSON, or throws with the status and body. */
// biome-ignore lint/suspicious/noExplicitAny: the bench reads arbitrary JSON answers
export function call(api: Api, method: string, path: string, body?: string): Promise<any> {
  const headers: Record<string, string | number> = { authorization: `Bearer ${api.key}` };
  if (body !== undefined) {
    headers["content-type"] = "application/json";
    headers["content-length"] = Buffer.byteLength(body);
  }
  return new Promise((done, fail) => {
    const req = request(`${api.url}/api/v1${path}`, { method, agent, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (text += d));
      res.on("end", () => {
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) done(JSON.parse(text));
        else fail(new Error(`${method} ${path} -> ${status}: ${text.slice(0, 300)}`));
      });
    });
    req.on("error", fail);
    req.end(body);
  });
}

export const median = (xs: number[]) => percentile(xs, 50);
export function percentile(xs: number[], p: number) {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** Runs `task(i)` for i in [0, n) on `concurrency` workers. */
export async function pool(n: number, concurrency: number, task: (i: number) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await task(next++);
    }),
  );
}

/** Times `n` sequential calls; answers milliseconds per call. */
export async function timeCalls(n: number, fn: () => Promise<unknown>) {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return times;
}

export async function createRun(api: Api, experimentId: string, name?: string): Promise<string> {
  return (await call(api, "POST", "/experiments/runs", JSON.stringify({ experiment_id: experimentId, name }))).id;
}

/** A log-batch body of `keys` x `steps` points starting at `firstStep`. */
export function batchBody(keys: string[], firstStep: number, steps: number, extra: object = {}) {
  const metrics = [];
  for (let s = 0; s < steps; s++) {
    const step = firstStep + s;
    for (const key of keys)
      metrics.push({ key, value: Math.sin(step / 100) + key.length, step, timestamp: 1_700_000_000_000 + step });
  }
  return JSON.stringify({ metrics, ...extra });
}

/** Samples the server's RSS every 100 ms while `work` runs; answers the peak in MiB. */
export async function peakRss(pid: number, work: () => Promise<void>) {
  let peak = rssMiB(pid);
  const timer = setInterval(() => {
    peak = Math.max(peak, rssMiB(pid));
  }, 100);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return Math.max(peak, rssMiB(pid));
}
