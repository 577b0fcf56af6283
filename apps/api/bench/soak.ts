import { rssMiB } from "./server";
import { type Api, batchBody, call, createRun, percentile } from "./workloads";

export interface SoakFigures {
  seconds: number;
  pointsPerSecond: number;
  /** RSS when the soak starts (an idle server); the peaks of the first and the last minute. */
  rssStart: number;
  rssWarm: number;
  rssEnd: number;
  errors: number;
  minutes: { minute: number; requests: number; p50: number; p99: number; rss: number }[];
}

/**
 * Steady ingest for `seconds` at `pointsPerSecond` (1000-point log-batches from 4 clients, paced), with the
 * server's RSS at the start and end, p50/p99 per minute, and the errors.
 */
export async function soak(api: Api, pid: number, experiment: string, seconds: number, pointsPerSecond: number) {
  const clients = 4;
  const runs = await Promise.all(Array.from({ length: clients }, () => createRun(api, experiment)));
  const keys = Array.from({ length: 10 }, (_, i) => `metric_${i}`);
  const interval = (clients * 1000) / (pointsPerSecond / 1000); // ms between one client's requests
  const start = performance.now();
  const end = start + seconds * 1000;
  const latencies: { at: number; ms: number }[] = [];
  let errors = 0;
  const rssStart = rssMiB(pid);
  // The peak of each minute: RSS swings with every garbage collection, so single samples say little.
  const rssAtMinute: number[] = [];
  const sampler = setInterval(() => {
    const minute = Math.floor((performance.now() - start) / 60_000);
    rssAtMinute[minute] = Math.max(rssAtMinute[minute] ?? 0, rssMiB(pid));
  }, 1000);
  await Promise.all(
    runs.map(async (run, c) => {
      for (let i = 0; ; i++) {
        const due = start + (c * interval) / clients + i * interval;
        if (due >= end) return;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const sentAt = performance.now();
        try {
          await call(api, "POST", `/experiments/runs/${run}/log-batch`, batchBody(keys, i * 100, 100));
          latencies.push({ at: sentAt - start, ms: performance.now() - sentAt });
        } catch {
          errors++;
        }
      }
    }),
  );
  clearInterval(sampler);
  const rssEnd = rssAtMinute[Math.ceil(seconds / 60) - 1] ?? rssMiB(pid); // the peak of the last whole minute
  const minutes = [];
  for (let m = 0; m * 60_000 < seconds * 1000; m++) {
    const inMinute = latencies.filter((l) => l.at >= m * 60_000 && l.at < (m + 1) * 60_000).map((l) => l.ms);
    minutes.push({
      minute: m + 1,
      requests: inMinute.length,
      p50: percentile(inMinute, 50),
      p99: percentile(inMinute, 99),
      rss: rssAtMinute[m] ?? rssEnd,
    });
  }
  const rssWarm = rssAtMinute[0] ?? rssStart; // the peak of the first minute
  return { seconds, pointsPerSecond, rssStart, rssWarm, rssEnd, errors, minutes } satisfies SoakFigures;
}
