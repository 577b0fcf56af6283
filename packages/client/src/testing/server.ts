import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { TEST_ARTIFACTS, testApp } from "@stepwise/api/testing";
import { afterAll } from "vitest";
import { createClient, type Fetch } from "../index";

export type { Fetch };

type Handler = (req: Request) => Promise<Response>;
/** Answers in front of the app: return a Response to answer, or undefined to pass the request on. */
export type Front = (req: Request, procedure: string) => Response | undefined | Promise<Response | undefined>;

/** The procedure path of a tRPC request (`runs.logBatch`). */
export const procedureOf = (input: string | URL | Request) =>
  new URL(input instanceof Request ? input.url : input).pathname.replace(/^\/trpc\//, "");

/**
 * The API over this test file's database, served over real HTTP on a free port. `front` may answer before the
 * app (a 503, a 429); `client()` records every call it makes (procedure, input, answer status) in `calls`.
 */
export async function testServer() {
  const { app, db, newTenant } = await testApp();
  let front: Front | undefined;
  const handler: Handler = async (req) => (await front?.(req, procedureOf(req))) ?? app.fetch(req);
  const server = serve({ fetch: handler, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function client(options: { wrap?: (fetch: Fetch) => Fetch; timeoutMs?: number } = {}) {
    const tenant = await newTenant();
    const calls: { procedure: string; body: unknown; key: string | null; status?: number }[] = [];
    const recording: Fetch = async (input, init) => {
      const call = {
        procedure: procedureOf(input),
        body: typeof init?.body === "string" ? JSON.parse(init.body) : {},
        key: new Headers(init?.headers).get("idempotency-key"),
      };
      calls.push(call);
      const res = await fetch(input, init);
      Object.assign(call, { status: res.status });
      return res;
    };
    const fetch_ = options.wrap ? options.wrap(recording) : recording;
    const api = createClient({ url, apiKey: tenant.key, fetch: fetch_, timeoutMs: options.timeoutMs });
    const count = (procedure: string) => calls.filter((c) => c.procedure === procedure).length;
    return { api, tenant, calls, count };
  }

  return { url, db, artifacts: TEST_ARTIFACTS, newTenant, client, setFront: (f: Front | undefined) => (front = f) };
}

/** A tRPC-shaped error answer, as the API sends one. */
export const trpcError = (status: number, code: string, headers: Record<string, string> = {}) =>
  new Response(
    JSON.stringify({ error: { message: `${code} (test front)`, code: -32000, data: { code, httpStatus: status } } }),
    {
      status,
      headers: { "content-type": "application/json", ...headers },
    },
  );
