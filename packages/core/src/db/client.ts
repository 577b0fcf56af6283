import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { isMigrated, migrateLocked } from "./migrate";
import { initPglite } from "./pglite-init";
import { watchPool } from "./postgres-pool";
import * as schema from "./schema";

/** The one database type that domain code is written against; a transaction is one too. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface DatabaseHandle {
  db: Database;
  kind: "pglite" | "postgres";
  /**
   * Connections busy with a query or transaction, and requests waiting for one (postgres.js keeps no public
   * pool statistics: counted here as the statements and transactions awaited and not yet settled).
   */
  pool(): { size: number; inUse: number; waiting: number };
  /** Applies the committed migrations under packages/core/drizzle, one process at a time (an advisory lock). */
  migrate(): Promise<void>;
  /** Whether every committed migration is applied. */
  isMigrated(): Promise<boolean>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const migrationsFolder = fileURLToPath(new URL("../../drizzle", import.meta.url));

export interface DatabaseOptions {
  /** A PostgreSQL URL; without it, the embedded PGlite database is used. */
  url?: string;
  /** Where PGlite keeps its files; in memory when unset. */
  dataDir?: string;
  /** A PGlite data directory dump to start from (tests load a migrated template this way). */
  loadDataDir?: Blob;
  /** postgres.js pool size. */
  maxConnections?: number;
  /**
   * The URL is a pooler in transaction mode (PgBouncer's `pool_mode = transaction`), which hands each transaction
   * to any server connection: then no prepared statements, not even postgres.js's own `commit` and `savepoint`
   * (a statement prepared on one server connection is unknown on the next; PgBouncer keeps them for the client
   * only from 1.21, with max_prepared_statements).
   */
  transactionPooler?: boolean;
}

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if (options.url) {
    const max = options.maxConnections ?? 10;
    const pooled = options.transactionPooler ?? false;
    const client = postgres(options.url, {
      max,
      prepare: !pooled,
      // Fail fast while the server is unreachable (a 503 the client retries), instead of the default 30 s,
      // and retry connecting soon: the default backoff grows to 20 s over an outage, and requests queued on a
      // connection wait that long.
      connect_timeout: 2,
      // TCP keepalive probes after 10 s idle: a server that vanished without closing the socket is noticed.
      keep_alive: 10,
      backoff: (retries: number) => Math.min(0.05 * retries, 0.25),
      onnotice: () => {},
      connection: { application_name: "stepwise" },
    });
    const watched = watchPool(client, !pooled);
    const db = drizzlePostgres(watched.sql, { schema });
    return {
      db,
      kind: "postgres",
      pool: () => ({ size: max, inUse: Math.min(watched.busy(), max), waiting: Math.max(0, watched.busy() - max) }),
      migrate: () => migrateLocked(db, migrationsFolder),
      isMigrated: () => isMigrated(db, migrationsFolder),
      ping: async () => void (await db.execute(sql`select 1`)),
      close: () => {
        watched.stop();
        return client.end({ timeout: 5 });
      },
    };
  }
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    if (!existsSync(join(options.dataDir, "PG_VERSION")) && !options.loadDataDir) await initPglite(options.dataDir);
  }
  const client = await PGlite.create({ dataDir: options.dataDir, loadDataDir: options.loadDataDir });
  const db = drizzlePglite(client, { schema });
  return {
    db,
    kind: "pglite",
    pool: () => ({ size: 1, inUse: 0, waiting: 0 }),
    migrate: () => migrateLocked(db, migrationsFolder),
    isMigrated: () => isMigrated(db, migrationsFolder),
    ping: async () => void (await db.execute(sql`select 1`)),
    close: () => client.close(),
  };
}
