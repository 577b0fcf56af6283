import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { scratchDatabaseUrl } from "@stepwise/core/testing";
import { afterAll, describe, expect, it } from "vitest";
import { openMigratedDatabase } from "./open-database";

// STEPWISE_MIGRATE=skip and `pnpm migrate` (the scale-out issue): replicas wait; the command migrates and exits.
const dataDir = mkdtempSync(join(tmpdir(), "stepwise-open-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const migrate = (env: Record<string, string>) =>
  promisify(execFile)("pnpm", ["migrate"], {
    cwd: resolve(import.meta.dirname, ".."),
    env: { ...process.env, ...env },
  });

describe("STEPWISE_MIGRATE=skip and pnpm migrate", () => {
  it("a replica that skips migrating waits until `pnpm migrate` has migrated its database", async (ctx) => {
    const url = await scratchDatabaseUrl();
    if (!url) return ctx.skip("needs PostgreSQL (DATABASE_URL) for an empty database");
    let opened = false;
    const waiting = openMigratedDatabase({ databaseUrl: url, databasePooler: "none", dataDir, migrate: "skip" });
    void waiting.then(() => (opened = true));
    await new Promise((r) => setTimeout(r, 1500));
    expect(opened).toBe(false);
    const { stdout } = await migrate({ DATABASE_URL: url });
    expect(stdout).toContain("Stepwise: the postgres database is migrated");
    const database = await waiting;
    try {
      expect(await database.isMigrated()).toBe(true);
    } finally {
      await database.close();
    }
  }, 120_000);

  it("pnpm migrate names DATABASE_URL in one line when it cannot use it, and exits 1", async () => {
    const failed = await migrate({ DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" }).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toMatch(/^Invalid configuration: DATABASE_URL cannot be used: .+$/m);
  }, 120_000);
});
