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
