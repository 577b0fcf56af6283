import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, expect, it } from "vitest";
import { artifactOpenApiPaths } from "../artifacts/openapi-paths";
import { mlflowOpenApiPaths } from "../mlflow/openapi";
import { appRouter } from "../routers";
import { buildOpenApiDocument } from "./openapi-document";

// The document that clients are generated from, through a real OpenAPI linter: `redocly lint` with the
// recommended rules (apps/api/redocly.yaml says which are off and why). Any error or warning fails.
const API_DIR = resolve(import.meta.dirname, "../..");
const dir = mkdtempSync(join(tmpdir(), "stepwise-openapi-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface LintReport {
  totals: { errors: number; warnings: number };
  problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[];
}

it("passes redocly lint without errors or warnings", async () => {
  const file = join(dir, "openapi.json");
  writeFileSync(
    file,
    JSON.stringify(buildOpenApiDocument(appRouter, { ...artifactOpenApiPaths, ...mlflowOpenApiPaths }), null, 2),
  );
  const { stdout } = await promisify(execFile)(
    join(API_DIR, "node_modules/.bin/redocly"),
    ["lint", file, "--config", join(API_DIR, "redocly.yaml"), "--format", "json", "--lint-config", "error"],
    {
      cwd: API_DIR,
      env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", NO_COLOR: "1" },
      maxBuffer: 16 * 1024 * 1024,
    },
  ).catch((error: { stdout?: string; stderr?: string; message: string }) => {
    // It exits non-zero on errors; the report is still on stdout.
    if (error.stdout?.trim().startsWith("{")) return { stdout: error.stdout };
    throw new Error(`redocly lint failed to run: ${error.message}\n${error.stderr ?? ""}`);
  });
  const report = JSON.parse(stdout) as LintReport;
  const problems = report.problems.map((p) => `${p.severity} ${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`);
  expect(problems).toEqual([]);
  expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
}, 60_000);
