import { rssMiB } from "./server";

export interface Api {
  url: string;
  key: string;
}

export async function call(api: Api, method: string, path: string, body?: string) {
  const res = await fetch(`${api.url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${api.key}`, ...(body ? { "content-type": "application/json" } : {}) },
    body,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} -> ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text);
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
