import { createExperiment } from "../experiments/create-experiment";
import { logBatch } from "../metrics/log-batch";
import { createRun } from "../runs/create-run";
import type { MetricValue } from "../runs/schemas";
import { createTestTenant, testDatabase } from "../testing";
import type { SearchRunsInput } from "./schemas";
import { searchRuns } from "./search-runs";

export interface RunSpec {
  name: string;
  start?: number;
  parent?: string;
  params?: Record<string, string>;
  tags?: Record<string, string>;
  /** [key, value, step?, timestamp?] */
  metrics?: [string, MetricValue, number?, number?][];
}

/** A tenant with one experiment, runs made through the domain's own write path, and search helpers. */
export async function searchFixture() {
  const { db } = await testDatabase();
  const tenant = await createTestTenant(db);
  const experiment = await createExperiment(db, tenant.id, { name: "search" }, { root: "/d", allowedRoots: [] });
  const byName = new Map<string, string>();
  async function run(spec: RunSpec) {
    const start = new Date(Date.UTC(2026, 0, 1) + (spec.start ?? byName.size) * 1000).toISOString();
    const r = await createRun(db, tenant.id, {
      experiment_id: experiment.id,
      name: spec.name,
      start_time: start,
      parent_run_id: spec.parent,
    });
    const metrics = (spec.metrics ?? []).map(([key, value, step, timestamp]) => ({ key, value, step, timestamp }));
    const params = Object.entries(spec.params ?? {}).map(([key, value]) => ({ key, value }));
    const tags = Object.entries(spec.tags ?? {}).map(([key, value]) => ({ key, value }));
    if (metrics.length || params.length || tags.length) {
      await logBatch(db, tenant.id, { id: r.id, metrics, params, tags }, 1_700_000_000_000);
    }
    byName.set(spec.name, r.id);
    return r.id;
  }
  const search = (input: Partial<SearchRunsInput> = {}) =>
    searchRuns(db, tenant.id, {
      experiment_ids: [experiment.id],
      max_results: 1000,
      view: "active",
      ...input,
    } as Parameters<typeof searchRuns>[2]);
  /** The names of the runs that the filter finds, in the search's order. */
  const names = async (filter: string, order_by?: string[]) =>
    (await search({ filter, order_by })).runs.map((r) => r.name);
  return { db, tenant, experiment, run, search, names, byName };
}
