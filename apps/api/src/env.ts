import { resolve } from "node:path";
import { type ArtifactSettings, parseS3Uri } from "@stepwise/core";
import { z } from "zod";

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

const bytes = (fallback: number) =>
  z.coerce
    .number({ message: "must be a number of bytes" })
    .int("must be a whole number of bytes")
    .positive()
    .default(fallback);
const count = (fallback: number, unit: string) =>
  z.coerce
    .number({ message: `must be a number of ${unit}` })
    .int(`must be a whole number of ${unit}`)
    .min(0, `must be 0 or more ${unit}`)
    .default(fallback);
const s3Root = (uri: string) => parseS3Uri(uri) !== null;

/** Contract section 9. Empty values count as unset. */
const Env = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional(),
  STEPWISE_DATABASE_POOLER: z.enum(["none", "transaction"], { message: "must be none or transaction" }).default("none"),
  STEPWISE_MIGRATE: z.enum(["auto", "skip"], { message: "must be auto or skip" }).default("auto"),
  STEPWISE_DATA_DIR: z.string().default("./.stepwise"),
  HOST: z.string().default("127.0.0.1"),
  PORT: z.coerce
    .number({ message: "must be a port number (0-65535)" })
    .int("must be a whole number")
    .min(0)
    .max(65535, "must be a port number (0-65535)")
    .default(8080),
  STEPWISE_ARTIFACT_ROOT: z
    .string()
    .refine((v) => !v.startsWith("s3://") || s3Root(v), "must be a local folder or an s3://bucket/prefix URI")
    .optional(),
  STEPWISE_ALLOWED_ARTIFACT_ROOTS: z
    .string()
    .transform((v) =>
      v
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .refine((roots) => roots.every(s3Root), "must be a comma-separated list of s3://bucket/prefix URIs")
    .optional(),
  STEPWISE_MAX_ARTIFACT_BYTES: bytes(5 * GiB),
  STEPWISE_MAX_BODY_BYTES: bytes(16 * MiB),
  STEPWISE_BOOTSTRAP_KEY: z
    .string()
    .min(32, "must be at least 32 characters")
    .regex(/^\S+$/, "must not hold spaces")
    .optional(),
  // The AWS SDK's own variables: credentials (AWS_ACCESS_KEY_ID, ..., AWS_PROFILE) it reads itself.
  AWS_ENDPOINT_URL_S3: z.url({ protocol: /^https?$/, message: "must be an http(s):// URL" }).optional(),
  AWS_ENDPOINT_URL: z.url({ protocol: /^https?$/, message: "must be an http(s):// URL" }).optional(),
  AWS_REGION: z.string().optional(),
  AWS_DEFAULT_REGION: z.string().optional(),
  STEPWISE_SHUTDOWN_GRACE_MS: count(10_000, "milliseconds"),
  STEPWISE_DRAIN_DELAY_MS: count(0, "milliseconds"),
  STEPWISE_HEADERS_TIMEOUT_MS: count(30_000, "milliseconds"),
  STEPWISE_IDLE_TIMEOUT_MS: count(120_000, "milliseconds"),
  STEPWISE_RATE_LIMIT: count(1000, "requests per second"),
  STEPWISE_RATE_LIMIT_BURST: count(2000, "requests"),
  STEPWISE_MAX_HEAVY_REQUESTS: count(8, "requests"),
  STEPWISE_HEAVY_QUEUE: count(64, "requests"),
  STEPWISE_METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export interface Config {
  databaseUrl: string | undefined;
  /** DATABASE_URL is a pooler in transaction mode (PgBouncer): no prepared statements, no pipelining. */
  databasePooler: "none" | "transaction";
  /** Start-up applies the migrations ("auto"), or leaves them to `pnpm migrate` and waits ("skip"). */
  migrate: "auto" | "skip";
  dataDir: string;
  host: string;
  port: number;
  artifacts: ArtifactSettings;
  maxArtifactBytes: number;
  maxBodyBytes: number;
  bootstrapKey: string | undefined;
  metricsToken: string | undefined;
  shutdownGraceMs: number;
  /** After SIGTERM, how long /readyz answers 503 while requests are still served, before the drain begins. */
  drainDelayMs: number;
  headersTimeoutMs: number;
  idleTimeoutMs: number;
  rateLimit: { perSecond: number; burst: number };
  heavyRequests: { concurrent: number; queue: number };
  logLevel: z.infer<typeof Env>["LOG_LEVEL"];
}

export class ConfigError extends Error {}

/** Reads the configuration; an invalid one is a ConfigError whose message is one line naming the variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ""));
  const parsed = Env.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`Invalid configuration: ${issue?.path.join(".")} ${issue?.message}`);
  }
  const e = parsed.data;
  // Relative paths are the user's: pnpm runs the start script in apps/api but says where it was called (INIT_CWD).
  const base = env.INIT_CWD ?? process.cwd();
  const dataDir = resolve(base, e.STEPWISE_DATA_DIR);
  const root = e.STEPWISE_ARTIFACT_ROOT
    ? e.STEPWISE_ARTIFACT_ROOT.startsWith("s3://")
      ? e.STEPWISE_ARTIFACT_ROOT
      : resolve(base, e.STEPWISE_ARTIFACT_ROOT)
    : resolve(dataDir, "artifacts");
  // A custom endpoint (MinIO, Ceph, Swift, ...) gets path-style addressing: bucket names need no DNS there.
  const endpoint = e.AWS_ENDPOINT_URL_S3 ?? e.AWS_ENDPOINT_URL;
  const region = e.AWS_REGION ?? e.AWS_DEFAULT_REGION ?? "us-east-1";
  return {
    databaseUrl: e.DATABASE_URL,
    databasePooler: e.STEPWISE_DATABASE_POOLER,
    migrate: e.STEPWISE_MIGRATE,
    dataDir,
    host: e.HOST,
    port: e.PORT,
    artifacts: {
      root,
      allowedRoots: e.STEPWISE_ALLOWED_ARTIFACT_ROOTS ?? (root.startsWith("s3://") ? [root] : []),
      s3: { endpoint, region, forcePathStyle: endpoint !== undefined },
    },
    maxArtifactBytes: e.STEPWISE_MAX_ARTIFACT_BYTES,
    maxBodyBytes: e.STEPWISE_MAX_BODY_BYTES,
    bootstrapKey: e.STEPWISE_BOOTSTRAP_KEY,
    metricsToken: e.STEPWISE_METRICS_TOKEN,
    shutdownGraceMs: e.STEPWISE_SHUTDOWN_GRACE_MS,
    drainDelayMs: e.STEPWISE_DRAIN_DELAY_MS,
    headersTimeoutMs: e.STEPWISE_HEADERS_TIMEOUT_MS,
    idleTimeoutMs: e.STEPWISE_IDLE_TIMEOUT_MS,
    rateLimit: { perSecond: e.STEPWISE_RATE_LIMIT, burst: e.STEPWISE_RATE_LIMIT_BURST },
    heavyRequests: { concurrent: e.STEPWISE_MAX_HEAVY_REQUESTS, queue: e.STEPWISE_HEAVY_QUEUE },
    logLevel: e.LOG_LEVEL,
  };
}
