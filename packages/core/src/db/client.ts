import { execFile } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { isMigrated, migrateLocked } from "./migrate";
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

/**
 * Drizzle runs every query through postgres.js `unsafe()` with `prepare: false`, which for a query with
 * parameters costs a Describe round trip before each execution and a fresh parse and plan on the server.
 * Our queries are a small fixed set, so let postgres.js prepare them once per connection: this proxy turns
 * `prepare` on for `unsafe()`, also inside transactions and savepoints (or leaves it off, when `prepare` is false).
 */
function withPreparedStatements<T extends postgres.Sql>(sql: T, prepare: boolean, busy?: PoolWatch): T {
  return new Proxy(sql, {
    get(target, prop, receiver) {
      if (prop === "unsafe") {
        return (query: string, params?: unknown[], opts?: object) => {
          const pending = target.unsafe(query, params as never, { ...opts, prepare });
          return busy ? counted(pending, busy) : pending;
        };
      }
      if (prop === "begin" || prop === "savepoint") {
        return (...args: unknown[]) => {
          const callback = args.pop() as (tx: postgres.Sql) => unknown;
          const method = Reflect.get(target, prop) as (...a: unknown[]) => Promise<unknown>;
          if (!busy)
            return method.call(target, ...args, (tx: postgres.Sql) => callback(withPreparedStatements(tx, prepare)));
          // A transaction that has not got a connection within the wait is given up; should it get one later,
          // its callback throws at once, so that nothing is written for a request that was answered 503.
          const waiting: Waiting = { since: performance.now(), started: false, fail: () => {} };
          const done = method.call(target, ...args, (tx: postgres.Sql) => {
            if (waiting.given) throw poolTimeout();
            waiting.started = true;
            busy.waiting.delete(waiting);
            return callback(withPreparedStatements(tx, prepare));
          });
          busy.count++;
          busy.waiting.add(waiting);
          return settleFirst(done, waiting).finally(() => {
            busy.count--;
            busy.waiting.delete(waiting);
          });
        };
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}

/** A statement or transaction that has not yet reached a connection. */
interface Waiting {
  since: number;
  started: boolean;
  given?: boolean;
  fail: (error: Error) => void;
}

interface PoolWatch {
  count: number;
  waiting: Set<Waiting>;
}

/** The error of a statement that got no connection in time: classed as "database unavailable" (a 503). */
function poolTimeout() {
  return Object.assign(new Error(`no database connection within ${DATABASE_WAIT_MS} ms`), { code: "POOL_TIMEOUT" });
}

/** The promise of `done`, or the rejection that `waiting.fail` makes first. */
function settleFirst<V>(done: Promise<V>, waiting: Waiting): Promise<V> {
  return new Promise<V>((resolve, reject) => {
    waiting.fail = reject;
    done.then(resolve, reject);
  });
}

/**
 * Gives up the statements and transactions that have waited longer than DATABASE_WAIT_MS for a connection
 * (postgres.js queues them without a bound while it reconnects, and under CPU load an outage otherwise
 * leaves requests hanging); the ones already running on a connection are left to finish or fail.
 */
function sweep(busy: PoolWatch) {
  const now = performance.now();
  for (const waiting of busy.waiting) {
    if (now - waiting.since < DATABASE_WAIT_MS) continue;
    busy.waiting.delete(waiting);
    if (waiting.started) continue;
    waiting.given = true;
    waiting.fail(poolTimeout());
  }
}

/** Counts a query as busy from the moment it is awaited (postgres.js sends it then) until it settles. */
function counted<Q extends PromiseLike<unknown>>(query: Q, busy: PoolWatch): Q {
  const then = query.then.bind(query);
  let settled: Promise<unknown> | undefined;
  // biome-ignore lint/suspicious/noThenProperty: wraps the query's own then, to count it while it runs
  (query as { then: unknown }).then = (resolve?: (v: unknown) => unknown, reject?: (e: unknown) => unknown) => {
    if (!settled) {
      busy.count++;
      const q = query as unknown as { state?: unknown; cancel(): unknown };
      const waiting: Waiting = {
        since: performance.now(),
        get started() {
          return Boolean(q.state); // postgres.js sets it when the query is sent on a connection
        },
        fail: () => {},
      };
      busy.waiting.add(waiting);
      settled = settleFirst(Promise.resolve({ then } as PromiseLike<unknown>), waiting);
      const end = () => {
        busy.count--;
        busy.waiting.delete(waiting);
        if (waiting.given) q.cancel(); // out of postgres.js's queue, never to run
      };
      settled.then(end, end);
    }
    return settled.then(resolve, reject);
  };
  return query;
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
    const busy: PoolWatch = { count: 0, waiting: new Set() };
    const sweeper = setInterval(() => sweep(busy), SWEEP_MS).unref();
    const db = drizzlePostgres(withPreparedStatements(client, !pooled, busy), { schema });
    return {
      db,
      kind: "postgres",
      pool: () => ({ size: max, inUse: Math.min(busy.count, max), waiting: Math.max(0, busy.count - max) }),
      migrate: () => migrateLocked(db, migrationsFolder),
      isMigrated: () => isMigrated(db, migrationsFolder),
      ping: async () => void (await db.execute(sql`select 1`)),
      close: () => {
        clearInterval(sweeper);
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

/**
 * Makes a new PGlite data directory in a child process. PGlite's initdb leaves about 500 MiB of WebAssembly
 * memory with the instance that ran it (and over 100 MiB even after closing it); the server then opens the
 * finished directory at about 290 MiB.
 */
async function initPglite(dataDir: string) {
  const pglite = pathToFileURL(createRequire(import.meta.url).resolve("@electric-sql/pglite")).href;
  const script = `const { PGlite } = await import(${JSON.stringify(pglite)});
    await (await PGlite.create({ dataDir: ${JSON.stringify(dataDir)} })).close();`;
  try {
    // Without the parent's NODE_OPTIONS (an --inspect-brk there would stop the child for good).
    await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], {
      env: { ...process.env, NODE_OPTIONS: "" },
      timeout: INIT_TIMEOUT_MS,
    });
  } catch (error) {
    // One line: the child's own error, not Node's "Command failed: <the whole script>".
    const stderr = String((error as { stderr?: unknown }).stderr ?? "");
    const line = stderr.split("\n").find((l) => /error/i.test(l) && !l.includes("triggerUncaughtException"));
    const why = (error as { killed?: boolean }).killed ? `no answer in ${INIT_TIMEOUT_MS / 1000} s` : line?.trim();
    throw new Error(`PGlite could not make a new database in '${dataDir}': ${why ?? "its initdb failed"}`);
  }
}

const INIT_TIMEOUT_MS = 120_000;

/**
 * How long a request's statement or transaction may wait for a connection before it fails as "database
 * unavailable" (503); connect_timeout (2 s) bounds each connection attempt, this bounds the queue.
 */
export const DATABASE_WAIT_MS = 2500;
const SWEEP_MS = 100;
