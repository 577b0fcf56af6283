import { afterEach, describe, expect, it } from "vitest";
import { FlushError } from "./index";
import { type Fetch, procedureOf, testServer, trpcError } from "./testing/server";
import type { Api } from "./types";

const server = await testServer();
afterEach(() => server.setFront(undefined));
const LOG_BATCH = "runs.logBatch";
const FAST = { baseDelayMs: 5, maxDelayMs: 50 };

/** Loses the `nth` successful answer to `procedure`: the server did the work, the client sees a network error. */
const loseAnswer =
  (procedure: string, nth: number) =>
  (fetch: Fetch): Fetch => {
    let seen = 0;
    return async (input, init) => {
      const res = await fetch(input, init);
      if (procedureOf(input) !== procedure || !res.ok || ++seen !== nth) return res;
      await res.text();
      throw new TypeError("fetch failed (test: the answer was lost)");
    };
  };

async function expectStored(api: Api, id: string, key: string, values: number[]) {
  const history = await api.runs.metricHistory.query({ id, key, max_points: 10_000 });
  expect(history.total_points).toBe(values.length);
  expect(history.points.map((p) => p.value)).toEqual(values);
}

describe("run creation retries", () => {
  it("creates one run although the answer to its creation was lost (Idempotency-Key)", async () => {
    const { api, count } = await server.client({ wrap: loseAnswer("runs.create", 1) });
    const run = await api.startRun({ experiment: "lost-create" }, { exitHook: false, retry: FAST });
    const listed = await api.runs.list.query({ experiment_id: run.info.experiment_id });
    expect(listed.runs.map((r) => r.id)).toEqual([run.id]);
    expect(count("runs.create")).toBe(2);
    await run.end();
  });
});

describe("calls that are still running or get no answer", () => {
  it("retries a 409 that says when to retry (an Idempotency-Key still running), and a call that times out", async () => {
    let answered = 0;
    server.setFront(async (_req, procedure) => {
      if (procedure !== LOG_BATCH || answered++ > 1) return undefined;
      if (answered === 1) return trpcError(409, "CONFLICT", { "retry-after": "0" });
      await new Promise((r) => setTimeout(r, 3000)); // no answer in time: the client gives up on this attempt
      return undefined;
    });
    // A timeout well above a loaded CI machine's answer time, well below the held answer.
    const { api, count } = await server.client({ timeoutMs: 1000 });
    const run = await api.startRun({ experiment: "still-running" }, { exitHook: false, retry: FAST });
    run.log({ loss: 1 }, 0);
    await run.end();
    await expectStored(api, run.id, "loss", [1]);
    expect(count(LOG_BATCH)).toBe(3);
  });
});

describe("run flushes retry", () => {
  it("503s (tRPC, REST-shaped and plain-text) and a lost answer: every point is stored exactly once", async () => {
    let refused = 0;
    server.setFront((_req, procedure) => {
      if (procedure !== LOG_BATCH || refused >= 4) return undefined;
      refused++;
      if (refused < 3) return trpcError(503, "SERVICE_UNAVAILABLE", { "retry-after": "0" });
      if (refused === 3) return Response.json({ code: "SERVICE_UNAVAILABLE", message: "down" }, { status: 503 });
      return new Response("upstream down", { status: 503, headers: { "content-type": "text/plain" } });
    });
    const { api, count, calls } = await server.client({ wrap: loseAnswer(LOG_BATCH, 2) });
    const run = await api.startRun({ experiment: "retries" }, { batchSize: 1000, exitHook: false, retry: FAST });
    const loss = [...Array(1500).keys()].map((i) => 1 / (i + 1));
    for (const [step, value] of loss.entries()) run.log({ loss: value, acc: step }, step);
    const ended = await run.end();
    expect(ended.status).toBe("FINISHED");
    expect((await api.runs.get.query({ id: run.id })).status).toBe("FINISHED");
    await expectStored(api, run.id, "loss", loss);
    await expectStored(api, run.id, "acc", [...loss.keys()]);
    expect(count(LOG_BATCH)).toBe(3 + 4 + 1); // three batches, four refused attempts, one re-send of a lost answer
    // Every attempt of a batch carries that batch's Idempotency-Key: three batches, three keys.
    const keys = calls.filter((c) => c.procedure === LOG_BATCH).map((c) => c.key);
    expect(keys.every((k) => typeof k === "string" && k.length > 0)).toBe(true);
    expect(new Set(keys).size).toBe(3);
  });

  const tooMany = {
    "tRPC-shaped": () => trpcError(429, "TOO_MANY_REQUESTS", { "retry-after": "1" }),
    "REST-shaped": () =>
      Response.json({ code: "TOO_MANY_REQUESTS", message: "slow" }, { status: 429, headers: { "retry-after": "1" } }),
    "plain-text": () => new Response("slow down", { status: 429, headers: { "retry-after": "1" } }),
  };
  it.each(Object.entries(tooMany))("waits as long as a %s 429's Retry-After says", async (_shape, answer) => {
    const seen: number[] = [];
    server.setFront((_req, procedure) => {
      if (procedure !== LOG_BATCH) return undefined;
      seen.push(Date.now());
      return seen.length === 1 ? answer() : undefined;
    });
    const { api } = await server.client();
    const run = await api.startRun({ experiment: "slow down" }, { exitHook: false, retry: FAST });
    run.log({ loss: 1 });
    await run.end();
    expect(seen).toHaveLength(2);
    expect((seen[1] ?? 0) - (seen[0] ?? 0)).toBeGreaterThanOrEqual(990);
    await expectStored(api, run.id, "loss", [1]);
  });

  it("retries for a time window of 503s without Retry-After, with backoff", async () => {
    let until = 0;
    server.setFront((_req, procedure) => {
      if (procedure !== LOG_BATCH) return undefined;
      until ||= Date.now() + 300;
      return Date.now() < until ? trpcError(503, "SERVICE_UNAVAILABLE") : undefined;
    });
    const { api, count } = await server.client();
    const run = await api.startRun({ experiment: "window" }, { exitHook: false, retry: { baseDelayMs: 20 } });
    run.log({ loss: 1 });
    run.log({ loss: 2 });
    await run.end();
    await expectStored(api, run.id, "loss", [1, 2]);
    expect(count(LOG_BATCH)).toBeGreaterThan(2);
    expect(count(LOG_BATCH)).toBeLessThan(10); // exponential, not a tight loop
  });

  it("gives up after the attempts run out, and says so in end()", async () => {
    server.setFront((_req, procedure) => (procedure === LOG_BATCH ? trpcError(503, "SERVICE_UNAVAILABLE") : undefined));
    const { api, count } = await server.client();
    const run = await api.startRun({ experiment: "down" }, { exitHook: false, retry: { ...FAST, maxAttempts: 3 } });
    run.log({ loss: 1, acc: 0 });
    const end = run.end();
    await expect(end).rejects.toThrow(FlushError);
    await expect(end).rejects.toThrow(/HTTP 503 SERVICE_UNAVAILABLE.*not stored: 2 metric points/);
    expect(count(LOG_BATCH)).toBe(3);
    expect((await api.runs.get.query({ id: run.id })).status).toBe("FINISHED");
  });

  it("ends a run whose first end answer was lost (the retry's 409 is read as done)", async () => {
    const { api, count } = await server.client({ wrap: loseAnswer("runs.end", 1) });
    const run = await api.startRun({ experiment: "lost end" }, { exitHook: false, retry: FAST });
    const ended = await run.end("KILLED");
    expect(ended.status).toBe("KILLED");
    expect(count("runs.end")).toBe(2);
  });
});
