import { describe, expect, it } from "vitest";
import { testApp } from "../testing/app";

// The resilience issue: a per-key rate limit (429 with Retry-After) and a bound on concurrent heavy requests.
describe("the rate limit", async () => {
  const t = await testApp({ rateLimit: { perSecond: 2, burst: 3 } });
  const me = await t.newTenant();
  const other = await t.newTenant();

  it("lets a key send its burst, then answers 429 with Retry-After; other keys are not affected", async () => {
    for (let i = 0; i < 3; i++) expect((await t.rest(me, "GET", "/experiments")).status).toBe(200);
    const limited = await t.rest(me, "GET", "/experiments");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");
    expect(limited.body).toMatchObject({ code: "TOO_MANY_REQUESTS", message: expect.stringContaining("rate limit") });
    const trpc = await t.app.request("/trpc/experiments.list", { headers: { authorization: `Bearer ${me.key}` } });
    expect(trpc.status).toBe(429);
    // The same key written another way is the same bucket.
    const respelled = await t.app.request("/api/v1/experiments", { headers: { authorization: `bearer \t ${me.key}` } });
    expect(respelled.status).toBe(429);
    expect((await t.rest(other, "GET", "/experiments")).status).toBe(200);
    await new Promise((r) => setTimeout(r, 600)); // 2 per second: one token back after 0.5 s
    expect((await t.rest(me, "GET", "/experiments")).status).toBe(200);
  });
});

describe("heavy requests", async () => {
  const t = await testApp({ heavyRequests: { concurrent: 1, queue: 1 } });
  const me = await t.newTenant();
  const experiment = (await t.rest(me, "POST", "/experiments", { body: { name: "heavy" } })).body;
  const run = (await t.rest(me, "POST", "/experiments/runs", { body: { experiment_id: experiment.id } })).body;
  const metrics = Array.from({ length: 2000 }, (_, step) => ({ key: "loss", value: step, step }));
  const body = new TextEncoder().encode(JSON.stringify({ metrics }));

  /** The large log-batch of these tests to `runId`, with its body (bytes or a stream) and Content-Length. */
  const batch = (runId: string, init: RequestInit & { duplex?: "half" } = {}) =>
    t.app.request(`/api/v1/experiments/runs/${runId}/log-batch`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${me.key}`,
        "content-type": "application/json",
        "content-length": String(body.length),
      },
      body,
      ...init,
    });

  /** A large log-batch whose body arrives only when `send()` is called: it holds its slot until then. */
  function slowBatch() {
    let send = () => {};
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        send = () => {
          controller.enqueue(body);
          controller.close();
        };
      },
    });
    const answer = batch(run.id, { body: stream, duplex: "half" });
    return { send: () => send(), answer };
  }

  it("serves them one at a time, queues the next, sheds the rest with 429; light requests pass", async () => {
    const first = slowBatch();
    await new Promise((r) => setTimeout(r, 5)); // arrivals in different milliseconds: their points differ
    const second = slowBatch();
    await new Promise((r) => setTimeout(r, 50));
    const shed = slowBatch();
    const refused = await shed.answer;
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("1");
    expect((await t.rest(me, "GET", `/experiments/runs/${run.id}`)).status).toBe(200);
    const done: string[] = [];
    second.send(); // queued: it is served only once the first is done, although its body is here first
    await new Promise((r) => setTimeout(r, 50));
    first.send();
    const answers = [first.answer, second.answer].map(async (a, i) => done.push(`${i}:${(await a).status}`));
    await Promise.all(answers);
    expect(done).toEqual(["0:200", "1:200"]);
    // Two batches of 2000 points, each stamped with the time the server received it.
    const history = await t.rest(me, "GET", `/experiments/runs/${run.id}/metrics/history?key=loss&max_points=10`);
    expect(history.body.total_points).toBe(4000);
  });

  it("stamps points sent without a timestamp with the time the request arrived, not when its turn came", async () => {
    const own = (await t.rest(me, "POST", "/experiments/runs", { body: { experiment_id: experiment.id } })).body;
    const first = slowBatch();
    await new Promise((r) => setTimeout(r, 20));
    const arrived = Date.now();
    const queued = batch(own.id);
    await new Promise((r) => setTimeout(r, 300)); // it waits for the heavy slot all this time
    const served = Date.now();
    first.send();
    expect((await first.answer).status).toBe(200);
    expect((await queued).status).toBe(200);
    const stamps = await t.rest(me, "GET", `/experiments/runs/${own.id}/metrics/history?key=loss&max_points=10`);
    expect(stamps.body.total_points).toBe(2000);
    for (const point of stamps.body.points) {
      expect(point.timestamp).toBeGreaterThanOrEqual(arrived);
      expect(point.timestamp).toBeLessThan(served);
    }
  });

  it("drops a queued request whose client has left: it never runs", async () => {
    const other = (await t.rest(me, "POST", "/experiments/runs", { body: { experiment_id: experiment.id } })).body;
    const first = slowBatch();
    await new Promise((r) => setTimeout(r, 50));
    const leaving = new AbortController();
    const queued = Promise.resolve(batch(other.id, { signal: leaving.signal })).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 50));
    leaving.abort();
    await queued;
    first.send();
    expect((await first.answer).status).toBe(200);
    await new Promise((r) => setTimeout(r, 100));
    const history = await t.rest(me, "GET", `/experiments/runs/${other.id}/metrics/history?key=loss&max_points=10`);
    expect(history.body.total_points).toBe(0);
  });
});
