import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./env";

// Contract section 9. loadConfig takes the environment as an argument, so these tests never touch process.env.
const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const KEY = `swk_${"a".repeat(40)}`;

describe("loadConfig defaults", () => {
  it("uses the contract's defaults for an empty environment", () => {
    const dataDir = resolve("./.stepwise");
    expect(loadConfig({})).toEqual({
      databaseUrl: undefined,
      databasePooler: "none",
      migrate: "auto",
      dataDir,
      host: "127.0.0.1",
      port: 8080,
      artifacts: {
        root: resolve(dataDir, "artifacts"),
        allowedRoots: [],
        s3: { endpoint: undefined, region: "us-east-1", forcePathStyle: false },
      },
      maxArtifactBytes: 5 * GiB,
      maxBodyBytes: 16 * MiB,
      bootstrapKey: undefined,
      metricsToken: undefined,
      shutdownGraceMs: 10_000,
      drainDelayMs: 0,
      headersTimeoutMs: 30_000,
      idleTimeoutMs: 120_000,
      rateLimit: { perSecond: 1000, burst: 2000 },
      heavyRequests: { concurrent: 8, queue: 64 },
      logLevel: "info",
    });
  });

  it("treats empty and blank values as unset", () => {
    expect(loadConfig({ PORT: "", HOST: " ", LOG_LEVEL: "", DATABASE_URL: "" })).toEqual(loadConfig({}));
  });

  it("puts the default artifact root under a given data directory", () => {
    const config = loadConfig({ STEPWISE_DATA_DIR: "/srv/stepwise" });
    expect(config.dataDir).toBe("/srv/stepwise");
    expect(config.artifacts.root).toBe("/srv/stepwise/artifacts");
  });
});

describe("loadConfig honours every variable", () => {
  it("resolves relative folders against the directory pnpm was called from (INIT_CWD)", () => {
    const config = loadConfig({ INIT_CWD: "/srv/stepwise", STEPWISE_DATA_DIR: "data", STEPWISE_ARTIFACT_ROOT: "art" });
    expect(config.dataDir).toBe("/srv/stepwise/data");
    expect(config.artifacts.root).toBe("/srv/stepwise/art");
    expect(loadConfig({ INIT_CWD: "/srv/stepwise" }).dataDir).toBe("/srv/stepwise/.stepwise");
  });

  it("reads each of them", () => {
    const config = loadConfig({
      DATABASE_URL: "postgresql://user:pw@db.internal:5433/stepwise",
      STEPWISE_DATA_DIR: "relative/data",
      HOST: "0.0.0.0",
      PORT: "9090",
      STEPWISE_ARTIFACT_ROOT: "s3://ml-bucket/stepwise",
      STEPWISE_ALLOWED_ARTIFACT_ROOTS: "s3://ml-bucket/stepwise, s3://other-bucket/team-a",
      STEPWISE_MAX_ARTIFACT_BYTES: "1048576",
      STEPWISE_MAX_BODY_BYTES: "65536",
      STEPWISE_BOOTSTRAP_KEY: KEY,
      STEPWISE_METRICS_TOKEN: "prometheus-scrape-token",
      STEPWISE_SHUTDOWN_GRACE_MS: "30000",
      STEPWISE_DRAIN_DELAY_MS: "2000",
      STEPWISE_DATABASE_POOLER: "transaction",
      STEPWISE_MIGRATE: "skip",
      STEPWISE_HEADERS_TIMEOUT_MS: "5000",
      STEPWISE_IDLE_TIMEOUT_MS: "60000",
      STEPWISE_RATE_LIMIT: "0",
      STEPWISE_RATE_LIMIT_BURST: "10",
      STEPWISE_MAX_HEAVY_REQUESTS: "2",
      STEPWISE_HEAVY_QUEUE: "4",
      LOG_LEVEL: "debug",
      AWS_ENDPOINT_URL_S3: "http://127.0.0.1:9000",
      AWS_REGION: "eu-west-1",
    });
    expect(config).toEqual({
      databaseUrl: "postgresql://user:pw@db.internal:5433/stepwise",
      databasePooler: "transaction",
      migrate: "skip",
      dataDir: resolve("relative/data"),
      host: "0.0.0.0",
      port: 9090,
      artifacts: {
        root: "s3://ml-bucket/stepwise",
        allowedRoots: ["s3://ml-bucket/stepwise", "s3://other-bucket/team-a"],
        s3: { endpoint: "http://127.0.0.1:9000", region: "eu-west-1", forcePathStyle: true },
      },
      maxArtifactBytes: 1048576,
      maxBodyBytes: 65536,
      bootstrapKey: KEY,
      metricsToken: "prometheus-scrape-token",
      shutdownGraceMs: 30_000,
      drainDelayMs: 2000,
      headersTimeoutMs: 5000,
      idleTimeoutMs: 60_000,
      rateLimit: { perSecond: 0, burst: 10 },
      heavyRequests: { concurrent: 2, queue: 4 },
      logLevel: "debug",
    });
  });

  it("accepts postgres:// as well as postgresql://", () => {
    expect(loadConfig({ DATABASE_URL: "postgres://localhost/x" }).databaseUrl).toBe("postgres://localhost/x");
  });

  it("lets an s3:// artifact root be the allowed root by default", () => {
    expect(loadConfig({ STEPWISE_ARTIFACT_ROOT: "s3://ml-bucket/runs" }).artifacts).toEqual({
      root: "s3://ml-bucket/runs",
      allowedRoots: ["s3://ml-bucket/runs"],
      s3: { endpoint: undefined, region: "us-east-1", forcePathStyle: false },
    });
  });

  it("resolves a local artifact root, which allows no s3:// root by default", () => {
    expect(loadConfig({ STEPWISE_ARTIFACT_ROOT: "./artifacts-here" }).artifacts).toEqual({
      root: resolve("./artifacts-here"),
      allowedRoots: [],
      s3: { endpoint: undefined, region: "us-east-1", forcePathStyle: false },
    });
  });

  it("takes the S3 endpoint from AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL, and the region from AWS_DEFAULT_REGION too", () => {
    const s3 = (env: Record<string, string>) => loadConfig(env).artifacts.s3;
    expect(s3({ AWS_ENDPOINT_URL: "https://s3.internal" })).toEqual({
      endpoint: "https://s3.internal",
      region: "us-east-1",
      forcePathStyle: true,
    });
    expect(s3({ AWS_ENDPOINT_URL: "https://a", AWS_ENDPOINT_URL_S3: "https://b" })?.endpoint).toBe("https://b");
    expect(s3({ AWS_DEFAULT_REGION: "ap-south-1" })?.region).toBe("ap-south-1");
    expect(s3({ AWS_DEFAULT_REGION: "ap-south-1", AWS_REGION: "eu-north-1" })?.region).toBe("eu-north-1");
  });

  it.each(["fatal", "error", "warn", "info", "debug", "trace", "silent"])("accepts LOG_LEVEL=%s", (level) => {
    expect(loadConfig({ LOG_LEVEL: level }).logLevel).toBe(level);
  });
});

describe("invalid configuration", () => {
  it.each([
    ["PORT", "abc"],
    ["PORT", "70000"],
    ["PORT", "80.5"],
    ["DATABASE_URL", "mysql://x"],
    ["STEPWISE_ARTIFACT_ROOT", "s3://"],
    ["STEPWISE_ALLOWED_ARTIFACT_ROOTS", "file:///x"],
    ["STEPWISE_ALLOWED_ARTIFACT_ROOTS", "s3://ok-bucket/a,/local/path"],
    ["STEPWISE_BOOTSTRAP_KEY", "short"],
    ["STEPWISE_BOOTSTRAP_KEY", `${KEY} with spaces`],
    ["LOG_LEVEL", "loud"],
    ["STEPWISE_MAX_BODY_BYTES", "-1"],
    ["STEPWISE_MAX_BODY_BYTES", "lots"],
    ["STEPWISE_MAX_ARTIFACT_BYTES", "0"],
    ["STEPWISE_METRICS_TOKEN", "short"],
    ["STEPWISE_SHUTDOWN_GRACE_MS", "soon"],
    ["STEPWISE_DRAIN_DELAY_MS", "-1"],
    ["STEPWISE_DATABASE_POOLER", "pgbouncer"],
    ["STEPWISE_MIGRATE", "later"],
    ["STEPWISE_RATE_LIMIT", "-5"],
    ["STEPWISE_MAX_HEAVY_REQUESTS", "2.5"],
    ["AWS_ENDPOINT_URL_S3", "not a url"],
    ["AWS_ENDPOINT_URL", "ftp://s3.internal"],
  ])("%s=%s throws a ConfigError: one line naming the variable", (name, value) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain(name);
    expect(message).not.toMatch(/\n/);
    expect(message.length).toBeGreaterThan(name.length + 10);
  });

  it("does not print a secret it rejects", () => {
    expect(() => loadConfig({ STEPWISE_BOOTSTRAP_KEY: "short-secret" })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining("short-secret") }),
    );
  });
});
