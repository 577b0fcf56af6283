import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "../db/rows";
import { createExperiment } from "../experiments/create-experiment";
import { createRun } from "../runs/create-run";
import { getRunOrThrow } from "../runs/get-run";
import type { MetricValue } from "../runs/schemas";
import { createTestTenant, testDatabase } from "../testing";
import { BUCKET_WIDTHS } from "./bucket-widths";
import { compareRuns } from "./compare-runs";
import { logBatch } from "./log-batch";
import { encodeMetricValue } from "./metric-value";

const { db } = await testDatabase();

/** A deterministic pseudo-random sequence, so a failure can be replayed. */
function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

async function setUp() {
  const tenant = await createTestTenant(db);
  const experiment = await createExperiment(db, tenant.id, { name: "e" }, { root: "/d", allowedRoots: [] });
  const runs = [
    (await createRun(db, tenant.id, { experiment_id: experiment.id })).id,
    (await createRun(db, tenant.id, { experiment_id: experiment.id })).id,
  ];
  return { tenant, runs };
}

/** The figures that a full scan of the stored points gives, per run and key. */
const fullScan = (tenantId: string) =>
  queryRows<{
    run_id: string;
    key: string;
    count: number;
    min: number | null;
    max: number | null;
    last: number;
    last_step: number;
    last_ts: number;
  }>(
    db,
    sql`select s.run_id, s.key, count(*)::int as count,
          min(p.value) filter (where p.value <> 'NaN') as min, max(p.value) filter (where p.value <> 'NaN') as max,
          (array_agg(p.value order by p.step desc, p.timestamp desc, p.value desc))[1] as last,
          (array_agg(p.step::float8 order by p.step desc, p.timestamp desc, p.value desc))[1] as last_step,
          (array_agg(p.timestamp::float8 order by p.step desc, p.timestamp desc, p.value desc))[1] as last_ts
        from metric_points p join metric_series s on s.tenant_id = p.tenant_id and s.id = p.series_id
        where p.tenant_id = ${tenantId} group by s.run_id, s.key order by s.run_id, s.key`,
  );

/** Bucket rows that differ from a recomputation over the stored points, per width (none when all is well). */
async function bucketMismatches(tenantId: string) {
  const found: string[] = [];
  for (const width of BUCKET_WIDTHS) {
    const [mismatch] = await queryRows<{ n: number }>(
      db,
      sql`with scan as (
            select p.series_id, floor(p.step::numeric / ${width})::bigint as bucket, count(*) as count,
              min(p.value) filter (where p.value <> 'NaN') as min_value, max(p.value) filter (where p.value <> 'NaN') as max_value
            from metric_points p where p.tenant_id = ${tenantId} group by 1, 2)
          select count(*)::int as n from scan full join
            (select * from metric_buckets where tenant_id = ${tenantId} and width = ${width}) b
            on b.series_id = scan.series_id and b.bucket = scan.bucket
          where b.count is distinct from scan.count or b.min_value is distinct from scan.min_value
            or b.max_value is distinct from scan.max_value`,
    );
    if (mismatch?.n) found.push(`width ${width}: ${mismatch.n} buckets`);
  }
  return found;
}

describe("the per-series summary", () => {
  it("equals a full scan after out-of-order steps, exact duplicates, NaN and infinities", async () => {
    const { tenant, runs } = await setUp();
    const next = random(42);
    const sent: { key: string; value: MetricValue; step: number; timestamp: number }[] = [];
    for (let batch = 0; batch < 12; batch++) {
      const metrics = Array.from({ length: 150 }, () => {
        const r = next();
        const value: MetricValue =
          r < 0.03 ? "NaN" : r < 0.04 ? "Infinity" : r < 0.05 ? "-Infinity" : Math.round(next() * 2000 - 1000) / 10;
        return {
          key: ["loss", "acc", "lr"][Math.floor(next() * 3)] as string,
          value,
          step: Math.floor(next() * 300) - 20,
          timestamp: Math.floor(next() * 50),
        };
      });
      // Every third batch re-sends earlier points exactly, as a retrying client would.
      const resend = batch % 3 === 2 ? sent.slice(0, 100) : [];
      sent.push(...metrics);
      const run = runs[batch % 2] as string;
      await logBatch(db, tenant.id, { id: run, metrics: [...metrics, ...resend.filter(() => run === runs[0])] });
    }
    const scan = await fullScan(tenant.id);
    expect(scan.length).toBe(6);
    const compared = await compareRuns(db, tenant.id, { run_ids: runs });
    for (const row of scan) {
      const summary = compared.metrics.find((m) => m.key === row.key)?.runs[row.run_id];
      expect(summary).toEqual({
        last: encodeMetricValue(row.last),
        last_step: row.last_step,
        min: row.min === null ? null : encodeMetricValue(row.min),
        max: row.max === null ? null : encodeMetricValue(row.max),
        count: row.count,
      });
      const latest = (await getRunOrThrow(db, tenant.id, row.run_id)).metrics[row.key];
      expect(latest).toEqual({ value: encodeMetricValue(row.last), step: row.last_step, timestamp: row.last_ts });
    }
  });

  it("stays exact under concurrent batches to the same series, with overlapping re-sends", async () => {
    const { tenant, runs } = await setUp();
    const run = runs[0] as string;
    const batches = Array.from({ length: 8 }, (_, b) =>
      ["a", "b", "c"].flatMap((key) =>
        Array.from({ length: 60 }, (_, i) => ({ key, value: (b * 60 + i) % 97, step: (b % 4) * 50 + i, timestamp: 1 })),
      ),
    );
    batches.push(batches[0] ?? [], batches[1] ?? []); // exact re-sends, racing their originals
    await Promise.all(batches.map((metrics) => logBatch(db, tenant.id, { id: run, metrics })));
    // Every distinct point is stored, also those of the batches that raced to create each series.
    const distinct = new Set(batches.flat().map((p) => `${p.key}/${p.step}/${p.timestamp}/${p.value}`));
    const scan = await fullScan(tenant.id);
    expect(scan.reduce((n, row) => n + row.count, 0)).toBe(distinct.size);
    const compared = await compareRuns(db, tenant.id, { run_ids: runs });
    for (const row of scan) {
      expect(compared.metrics.find((m) => m.key === row.key)?.runs[run]).toMatchObject({
        count: row.count,
        min: row.min,
        max: row.max,
        last: row.last,
        last_step: row.last_step,
      });
    }
  });

  it("keeps the same figures for large appends past each series' last step", async () => {
    const { tenant, runs } = await setUp();
    const next = random(99);
    for (let batch = 0; batch < 3; batch++) {
      const metrics = Array.from({ length: 700 }, (_, i) => {
        const r = next();
        const value: MetricValue =
          r < 0.03 ? "NaN" : r < 0.04 ? "Infinity" : r < 0.05 ? "-Infinity" : next() * 100 - 50;
        return { key: ["x", "y"][i % 2] as string, value, step: batch * 400 + Math.floor(i / 2) - 30, timestamp: i };
      });
      await logBatch(db, tenant.id, { id: runs[0] as string, metrics });
    }
    const compared = await compareRuns(db, tenant.id, { run_ids: runs });
    for (const row of await fullScan(tenant.id)) {
      expect(compared.metrics.find((m) => m.key === row.key)?.runs[row.run_id]).toEqual({
        last: encodeMetricValue(row.last),
        last_step: row.last_step,
        min: row.min === null ? null : encodeMetricValue(row.min),
        max: row.max === null ? null : encodeMetricValue(row.max),
        count: row.count,
      });
    }
    expect((await fullScan(tenant.id)).map((r) => r.count)).toEqual([1050, 1050]);
    expect(await bucketMismatches(tenant.id)).toEqual([]);
  });

  it("stores every point when concurrent first batches race to create the same series", async () => {
    const { tenant } = await setUp();
    const experiment = await createExperiment(db, tenant.id, { name: "race" }, { root: "/d", allowedRoots: [] });
    for (let round = 0; round < 15; round++) {
      const run = (await createRun(db, tenant.id, { experiment_id: experiment.id })).id;
      await Promise.all(
        [0, 1, 2, 3].map((step) => logBatch(db, tenant.id, { id: run, metrics: [{ key: "k", value: step, step }] })),
      );
      const [stored] = await queryRows<{ n: number }>(
        db,
        sql`select count(*)::int as n from metric_points p join metric_series s on s.tenant_id = p.tenant_id and s.id = p.series_id
            where s.tenant_id = ${tenant.id} and s.run_id = ${run}`,
      );
      expect(stored?.n, `round ${round}`).toBe(4);
    }
  });

  it("keeps the pre-aggregated step buckets equal to a recomputation", async () => {
    const { tenant, runs } = await setUp();
    const next = random(7);
    for (let batch = 0; batch < 4; batch++) {
      const metrics = Array.from({ length: 500 }, () => ({
        key: "m",
        value: next() < 0.02 ? ("NaN" as const) : next() * 10,
        step: Math.floor(next() * 70_000) - 1000,
        timestamp: 1,
      }));
      await logBatch(db, tenant.id, { id: runs[0] as string, metrics: [...metrics, ...metrics.slice(0, 50)] });
    }
    expect(await bucketMismatches(tenant.id)).toEqual([]);
  });
});
