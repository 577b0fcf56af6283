import { describe, expect, it, vi } from "vitest";
import { FlushError } from "./index";
import { testServer } from "./testing/server";

const server = await testServer();
const LOG_BATCH = "runs.logBatch";
const KEY_MESSAGE = /HTTP 400 BAD_REQUEST: .*key may hold only letters, digits and _ - \. space : \//;

async function setup(flushIntervalMs = 60_000) {
  const { api, calls, count } = await server.client();
  const run = await api.startRun({ experiment: "errors" }, { exitHook: false, flushIntervalMs });
  const answered = () => calls.filter((c) => c.procedure === LOG_BATCH && c.status).length;
  return { api, run, batches: () => count(LOG_BATCH), answered };
}

describe("a log-batch the server refuses (400)", () => {
  it("is thrown by end(), with the server's message, after the run is ended", async () => {
    const { api, run, batches } = await setup();
    run.log({ loss: 1, "bad key!": 2 });
    const end = run.end();
    await expect(end).rejects.toThrow(FlushError);
    await expect(end).rejects.toThrow(KEY_MESSAGE);
    await expect(end).rejects.toMatchObject({ status: 400, dropped: { metrics: 2, params: 0, tags: 0 } });
    expect(batches()).toBe(1); // not retried
    expect((await api.runs.get.query({ id: run.id })).status).toBe("FINISHED");
  });

  it("is thrown once, by the next log(), which then logs nothing", async () => {
    const { api, run, answered } = await setup(20);
    run.log({ "bad key!": 1 });
    await vi.waitFor(() => expect(answered()).toBe(1));
    await new Promise((r) => setTimeout(r, 50)); // the client reads the answer
    expect(() => run.log({ loss: 1 }, 0)).toThrow(KEY_MESSAGE);
    run.log({ loss: 2 }, 1);
    await run.end();
    const history = await api.runs.metricHistory.query({ id: run.id, key: "loss" });
    expect(history.points.map((p) => p.value)).toEqual([2]);
  });

  it("is thrown by flush(), and counts every batch lost before it is thrown", async () => {
    const { run } = await setup();
    run.logParams({ lr: 0.1 });
    await run.flush();
    run.logParams({ lr: 0.2 });
    await expect(run.flush()).rejects.toMatchObject({ status: 409, dropped: { params: 1 } });
    await expect(run.flush()).resolves.toBeUndefined(); // once
    await run.end();
  });

  it("does not hide that the run has ended", async () => {
    const { run } = await setup();
    await run.end();
    expect(() => run.log({ loss: 1 })).toThrow(/has been ended/);
    await expect(run.end()).rejects.toThrow(/already been ended/);
  });
});

describe("the beforeExit hook", () => {
  it("flushes what is buffered, and is removed by end()", async () => {
    const { api, count } = await server.client();
    const listeners = process.listenerCount("beforeExit");
    const run = await api.startRun({ experiment: "exit" }, { flushIntervalMs: 60_000 });
    expect(process.listenerCount("beforeExit")).toBe(listeners + 1);
    run.log({ loss: 1 });
    process.emit("beforeExit", 0);
    await vi.waitFor(() => expect(count(LOG_BATCH)).toBe(1));
    await run.end();
    expect(process.listenerCount("beforeExit")).toBe(listeners);
    expect(count(LOG_BATCH)).toBe(1);
  });

  it("prints a failure that no call has thrown to stderr, once", async () => {
    const { api } = await server.client();
    const run = await api.startRun({ experiment: "exit" }, { flushIntervalMs: 60_000 });
    const stderr = vi.spyOn(console, "error").mockImplementation(() => {});
    run.log({ "bad key!": 1 });
    // Node emits beforeExit again whenever the loop runs dry: first the flush, then the report.
    await vi.waitFor(() => {
      process.emit("beforeExit", 0);
      expect(stderr).toHaveBeenCalledWith(expect.stringMatching(KEY_MESSAGE));
    });
    stderr.mockRestore();
    await expect(run.end()).resolves.toMatchObject({ status: "FINISHED" });
  });
});
