import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { openDatabase } from "../db/client";
import { databaseUrlWithName } from "./database-url";
import "./template";

/**
 * Migrates one template database per test run; each test file then starts from a copy of it
 * (PostgreSQL: CREATE DATABASE ... TEMPLATE; PGlite: a loaded data directory dump).
 */
export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  if (url) {
    const prefix = `stepwise_t_${randomBytes(4).toString("hex")}`;
    const template = `${prefix}_template`;
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${template}"`);
    const handle = await openDatabase({ url: databaseUrlWithName(url, template), maxConnections: 1 });
    await handle.migrate();
    await handle.close();
    project.provide("stepwiseTemplate", { kind: "postgres", database: template, prefix });
    return async () => {
      const dbs = await admin<
        { datname: string }[]
      >`select datname from pg_database where datname like ${`${prefix}%`}`;
      for (const { datname } of dbs) await admin.unsafe(`drop database if exists "${datname}" with (force)`);
      await admin.end();
    };
  }
  const dir = mkdtempSync(join(tmpdir(), "stepwise-test-"));
  const handle = await openDatabase({});
  await handle.migrate();
  const dump = await (
    handle.db as unknown as { $client: { dumpDataDir(c: "none"): Promise<Blob> } }
  ).$client.dumpDataDir("none");
  await handle.close();
  const dumpPath = join(dir, "template.tar");
  writeFileSync(dumpPath, Buffer.from(await dump.arrayBuffer()));
  project.provide("stepwiseTemplate", { kind: "pglite", dumpPath });
  return () => rmSync(dir, { recursive: true, force: true });
}
