import { sql } from "drizzle-orm";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { describe, expect, it } from "vitest";
import { scratchDatabaseUrl } from "../testing";
import { type DatabaseHandle, migrationsFolder, openDatabase } from "./client";
import { queryRows } from "./rows";

const committed = readMigrationFiles({ migrationsFolder });

async function applied(handle: DatabaseHandle) {
  return queryRows<{ hash: string }>(handle.db, sql`select hash from drizzle.__drizzle_migrations order by id`);
}

describe("migrations", () => {
  it("on the embedded database: not migrated at first, then every migration once, also when asked again", async () => {
    const handle = await openDatabase({});
    try {
      expect(await handle.isMigrated()).toBe(false);
      await Promise.all([handle.migrate(), handle.migrate()]);
      await handle.migrate();
      expect(await handle.isMigrated()).toBe(true);
      expect((await applied(handle)).map((m) => m.hash)).toEqual(committed.map((m) => m.hash));
    } finally {
      await handle.close();
    }
  }, 120_000); // a fresh in-memory PGlite runs initdb

  it("on PostgreSQL: processes that migrate one empty database at once apply each migration exactly once", async (ctx) => {
    const url = await scratchDatabaseUrl();
    if (!url) return ctx.skip("needs PostgreSQL (DATABASE_URL): the embedded database has one process");
    // Each its own pool, as separate replicas would be.
    const handles = await Promise.all([1, 2, 3, 4].map(() => openDatabase({ url, maxConnections: 1 })));
    try {
      expect(await handles[0]?.isMigrated()).toBe(false);
      await Promise.all(handles.map((h) => h.migrate()));
      for (const h of handles) expect(await h.isMigrated()).toBe(true);
      expect((await applied(handles[0] as DatabaseHandle)).map((m) => m.hash)).toEqual(committed.map((m) => m.hash));
      const [tables] = await queryRows<{ n: number }>(
        (handles[0] as DatabaseHandle).db,
        sql`select count(*)::int as n from pg_tables where schemaname = 'public'`,
      );
      expect(tables?.n).toBeGreaterThanOrEqual(8);
    } finally {
      await Promise.all(handles.map((h) => h.close()));
    }
  });
});
