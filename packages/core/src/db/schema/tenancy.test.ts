import { type SQL, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { testDatabase } from "../../testing";
import type { Database } from "../client";

// style.md: "tenant_id leads each primary key and unique index, and child tables reference parents by
// (tenant_id, id)". Checked on the migrated database (what the migrations really built), not on the Drizzle
// declarations. Each check would fail on a counterexample: a unique index on experiments(name) alone, a primary
// key (id, tenant_id), or runs referencing experiments(id) only, all list a row that must be empty.
let db: Database;
beforeAll(async () => {
  db = (await testDatabase()).db;
});

/** Rows of a catalog query, on PGlite ({rows}) and postgres.js (an array) alike. */
async function rows<T>(query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as T[] | { rows: T[] };
  return Array.isArray(result) ? [...result] : result.rows;
}

const tenantTables = sql`
  select c.oid from pg_class c
  join pg_namespace n on n.oid = c.relnamespace
  join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
  where n.nspname = 'public' and c.relkind in ('r', 'p')`;

/** The key columns of an index, in order ('<expression>' for an expression column). */
const indexColumns = sql`array(
  select coalesce(a.attname::text, '<expression>') from unnest(ix.indkey::int2[]) with ordinality k(attnum, ord)
  left join pg_attribute a on a.attrelid = ix.indrelid and a.attnum = k.attnum
  order by k.ord)`;

type Index = { table: string; index: string; primary: boolean; columns: string[]; predicate: string | null };
const uniqueIndexes = () =>
  rows<Index>(sql`
    select t.relname as "table", i.relname as "index", ix.indisprimary as "primary",
      ${indexColumns} as "columns", pg_get_expr(ix.indpred, ix.indrelid) as "predicate"
    from pg_index ix
    join pg_class i on i.oid = ix.indexrelid
    join pg_class t on t.oid = ix.indrelid
    where ix.indisunique and t.oid in (${tenantTables})
    order by 1, 2`);

/**
 * The tables without tenant_id: shared by all tenants (API keys span tenants), small, and read by key hash or
 * slug; on Citus they would be reference tables (README, "Distributing by tenant"). A new table must either
 * carry tenant_id or be added here, on purpose.
 */
const GLOBAL_TABLES = ["api_keys", "tenants"];

const publicTables = sql`
  select c.oid from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where n.nspname = 'public' and c.relkind in ('r', 'p')`;

describe("every table is tenant-owned or one of the few global ones", () => {
  it("a table without tenant_id is one of GLOBAL_TABLES", async () => {
    const global = await rows<{ table: string }>(sql`
      select relname as "table" from pg_class
      where oid in (${publicTables}) and oid not in (${tenantTables}) order by 1`);
    expect(global.map((t) => t.table)).toEqual(GLOBAL_TABLES);
  });

  it("a global table references no tenant-owned table (a reference table cannot point into a distributed one)", async () => {
    const keys = await rows<{ name: string }>(sql`
      select conname as "name" from pg_constraint
      where contype = 'f' and conrelid not in (${tenantTables}) and confrelid in (${tenantTables})`);
    expect(keys).toEqual([]);
  });
});

describe("tenant_id leads every key of a tenant-owned table", () => {
  it("finds the tenant-owned tables (so the checks below are not vacuous)", async () => {
    const tables = await rows<{ table: string }>(
      sql`select relname as "table" from pg_class where oid in (${tenantTables}) order by 1`,
    );
    expect(tables.map((t) => t.table)).toEqual(expect.arrayContaining(["api_key_grants", "experiments", "runs"]));
    expect(tables.map((t) => t.table)).not.toContain("tenants");
  });

  it("every such table has a primary key, and it starts with tenant_id", async () => {
    const tables = await rows<{ table: string; pkey: string[] | null }>(sql`
      select t.relname as "table",
        (select ${indexColumns} from pg_index ix where ix.indrelid = t.oid and ix.indisprimary) as "pkey"
      from pg_class t where t.oid in (${tenantTables})`);
    for (const { table, pkey } of tables) {
      expect(pkey, `${table} has a primary key`).not.toBeNull();
      expect(pkey?.[0], `${table}'s primary key (${pkey})`).toBe("tenant_id");
      expect(pkey?.length, `${table}'s primary key is more than tenant_id`).toBeGreaterThan(1);
    }
  });

  it("every unique index starts with tenant_id", async () => {
    const indexes = await uniqueIndexes();
    expect(indexes.length).toBeGreaterThanOrEqual(3);
    const offenders = indexes.filter((i) => i.columns[0] !== "tenant_id").map((i) => `${i.index} (${i.columns})`);
    expect(offenders).toEqual([]);
  });

  it("every foreign key to another tenant-owned table references it by (tenant_id, ...)", async () => {
    const keys = await rows<{ name: string; columns: string[]; referenced: string[] }>(sql`
      select con.conname as "name",
        array(select a.attname::text from unnest(con.conkey) with ordinality k(n, ord)
          join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.n order by k.ord) as "columns",
        array(select a.attname::text from unnest(con.confkey) with ordinality k(n, ord)
          join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.n order by k.ord) as "referenced"
      from pg_constraint con
      where con.contype = 'f' and con.conrelid in (${tenantTables}) and con.confrelid in (${tenantTables})`);
    expect(keys.map((k) => k.name)).toContain("runs_experiment_fk");
    for (const key of keys) {
      expect(key.columns[0], `${key.name} (${key.columns})`).toBe("tenant_id");
      expect(key.referenced[0], `${key.name} references (${key.referenced})`).toBe("tenant_id");
    }
  });

  it("experiment names are unique per tenant among active experiments only (a partial unique index)", async () => {
    const index = (await uniqueIndexes()).find((i) => i.index === "experiments_active_name_key");
    expect(index).toMatchObject({ table: "experiments", primary: false, columns: ["tenant_id", "name"] });
    expect(index?.predicate).toMatch(/^\(?lifecycle_stage = 'active'(::text)?\)?$/);
  });
});
