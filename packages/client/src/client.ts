import type { AppRouter } from "@stepwise/api/router";
import { createTRPCClient, httpLink } from "@trpc/client";
import { type Fetch, statusPreservingFetch } from "./http";
import type { Run, RunOptions } from "./run";
import { type StartRunInput, startRun } from "./start-run";
import type { Api } from "./types";

export interface ClientOptions {
  /** The server's base URL, e.g. `http://127.0.0.1:8080`; procedures are called at `${url}/trpc`. */
  url: string;
  apiKey: string;
  /** The tenant's slug (`X-Tenant-ID`); needed when the key is granted several tenants. */
  tenant?: string;
  /** Another `fetch` (a proxy agent, a test double); the global one by default. */
  fetch?: Fetch;
  /** How long one call may wait for its answer before it fails (and, in the run logger, is retried); 30 s. */
  timeoutMs?: number;
}

/** Every procedure of the API, typed (`client.runs.get.query({ id })`), plus the run logger. */
export type StepwiseClient = Api & {
  startRun(input: StartRunInput, options?: RunOptions): Promise<Run>;
};

/** A typed client of the API over tRPC, one HTTP request per call. Works in Node and in browsers. */
export function createClient({ url, apiKey, tenant, fetch, timeoutMs = 30_000 }: ClientOptions): StepwiseClient {
  const api: Api = createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${url.replace(/\/+$/, "")}/trpc`,
        fetch: statusPreservingFetch(fetch ?? ((input, init) => globalThis.fetch(input, init)), timeoutMs),
        // A call may carry an Idempotency-Key in its context: `mutate(input, { context: { idempotencyKey } })`.
        headers: ({ op }) => {
          const idempotencyKey = op.context.idempotencyKey;
          return {
            authorization: `Bearer ${apiKey}`,
            ...(tenant ? { "x-tenant-id": tenant } : {}),
            ...(typeof idempotencyKey === "string" ? { "idempotency-key": idempotencyKey } : {}),
          };
        },
      }),
    ],
  });
  const start = (input: StartRunInput, options?: RunOptions) => startRun(api, input, options);
  // tRPC's client is a proxy that reads every property as a procedure path, so startRun is added by a proxy too.
  return new Proxy(api, {
    get: (target, key, receiver) => (key === "startRun" ? start : Reflect.get(target, key, receiver)),
  }) as StepwiseClient;
}
