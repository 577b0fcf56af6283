import { openDatabase } from "@stepwise/core";
import pino from "pino";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../app";
import { TEST_ARTIFACTS, testApp } from "../testing/app";

// The resilience issue's observability: request ids, one log line per request, /metrics.
const TOKEN = "scrape-token-0123456789";
const lines: Record<string, unknown>[] = [];
const logger = pino({ level: "info" }, { write: (line: string) => void lines.push(JSON.parse(line)) });
const t = await testApp({ metricsToken: TOKEN, logger });
let me: Awaited<ReturnType<typeof t.newTenant>>;
beforeAll(async () => {
  me = await t.newTenant();
});
const requestLines = () => lines.filter((l) => l.msg === "request");

describe("request ids and the request log", () => {
  it("honours a sane X-Request-Id, makes one otherwise, and returns it", async () => {
    const given = await t.rest(me, "GET", "/experiments", { headers: { "x-request-id": "trace-42.a:b" } });
    expect(given.headers.get("x-request-id")).toBe("trace-42.a:b");
    const made = await t.rest(me, "GET", "/experiments", { headers: { "x-request-id": "bad id with spaces" } });
    expect(made.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("logs one line per request: id, method, route template, status, duration, tenant; never the key or the body", async () => {
    const experiment = await t.rest(me, "POST", "/experiments", {
      body: { name: "secret-body-content" },
      headers: { "x-request-id": "log-line-test" },
    });
    await t.rest(me, "GET", `/experiments/${experiment.body.id}`, { headers: { "x-request-id": "log-line-get" } });
    const [create] = requestLines().filter((l) => l.req_id === "log-line-test");
    expect(create).toMatchObject({ method: "POST", route: "/api/v1/experiments", status: 201, tenant: me.id });
    expect(typeof create?.ms).toBe("number");
    expect(requestLines().find((l) => l.req_id === "log-line-get")).toMatchObject({
      route: "/api/v1/experiments/{id}",
      status: 200,
    });
    const all = JSON.stringify(lines);
    expect(all).not.toContain(me.key);
    expect(all).not.toContain("secret-body-content");
  });

  it("logs a 500 with its stack, and gives the client the request id to quote", async () => {
    // A real database without the schema: every query fails, as a bug would.
    const broken = await openDatabase({});
    const brokenLines: Record<string, unknown>[] = [];
    const app = createApp({
      database: broken,
      artifacts: TEST_ARTIFACTS,
      maxBodyBytes: 1024,
      maxArtifactBytes: 1024,
      logger: pino({ level: "info" }, { write: (l: string) => void brokenLines.push(JSON.parse(l)) }),
    });
    const res = await app.request("/api/v1/experiments", { headers: { authorization: `Bearer ${me.key}` } });
    expect(res.status).toBe(500);
    const id = res.headers.get("x-request-id");
    expect(await res.json()).toEqual({
      code: "INTERNAL_SERVER_ERROR",
      message: "Internal server error",
      request_id: id,
    });
    const logged = brokenLines.find((l) => l.level === 50) as { err?: { stack?: string } } | undefined;
    expect(logged?.err?.stack).toMatch(/metric|api_keys|relation/);
    await broken.close();
  });
});

describe("GET /metrics", () => {
  const scrape = (token?: string) =>
    t.app.request("/metrics", { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it("needs the configured token, and is off without one", async () => {
    expect((await scrape()).status).toBe(401);
    expect((await scrape("wrong-token-0123456789")).status).toBe(401);
    const off = createApp({
      database: await openDatabase({}),
      artifacts: TEST_ARTIFACTS,
      maxBodyBytes: 1024,
      maxArtifactBytes: 1024,
      logger: pino({ level: "silent" }),
    });
    expect((await off.request("/metrics", { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
  });

  it("counts requests by route template and status, points ingested, artifact bytes, the pool and the process", async () => {
    const experiment = (await t.rest(me, "POST", "/experiments", { body: { name: "metrics" } })).body;
    const run = (await t.rest(me, "POST", "/experiments/runs", { body: { experiment_id: experiment.id } })).body;
    const metrics = [1, 2, 3].map((step) => ({ key: "loss", value: step, step }));
    await t.rest(me, "POST", `/experiments/runs/${run.id}/log-batch`, { body: { metrics } });
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(10)]), "w.bin");
    await t.app.request(`/api/v1/experiments/runs/${run.id}/log-artifact`, {
      method: "POST",
      headers: { authorization: `Bearer ${me.key}` },
      body: form,
    });
    const res = await scrape(TOKEN);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toMatch(
      /stepwise_http_requests_total\{method="POST",route="\/api\/v1\/experiments\/runs\/\{id\}\/log-batch",status="200"\} 1/,
    );
    expect(text).toMatch(
      /stepwise_http_request_duration_seconds_bucket\{le="0.1",method="POST",route="\/api\/v1\/experiments"/,
    );
    expect(text).toMatch(/stepwise_metric_points_ingested_total 3/);
    expect(text).toMatch(/stepwise_artifact_bytes_total\{direction="in"\} 10/);
    expect(text).toMatch(/stepwise_db_pool_size \d+/);
    expect(text).toMatch(/stepwise_db_connections_in_use \d+/);
    expect(text).toMatch(/stepwise_db_requests_waiting \d+/);
    expect(text).toMatch(/process_cpu_user_seconds_total/);
    expect(text).not.toContain(run.id);
  });
});
