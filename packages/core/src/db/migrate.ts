import { sql } from "drizzle-orm";
import { readMigrationFiles } from "drizzle-orm/migrator";
import type { Database } from "./client";
import { queryRows } from "./rows";

/** The advisory lock that one migrating process at a time holds (any constant unique to Stepwise). */
const MIGRATION_LOCK = 7347002;

/**
 * Drizzle's migrations (the committed SQL under packages/core/drizzle, recorded in drizzle.__drizzle_migrations
 * as drizzle's own migrator records them), applied in ONE transaction that first takes a transaction-level
 * advisory lock. Replicas that start together queue on the lock; each then sees what the first committed
 * and applies nothing. Drizzle's migrator creates its table outside its transaction and takes no lock, so two
 * processes race there. Transaction-scoped, the lock also holds through PgBouncer in transaction mode, where a
 * session-level lock (pg_advisory_lock) could be taken and released on different server connections.
 */
export async function migrateLocked(db: Database, migrationsFolder: string): Promise<void> {
  const migrations = readMigrationFiles({ migrationsFolder });
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    await tx.execute(sql`create schema if not exists drizzle`);
    await tx.execute(sql`create table if not exists drizzle.__drizzle_migrations
      (id serial primary key, hash text not null, created_at bigint)`);
    const last = await lastMigration(tx);
    for (const migration of migrations) {
      if (last !== null && last >= migration.folderMillis) continue;
      for (const statement of migration.sql) await tx.execute(sql.raw(statement));
      await tx.execute(sql`insert into drizzle.__drizzle_migrations (hash, created_at)
        values (${migration.hash}, ${migration.folderMillis})`);
    }
  });
}

/** Whether every committed migration is applied (a replica that does not migrate waits for this to be ready). */
export async function isMigrated(db: Database, migrationsFolder: string): Promise<boolean> {
  const migrations = readMigrationFiles({ migrationsFolder });
  const latest = Math.max(...migrations.map((m) => m.folderMillis));
  const [table] = await queryRows<{ exists: boolean }>(
    db,
    sql`select to_regclass('drizzle.__drizzle_migrations') is not null as "exists"`,
  );
  if (!table?.exists) return false;
  const last = await lastMigration(db);
  return last !== null && last >= latest;
}

async function lastMigration(db: Database): Promise<number | null> {
  const [row] = await queryRows<{ at: string | number | null }>(
    db,
    sql`select max(created_at) as at from drizzle.__drizzle_migrations`,
  );
  return row?.at == null ? null : Number(row.at);
}
