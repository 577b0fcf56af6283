import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testDatabase } from "../testing";
import { searchFixture } from "./fixture.test-helper";
import { parseFilter } from "./parse-filter";
import { searchRunsQuery } from "./search-runs-query";

const f = await searchFixture();
const { kind } = await testDatabase();

/**
 * `n` runs in two statements (and their `m` series): many share a start time and a value, a tenth lack the
 * metric, some are NaN. Names are `${prefix}-${i}`.
 */
async function bulkRuns(prefix: string, n: number) {
  const ids = await f.db.execute(sql`
    with made as (
      insert into runs (tenant_id, id, experiment_id, name, start_time, artifact_uri, params, tags)
      select ${f.tenant.id}, gen_random_uuid(), ${f.experiment.id}, ${prefix} || '-' || i,
        timestamptz '2026-01-01' + (i % 100) * interval '1 second', 'a', jsonb_build_object('p', (i % 7)::text), '{}'
      from generate_series(1, ${n}) i
      returning id, name)
    insert into metric_series (tenant_id, run_id, key, count, min_value, max_value, first_step, last_step, last_timestamp, last_value)
    select ${f.tenant.id}, id, 'm', 1, v, v, 0, 0, 0, v from (
      select id, case when i % 37 = 0 then 'NaN'::float8 else (i % 50)::float8 end as v, i
      from (select id, split_part(name, '-', 2)::int as i from made) x) y
    where i % 10 <> 0`);
  // As autovacuum would after a bulk load: the planner needs statistics of the new rows.
  await f.db.execute(sql`analyze runs, metric_series`);
  return ids;
}

describe("paging through 10,000 matching runs while runs are being added", () => {
  it.each([[undefined], [["metrics.m DESC"]], [["params.p", "metrics.m"]]])(
    "order_by %j: every run there at the start comes exactly once",
    async (order_by) => {
      const prefix = `base${order_by ? order_by.length : 0}${order_by?.[0]?.length ?? 0}`;
      await bulkRuns(prefix, 10_000);
      const filter = `run_name LIKE '${prefix}-%' OR run_name LIKE 'new${prefix}%'`;
      const seen: string[] = [];
      let page_token: string | undefined;
      let round = 0;
      do {
        const [page] = await Promise.all([
          f.search({ filter, order_by, max_results: 1000, page_token }),
          // Concurrent inserts, anywhere in the order: they may or may not show up, but never shift the pages.
          bulkRuns(`new${prefix}${round++}`, 50),
        ]);
        seen.push(...page.runs.map((r) => r.name));
        page_token = page.next_page_token ?? undefined;
      } while (page_token);
      expect(new Set(seen).size).toBe(seen.length);
      const base = seen.filter((name) => name.startsWith(`${prefix}-`));
      expect(base.length).toBe(10_000);
    },
    120_000,
  );
});

describe("the statement timeout", () => {
  it.skipIf(kind === "pglite")(
    "cuts off a search that runs too long with a 400 saying to narrow the filter",
    async () => {
      const query = {
        experimentIds: [f.experiment.id],
        filter: parseFilter(Array.from({ length: 40 }, (_, i) => `params.p RLIKE '(a|b|${i})*x+y'`).join(" OR ")),
        orderBy: [],
        maxResults: 1000,
        view: "active" as const,
      };
      await expect(searchRunsQuery(f.db, f.tenant.id, { ...query, timeoutMs: 1 })).rejects.toMatchObject({
        code: "INVALID_ARGUMENT",
        message: expect.stringContaining("narrow the filter"),
      });
    },
  );
});
