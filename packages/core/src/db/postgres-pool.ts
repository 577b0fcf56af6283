import type postgres from "postgres";

/**
 * A postgres.js client as the domain code gets it: its statements prepared (unless `prepare` is false), and
 * counted while they wait for a connection or run, so that `busy()` reports the pool's load and a statement
 * that waits longer than DATABASE_WAIT_MS fails as "database unavailable" (`stop()` ends the watch).
 */
export function watchPool<T extends postgres.Sql>(client: T, prepare: boolean) {
  const busy: PoolWatch = { count: 0, waiting: new Set() };
  const sweeper = setInterval(() => sweep(busy), SWEEP_MS).unref();
  return {
    sql: withPreparedStatements(client, prepare, busy),
    busy: () => busy.count,
    stop: () => clearInterval(sweeper),
  };
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

/**
 * How long a request's statement or transaction may wait for a connection before it fails as "database
 * unavailable" (503); connect_timeout (2 s) bounds each connection attempt, this bounds the queue.
 */
export const DATABASE_WAIT_MS = 2500;
const SWEEP_MS = 100;
