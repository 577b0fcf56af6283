import { createExperiment, createRun } from "@stepwise/core";
import type { TestTenant } from "@stepwise/core/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { restRoutes } from "../rest/routes";
import { appRouter } from "../routers";
import { TEST_ARTIFACTS, testApp } from "../testing/app";

// Issue 16: every REST route, taken from the router, with the bodies and queries an attacker or a careless
// client sends: nesting 3,000 deep (objects and arrays), a wide object, lone surrogates in keys and values,
// invalid UTF-8 bytes. None may answer 5xx; writes answer 400.
const { app, db, newTenant } = await testApp();
const ROUTES = restRoutes(appRouter);
let me: TestTenant;
let admin: TestTenant;
let experiment: string;
let run: string;
let run2: string;
beforeAll(async () => {
  [me, admin] = await Promise.all([newTenant(), newTenant({ admin: true })]);
  experiment = (await createExperiment(db, me.id, { name: "bodies" }, TEST_ARTIFACTS)).id;
  run = (await createRun(db, me.id, { experiment_id: experiment })).id;
  run2 = (await createRun(db, me.id, { experiment_id: experiment })).id;
});

const deepArrays = (n: number) => `${"[".repeat(n)}${"]".repeat(n)}`;
const deepObjects = (n: number) => `${'{"a":'.repeat(n)}1${"}".repeat(n)}`;
/** Raw bodies (strings are sent as they are, bytes too). */
const BODIES: Record<string, string | Uint8Array<ArrayBuffer>> = {
  "objects 3,000 deep": `{"metrics":${deepObjects(3000)},"tags":${deepObjects(3000)},"name":${deepObjects(3000)}}`,
  "arrays 3,000 deep": `{"metrics":${deepArrays(3000)},"params":${deepArrays(3000)},"run_ids":${deepArrays(3000)}}`,
  "a body that is 3,000 deep itself": deepArrays(3000),
  "a wide object": JSON.stringify({
    tags: Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, "v"])),
  }),
  "lone surrogates": JSON.stringify({
    name: "\ud800",
    description: "x\udfff",
    tags: { "\ud800": "\ud800" },
    params: { lr: "\udc00" },
    metrics: [{ key: "loss\ud800", value: 1 }],
    run_ids: ["\ud800"],
    slug: "\ud800",
  }),
  "invalid UTF-8": Uint8Array.from([...Buffer.from('{"name":"'), 0xff, 0xfe, 0xc3, ...Buffer.from('"}')]),
  "an encoded surrogate in UTF-8": Uint8Array.from([
    ...Buffer.from('{"name":"'),
    0xed,
    0xa0,
    0x80,
    ...Buffer.from('"}'),
  ]),
};

const pathOf = (path: string) =>
  path
    .replace("experiments/runs/{id}", `experiments/runs/${run}`)
    .replace("experiments/{id}", `experiments/${experiment}`)
    .replace("api-keys/{id}", "api-keys/0190f0e0-0000-7000-8000-000000000000")
    .replace("{key}", "t");

describe.each(Object.entries(BODIES))("%s", (_, body) => {
  it("gets no 5xx from any route, and a 400 from every write", async () => {
    for (const route of ROUTES) {
      const as = route.path.startsWith("/admin/") ? admin : me;
      const hasBody = route.method !== "GET" && route.method !== "DELETE";
      const query = hasBody ? "" : `?key=%ED%A0%80&experiment_id=${run2}&path=%ED%A0%80`;
      const res = await app.request(`/api/v1${pathOf(route.path)}${query}`, {
        method: route.method,
        headers: { authorization: `Bearer ${as.key}`, "content-type": "application/json" },
        body: hasBody ? body : undefined,
      });
      const text = await res.text();
      expect(res.status, `${route.method} ${route.path}: ${text.slice(0, 300)}`).toBeLessThan(500);
      if (hasBody && route.path !== "/experiments/runs/{id}/log-artifact") {
        expect(res.status, `${route.method} ${route.path}: ${text.slice(0, 300)}`).toBe(400);
        expect(JSON.parse(text)).toMatchObject({ code: "BAD_REQUEST", message: expect.any(String) });
      }
    }
  });
});
