import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import postgres from "postgres";
import { inject } from "vitest";
import { type DatabaseHandle, openDatabase } from "../db/client";
import { databaseUrlWithName } from "./database-url";
import "./template";

let handle: Promise<DatabaseHandle> | undefined;

async function cloneTemplate(): Promise<DatabaseHandle> {
  const template = inject("stepwiseTemplate");
  if (template.kind === "pglite") {
    return openDatabase({ loadDataDir: new Blob([readFileSync(template.dumpPath)]) });
  }
  const url = process.env.DATABASE_URL as string;
  const name = `${template.prefix}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}" template "${template.database}"`);
  } finally {
    await admin.end();
  }
  return openDatabase({ url: databaseUrlWithName(url, name), maxConnections: 4 });
}

/** This test file's own migrated database (PGlite, or PostgreSQL when DATABASE_URL is set). */
export function testDatabase(): Promise<DatabaseHandle> {
  handle ??= cloneTemplate();
  return handle;
}

export async function closeTestDatabase() {
  if (handle) await (await handle).close();
  handle = undefined;
}

/**
 * A new, empty database on DATABASE_URL's server (null on the PGlite pass), named with this run's prefix so that
 * the global teardown drops it; for tests of what happens before and during migration.
 */
export async function scratchDatabaseUrl(): Promise<string | null> {
  const template = inject("stepwiseTemplate");
  if (template.kind === "pglite") return null;
  const url = process.env.DATABASE_URL as string;
  const name = `${template.prefix}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  return databaseUrlWithName(url, name);
}
