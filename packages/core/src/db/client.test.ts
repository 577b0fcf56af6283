import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "../shared/pg-errors";
import { openDatabase } from "./client";
import { DATABASE_WAIT_MS } from "./postgres-pool";
import { queryRows } from "./rows";

const root = mkdtempSync(join(tmpdir(), "stepwise-pglite-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// PGlite's initdb runs in a child process: about 12 s alone on this 2-core machine, and several times that
// while CI runs every package's tests at once.
describe("the embedded database in a data directory", { timeout: 180_000 }, () => {
  it("makes a new directory, migrates it, and keeps what was written", async () => {
    const dataDir = join(root, "new", "nested");
    const first = await openDatabase({ dataDir });
    await first.migrate();
    await first.db.execute(
      sql`insert into tenants (id, slug, name) values ('01a21a1b-0000-7000-8000-000000000001', 'kept', 'Kept')`,
    );
    await first.close();

    const again = await openDatabase({ dataDir });
    await again.migrate();
    const rows = await queryRows<{ slug: string }>(again.db, sql`select slug from tenants`);
    expect(rows.map((r) => r.slug)).toEqual(["kept"]);
    await again.close();
  });

  it("says in one line why PGlite could not make a database in a directory holding other files", async () => {
    const dataDir = join(root, "taken");
    mkdirSync(dataDir);
    for (const name of ["base", "global"]) writeFileSync(join(dataDir, name), "not a folder");
    const failure = await openDatabase({ dataDir }).then(
      () => undefined,
      (error: Error) => error,
    );
    expect(failure?.message).toMatch(/^PGlite could not make a new database in '.*taken': \S/);
    expect(failure?.message).not.toContain("\n");
  });

  it("says why when the directory cannot be made", async () => {
    const file = join(root, "a-file");
    writeFileSync(file, "");
    await expect(openDatabase({ dataDir: join(file, "data") })).rejects.toThrow(/a-file/);
  });
});

describe("a PostgreSQL server that accepts connections and never answers", () => {
  it("fails every waiting statement and transaction as unavailable within the bounded wait, and writes nothing later", async () => {
    const silent = createServer(() => {}); // accepts, never answers: connect_timeout and the queue bound apply
    await new Promise<void>((done) => silent.listen(0, "127.0.0.1", done));
    const { port } = silent.address() as AddressInfo;
    const database = await openDatabase({ url: `postgres://postgres@127.0.0.1:${port}/postgres`, maxConnections: 1 });
    try {
      const start = performance.now();
      const outcomes = await Promise.all([
        ...Array.from({ length: 6 }, () =>
          database.db.execute(sql`select 1`).then(
            () => "answered",
            (e) => e,
          ),
        ),
        database.db
          .transaction(async () => "ran")
          .then(
            (r) => r,
            (e) => e,
          ),
      ]);
      const ms = performance.now() - start;
      for (const outcome of outcomes) expect(isDatabaseUnavailable(outcome), String(outcome)).toBe(true);
      // Without the bound, each query waits for the one connection's 2 s attempts in turn (12 s and more).
      expect(ms).toBeLessThan(DATABASE_WAIT_MS + 1500);
      expect(database.pool().inUse).toBe(0);
    } finally {
      await database.close();
      silent.close();
    }
  });
});
