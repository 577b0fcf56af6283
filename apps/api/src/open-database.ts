import { join } from "node:path";
import { isDatabaseRefusal, openDatabase } from "@stepwise/core";
import type { Logger } from "pino";
import { type Config, ConfigError } from "./env";

const SCHEMA_POLL_MS = 1000;

/** The deepest cause's message: Drizzle wraps a driver's error in "Failed query: ...". */
export const rootMessage = (error: unknown): string =>
  error instanceof Error && error.cause
    ? rootMessage(error.cause)
    : error instanceof Error
      ? error.message
      : String(error);

type DatabaseConfig = Pick<Config, "databaseUrl" | "databasePooler" | "dataDir" | "migrate">;

/**
 * The database, migrated (one process at a time: see migrateLocked in core), or with STEPWISE_MIGRATE=skip
 * waited for until `pnpm migrate` has migrated it. One that cannot be reached, logged into or opened is a
 * configuration error naming its variable; a migration that fails on a database that answers is not, and says so.
 */
export async function openMigratedDatabase(config: DatabaseConfig, logger?: Logger) {
  const url = config.databaseUrl;
  const dbDir = join(config.dataDir, "db");
  const refused = (error: unknown) =>
    new ConfigError(
      url
        ? `Invalid configuration: DATABASE_URL cannot be used: ${rootMessage(error)} (is PostgreSQL running there, and do the user and database exist?)`
        : `Invalid configuration: STEPWISE_DATA_DIR cannot hold the embedded database in '${dbDir}': ${rootMessage(error)}`,
    );
  let database: Awaited<ReturnType<typeof openDatabase>>;
  try {
    database = await openDatabase(
      url ? { url, transactionPooler: config.databasePooler === "transaction" } : { dataDir: dbDir },
    );
  } catch (error) {
    throw refused(error);
  }
  try {
    if (config.migrate === "auto") await database.migrate();
    else {
      for (let waited = false; !(await database.isMigrated()); waited = true) {
        if (!waited) logger?.warn("STEPWISE_MIGRATE=skip: waiting for the database to be migrated (pnpm migrate)");
        await new Promise((r) => setTimeout(r, SCHEMA_POLL_MS));
      }
    }
  } catch (error) {
    // postgres.js connects on the first query, so an unreachable server shows up here.
    if (url && isDatabaseRefusal(error)) throw refused(error);
    throw new Error(`the database migrations failed: ${rootMessage(error)}`);
  }
  return database;
}
