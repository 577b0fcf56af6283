import type { ArtifactSettings } from "@stepwise/core";
import { createTestTenant, type TestTenant, testDatabase } from "@stepwise/core/testing";
import pino, { type Logger } from "pino";
import { createApp } from "../app";
import type { HeavyRequestLimit } from "../http/heavy-requests";
import { createMetrics } from "../http/metrics";
import type { RateLimit } from "../http/rate-limit";
import { appRouter } from "../routers";
import { contextFactory } from "../trpc/context";

export const TEST_ARTIFACTS = { root: "/tmp/stepwise-test-artifacts", allowedRoots: ["s3://test-bucket/stepwise"] };
export const TEST_MAX_BODY_BYTES = 1024 * 1024;
export const TEST_MAX_ARTIFACT_BYTES = 256 * 1024;

export interface CallOptions {
  /** Sent as the bearer key; `tenant.key` by default, none when null. */
  key?: string | null;
  /** Sent as X-Tenant-ID when given. */
  tenant?: string;
  /** JSON-encoded unless it is a string already. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface TestAppOptions {
  artifacts?: ArtifactSettings;
  maxArtifactBytes?: number;
  metricsToken?: string;
  logger?: Logger;
  rateLimit?: RateLimit;
  heavyRequests?: HeavyRequestLimit;
}

/** The app over this test file's database, with helpers to call it over REST and tRPC. */
export async function testApp({
  artifacts = TEST_ARTIFACTS,
  maxArtifactBytes = TEST_MAX_ARTIFACT_BYTES,
  metricsToken,
  logger = pino({ level: "silent" }),
  rateLimit,
  heavyRequests,
}: TestAppOptions = {}) {
  const database = await testDatabase();
  const metrics = createMetrics();
  const app = createApp({
    database,
    artifacts,
    maxBodyBytes: TEST_MAX_BODY_BYTES,
    maxArtifactBytes,
    logger,
    metricsToken,
    metrics,
    rateLimit,
    heavyRequests,
  });
  const createContext = contextFactory({ db: database.db, artifacts, metrics });

  /** A REST call under /api/v1 as `as` (a test tenant), answering status, JSON body and headers. */
  async function rest(as: TestTenant | null, method: string, path: string, options: CallOptions = {}) {
    const headers = new Headers(options.headers);
    const key = options.key === undefined ? as?.key : options.key;
    if (key) headers.set("authorization", `Bearer ${key}`);
    if (options.tenant) headers.set("x-tenant-id", options.tenant);
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
      if (!headers.has("content-type")) headers.set("content-type", "application/json");
    }
    const res = await app.request(`/api/v1${path}`, { method, headers, body });
    const text = await res.text();
    // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers
    const json: any = text ? JSON.parse(text) : undefined;
    return { status: res.status, body: json, headers: res.headers };
  }

  /** A tRPC caller acting with `as`'s key (the same procedures, without HTTP). */
  function caller(as: TestTenant, headers: Record<string, string> = {}) {
    const req = new Request("http://test/trpc", { headers: { authorization: `Bearer ${as.key}`, ...headers } });
    return appRouter.createCaller(createContext({ req }));
  }

  return {
    app,
    db: database.db,
    rest,
    caller,
    newTenant: (options?: { admin?: boolean }) => createTestTenant(database.db, options),
  };
}
