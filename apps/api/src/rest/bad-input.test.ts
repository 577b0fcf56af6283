import type { TestTenant } from "@stepwise/core/testing";
import { beforeEach, describe, expect, it } from "vitest";
import { TEST_MAX_BODY_BYTES, testApp } from "../testing/app";

// Contract sections 1, 3 and 4: bad input is a 4xx with {code, message}, never a 500, and writes nothing.
const { app, rest, newTenant } = await testApp();
let me: TestTenant;
beforeEach(async () => {
  me = await newTenant();
});

/** What an error body must never show: a stack trace, a source path or SQL. */
const LEAK = /stack|at \/|insert into|\bselect\b/i;

function expectRejected(res: { status: number; body: unknown }, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.body).toMatchObject({ code, message: expect.stringMatching(/\S+ \S+/) });
  expect(JSON.stringify(res.body)).not.toMatch(LEAK);
}

const experimentCount = async () => (await rest(me, "GET", "/experiments")).body.total;

/** A raw request under /api/v1 or /trpc, for bodies the JSON helper cannot send. */
async function raw(path: string, init: RequestInit & { duplex?: "half" }) {
  const res = await app.request(path, { method: "POST", ...init, headers: { ...me.headers, ...init.headers } });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as unknown };
}

/** A streamed (chunked) body without Content-Length. */
const chunked = (bytes: Uint8Array) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < bytes.length; i += 64 * 1024) controller.enqueue(bytes.slice(i, i + 64 * 1024));
      controller.close();
    },
  });

/** A valid create-experiment body of exactly TEST_MAX_BODY_BYTES + 1 bytes. */
const overLimitBody = () => {
  const overhead = JSON.stringify({ name: "big", description: "" }).length;
  return JSON.stringify({ name: "big", description: "d".repeat(TEST_MAX_BODY_BYTES + 1 - overhead) });
};

describe("POST /experiments with bad bodies", () => {
  it.each<[string, unknown]>([
    ["NUL in the name", { name: "a\u0000b" }],
    ["a raw NUL byte in the JSON text", '{"name":"a\u0000b"}'],
    ["NUL in the description", { name: "ok", description: "x\u0000" }],
    ["NUL in a tag key", { name: "ok", tags: { "team\u0000": "cv" } }],
    ["NUL in a tag value", { name: "ok", tags: { team: "c\u0000v" } }],
    ["a 256-character name", { name: "n".repeat(256) }],
    ["truncated JSON", '{"name":'],
    ["bare NaN", "NaN"],
    ["bare Infinity", "Infinity"],
    ["NaN inside an object", '{"name": NaN}'],
    ["Infinity inside an object", '{"name": Infinity}'],
    ["1e309 (Infinity once parsed)", "1e309"],
    ["1e309 where a string belongs", '{"name": 1e309}'],
  ])("%s: 400 BAD_REQUEST, nothing written", async (_, body) => {
    expectRejected(await rest(me, "POST", "/experiments", { body }), 400, "BAD_REQUEST");
    expect(await experimentCount()).toBe(0);
  });

  it("accepts a 255-character name (the 256 rejection is the limit, not the field)", async () => {
    expect((await rest(me, "POST", "/experiments", { body: { name: "n".repeat(255) } })).status).toBe(201);
  });

  it.each([
    ["text/plain", "text/plain"],
    ["text/plain with a charset", "text/plain; charset=utf-8"],
    ["a form", "application/x-www-form-urlencoded"],
  ])("a JSON-looking body sent as %s: 415 UNSUPPORTED_MEDIA_TYPE", async (_, type) => {
    const res = await rest(me, "POST", "/experiments", { body: '{"name":"x"}', headers: { "content-type": type } });
    expectRejected(res, 415, "UNSUPPORTED_MEDIA_TYPE");
    expect(await experimentCount()).toBe(0);
  });

  it("a body without Content-Type: 415", async () => {
    // A byte body, unlike a string one, gets no default Content-Type from fetch.
    const res = await raw("/api/v1/experiments", { body: new TextEncoder().encode('{"name":"x"}') });
    expectRejected(res, 415, "UNSUPPORTED_MEDIA_TYPE");
    expect(await experimentCount()).toBe(0);
  });

  it("a body one byte over the limit: 413, with Content-Length or chunked, on REST and tRPC", async () => {
    const body = overLimitBody();
    expect(new TextEncoder().encode(body).length).toBe(TEST_MAX_BODY_BYTES + 1);
    expectRejected(await rest(me, "POST", "/experiments", { body }), 413, "PAYLOAD_TOO_LARGE");
    for (const path of ["/api/v1/experiments", "/trpc/experiments.create"]) {
      // As an HTTP client sends it: the size is in Content-Length, and judged from it before any byte is read.
      const res = await raw(path, {
        body,
        headers: { "content-type": "application/json", "content-length": String(body.length) },
      });
      expectRejected(res, 413, "PAYLOAD_TOO_LARGE");
    }
    for (const path of ["/api/v1/experiments", "/trpc/experiments.create"]) {
      const res = await raw(path, {
        body: chunked(new TextEncoder().encode(body)),
        headers: { "content-type": "application/json" },
        duplex: "half",
      });
      expectRejected(res, 413, "PAYLOAD_TOO_LARGE");
    }
    expect(await experimentCount()).toBe(0);
  });
});

describe("malformed UUIDs", () => {
  it.each(["not-a-uuid", "0190f0e0-0000-7000-8000-00000000000z", "1", "'%20OR%201=1--"])(
    "in the path (%s): 400 on every experiment and run route, nothing changed",
    async (bad) => {
      const e = (await rest(me, "POST", "/experiments", { body: { name: "keep" } })).body;
      for (const [method, path, body] of [
        ["GET", `/experiments/${bad}`],
        ["PATCH", `/experiments/${bad}`, { name: "renamed" }],
        ["DELETE", `/experiments/${bad}`],
        ["POST", `/experiments/${bad}/restore`],
        ["GET", `/experiments/runs/${bad}`],
        ["POST", `/experiments/runs/${bad}/end`, {}],
      ] as const) {
        expectRejected(await rest(me, method, path, { body }), 400, "BAD_REQUEST");
      }
      expect((await rest(me, "GET", `/experiments/${e.id}`)).body).toEqual(e);
      expect(await experimentCount()).toBe(1);
    },
  );

  it("as experiment_id in a body or query: 400 and no run written", async () => {
    const e = (await rest(me, "POST", "/experiments", { body: { name: "keep" } })).body;
    for (const experiment_id of ["not-a-uuid", `${e.id}x`, 42, null]) {
      const res = await rest(me, "POST", "/experiments/runs", { body: { experiment_id } });
      expectRejected(res, 400, "BAD_REQUEST");
      expect(JSON.stringify(res.body)).toContain("experiment_id");
    }
    expectRejected(await rest(me, "GET", "/experiments/runs?experiment_id=not-a-uuid"), 400, "BAD_REQUEST");
    expect((await rest(me, "GET", `/experiments/runs?experiment_id=${e.id}`)).body.total).toBe(0);
  });
});

describe("search", () => {
  it("?search=%00 is a 400", async () => {
    expectRejected(await rest(me, "GET", "/experiments?search=%00"), 400, "BAD_REQUEST");
    expectRejected(await rest(me, "GET", "/experiments?search=a%00b"), 400, "BAD_REQUEST");
  });

  it("treats % and _ as literal characters", async () => {
    for (const name of ["50%_off", "50xyoff", "a_b", "axb", "A_B2"]) {
      expect((await rest(me, "POST", "/experiments", { body: { name } })).status).toBe(201);
    }
    const names = async (search: string) =>
      (
        (await rest(me, "GET", `/experiments?search=${encodeURIComponent(search)}`)).body.experiments as {
          name: string;
        }[]
      )
        .map((e) => e.name)
        .sort();
    expect(await names("%")).toEqual(["50%_off"]);
    expect(await names("0%_")).toEqual(["50%_off"]);
    expect(await names("_")).toEqual(["50%_off", "A_B2", "a_b"]);
    expect(await names("a_b")).toEqual(["A_B2", "a_b"]);
    expect(await names("%%")).toEqual([]);
  });
});

describe("PATCH with bad input changes nothing", () => {
  it.each<[string, unknown, number, Record<string, string>?]>([
    ["NUL in a new name", { name: "x\u0000" }, 400],
    ["NUL in a tag value", { tags: { team: "\u0000" } }, 400],
    ["a 256-character name", { name: "n".repeat(256) }, 400],
    ["bare NaN", "NaN", 400],
    ["text/plain", '{"name":"x"}', 415, { "content-type": "text/plain" }],
  ])("%s: %i", async (_, body, status, headers) => {
    const e = (await rest(me, "POST", "/experiments", { body: { name: "keep", tags: { team: "cv" } } })).body;
    const res = await rest(me, "PATCH", `/experiments/${e.id}`, { body, headers });
    expectRejected(res, status, status === 415 ? "UNSUPPORTED_MEDIA_TYPE" : "BAD_REQUEST");
    expect((await rest(me, "GET", `/experiments/${e.id}`)).body).toEqual(e);
  });
});
