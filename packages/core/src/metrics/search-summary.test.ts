import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { queryRows } from "../db/rows";
import { createExperiment } from "../experiments/create-experiment";
import { createRun } from "../runs/create-run";
import type { MetricValue } from "../runs/schemas";
import { createTestTenant, testDatabase } from "../testing";
import { logBatch } from "./log-batch";

const { db } = await testDatabase();

// The summary columns that run search reads for first(...) and avg(...): the first point (least step, then
// timestamp, then value), the sum of the non-NaN points and the NaN count, kept at ingest. Integer values, so
// that sums are exact in any order.
it("keeps the first point, the sum and the NaN count equal to a full scan of the points", async () => {
  const tenant = await createTestTenant(db);
  const experiment = await createExperiment(db, tenant.id, { name: "e" }, { root: "/d", allowedRoots: [] });
  const run = (await createRun(db, tenant.id, { experiment_id: experiment.id })).id;
  let seed = 5;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const sent: { key: string; value: MetricValue; step: number; timestamp: number }[] = [];
  for (let batch = 0; batch < 10; batch++) {
    const metrics = Array.from({ length: 120 }, () => ({
      key: ["a", "b", "c"][Math.floor(next() * 3)] as string,
      value: next() < 0.05 ? ("NaN" as const) : Math.floor(next() * 2000) - 1000,
      // Later batches reach earlier steps too: the first point moves back.
      step: Math.floor(next() * 200) - batch * 10,
      timestamp: Math.floor(next() * 5),
    }));
    await logBatch(db, tenant.id, { id: run, metrics: [...metrics, ...sent.slice(0, 30)] });
    sent.push(...metrics);
  }
  const rows = await queryRows<Record<string, number | string | null>>(
    db,
    sql`select s.key, s.first_step::float8 as first_step, s.first_timestamp::float8 as first_timestamp,
          s.first_value, s.sum_value, s.nan_count::int as nan_count,
          scan.first[1] as scan_step, scan.first[2] as scan_timestamp, scan.first[3] as scan_value,
          scan.sum_v, scan.nans::int as nans
        from metric_series s join (
          select series_id, min(array[step::float8, timestamp::float8, value]) as first,
            sum(value) filter (where value <> 'NaN') as sum_v, count(*) filter (where value = 'NaN') as nans
          from metric_points where tenant_id = ${tenant.id} group by series_id) scan on scan.series_id = s.id
        where s.tenant_id = ${tenant.id} order by s.key`,
  );
  expect(rows.map((r) => r.key)).toEqual(["a", "b", "c"]);
  for (const r of rows) {
    expect([r.first_step, r.first_timestamp, r.first_value]).toEqual([r.scan_step, r.scan_timestamp, r.scan_value]);
    expect(r.sum_value).toBe(r.sum_v);
    expect(r.nan_count).toBe(r.nans);
    expect(r.nan_count).toBeGreaterThan(0);
  }
});
