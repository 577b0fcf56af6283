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

describe("a bad body from a caller who may not send it", () => {
  it("is a 401 first (no key, an unknown key), with WWW-Authenticate, as from any route", async () => {
    for (const key of [null, "swk_unknown0_0000000000000000000000000000000000000000000"]) {
      for (const init of [
        { body: "x", headers: { "content-type": "text/plain" } },
        { body: "{bad", headers: { "content-type": "application/json" } },
        { body: "[1]", headers: { "content-type": "application/json" } },
        { body: '{"name":"p","tags":{"__proto__":"x"}}', headers: { "content-type": "application/json" } },
      ]) {
        const res = await app.request("/api/v1/experiments", {
          method: "POST",
          body: init.body,
          headers: { ...init.headers, ...(key && { authorization: `Bearer ${key}` }) },
        });
        expect(res.status).toBe(401);
        expect(res.headers.get("www-authenticate")).toBe("Bearer");
        expect(await res.json()).toMatchObject({ code: "UNAUTHORIZED" });
      }
    }
  });

  it("is a 403 for a tenant the key was not granted, and for a non-admin key on an admin route", async () => {
    const other = await newTenant();
    const asOther = await raw("/api/v1/experiments", {
      body: "x",
      headers: { "content-type": "text/plain", "x-tenant-id": other.slug },
    });
    expectRejected(asOther, 403, "FORBIDDEN");
    const admin = await raw("/api/v1/admin/tenants", { body: "{bad", headers: { "content-type": "application/json" } });
    expectRejected(admin, 403, "FORBIDDEN");
    // A caller who may send it hears what is wrong with the body.
    expectRejected(
      await raw("/api/v1/experiments", { body: "x", headers: { "content-type": "text/plain" } }),
      415,
      "UNSUPPORTED_MEDIA_TYPE",
    );
  });
});

describe("bodies and values the contract refuses wherever they are", () => {
  it("a body that is not a JSON object: 400", async () => {
    for (const body of ["[]", "null", '"name"', "123", "[1]"]) {
      const res = await raw("/api/v1/experiments", { body, headers: { "content-type": "application/json" } });
      expectRejected(res, 400, "BAD_REQUEST");
      expect(res.body).toMatchObject({ message: expect.stringContaining("JSON object") });
    }
    const e = (await rest(me, "POST", "/experiments", { body: { name: "kept" } })).body;
    await rest(me, "DELETE", `/experiments/${e.id}`);
    const restore = await raw(`/api/v1/experiments/${e.id}/restore`, {
      body: "[1]",
      headers: { "content-type": "application/json" },
    });
    expectRejected(restore, 400, "BAD_REQUEST");
    expect((await rest(me, "GET", `/experiments/${e.id}`)).body.lifecycle_stage).toBe("deleted");
    expect(await experimentCount()).toBe(0);
  });

  it("a NUL character in a field the operation ignores, in a key, or in an unknown query parameter: 400", async () => {
    for (const body of [
      '{"name":"n1","zzz":"v\\u0000"}',
      '{"name":"n2","z\\u0000z":1}',
      '{"name":"n3","x":["\\\\\\u0000"]}',
    ]) {
      const res = await raw("/api/v1/experiments", { body, headers: { "content-type": "application/json" } });
      expectRejected(res, 400, "BAD_REQUEST");
      expect(res.body).toMatchObject({ message: expect.stringContaining("NUL") });
    }
    expect(await experimentCount()).toBe(0);
    // An escaped backslash before "u0000" is no NUL.
    const fine = await raw("/api/v1/experiments", {
      body: '{"name":"n4","description":"C:\\\\u0000"}',
      headers: { "content-type": "application/json" },
    });
    expect(fine.status).toBe(201);
    expect((fine.body as { description: string }).description).toBe("C:\\u0000");
    expectRejected(await rest(me, "GET", "/experiments?foo=%00"), 400, "BAD_REQUEST");
  });

  it("the key '__proto__' (valid characters, but no JSON object can carry it): 400, never dropped", async () => {
    const res = await raw("/api/v1/experiments", {
      body: '{"name":"proto","tags":{"__proto__":"x"}}',
      headers: { "content-type": "application/json" },
    });
    expectRejected(res, 400, "BAD_REQUEST");
    expect(res.body).toMatchObject({
      message: "Invalid input: tags.__proto__: key '__proto__' is reserved",
      issues: [{ path: ["tags", "__proto__"], message: "key '__proto__' is reserved" }],
    });
    const trpc = await raw("/trpc/experiments.create", {
      body: '{"name":"proto","tags":{"__proto__":"x"}}',
      headers: { "content-type": "application/json" },
    });
    expect(trpc.status).toBe(400);
    expect(await experimentCount()).toBe(0);
    const e = (await rest(me, "POST", "/experiments", { body: { name: "e" } })).body;
    const run = (await rest(me, "POST", "/experiments/runs", { body: { experiment_id: e.id } })).body;
    const metrics = await raw(`/api/v1/experiments/runs/${run.id}/log-metrics`, {
      body: '{"metrics":{"__proto__":1}}',
      headers: { "content-type": "application/json" },
    });
    expectRejected(metrics, 400, "BAD_REQUEST");
    const batch = await rest(me, "POST", `/experiments/runs/${run.id}/log-batch`, {
      body: { tags: [{ key: "__proto__", value: "x" }] },
    });
    expectRejected(batch, 400, "BAD_REQUEST");
    const stored = (await rest(me, "GET", `/experiments/runs/${run.id}`)).body;
    expect(stored.metrics).toEqual({});
    expect(stored.tags).toEqual({});
  });

  it("an empty artifact_location is refused like any other non-s3 one, with the field in issues", async () => {
    for (const location of ["", "file:///tmp/x"]) {
      const res = await rest(me, "POST", "/experiments", { body: { name: "art", artifact_location: location } });
      expectRejected(res, 400, "BAD_REQUEST");
      expect(res.body).toMatchObject({
        message: expect.stringContaining("artifact_location must be an s3://"),
        issues: [{ path: ["artifact_location"], message: expect.stringContaining("s3://") }],
      });
    }
    expect(await experimentCount()).toBe(0);
  });
});
