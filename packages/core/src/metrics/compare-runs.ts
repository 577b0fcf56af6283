import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "../db";
import { metricSeries, runs } from "../db/schema";
import { DomainError } from "../shared/errors";
import { encodeMetricValue } from "./metric-value";
import type { CompareRunsInput, CompareRunsResponse } from "./schemas";

type Summary = CompareRunsResponse["metrics"][number]["runs"][string];

/**
 * Side by side: the runs, each metric's last/min/max/count per run (from the series summaries, which
 * always equal a full scan of the stored points), and each param's value per run with whether they differ.
 */
export async function compareRuns(
  db: Database,
  tenantId: string,
  input: CompareRunsInput,
): Promise<CompareRunsResponse> {
  const ids = input.run_ids;
  const rows = await db
    .select()
    .from(runs)
    .where(and(eq(runs.tenantId, tenantId), inArray(runs.id, ids)));
  const missing = ids.filter((id) => !rows.some((r) => r.id === id));
  if (missing.length) throw new DomainError("NOT_FOUND", `Run(s) not found: ${missing.join(", ")}`);
  const ordered = ids.map((id) => rows.find((r) => r.id === id) as (typeof rows)[number]);

  const series = await db
    .select()
    .from(metricSeries)
    .where(
      and(
        eq(metricSeries.tenantId, tenantId),
        inArray(metricSeries.runId, ids),
        input.metrics ? inArray(metricSeries.key, input.metrics) : undefined,
      ),
    );
  const keys = input.metrics
    ? [...new Set(input.metrics)]
    : [...new Set(series.filter((s) => s.count > 0).map((s) => s.key))].sort();
  const metrics = keys.map((key) => ({
    key,
    runs: Object.fromEntries(
      ids.map((id): [string, Summary] => {
        const s = series.find((x) => x.runId === id && x.key === key);
        if (!s || s.count === 0 || s.lastValue === null || s.lastStep === null) return [id, null];
        return [
          id,
          {
            last: encodeMetricValue(s.lastValue),
            last_step: s.lastStep,
            min: s.minValue === null ? null : encodeMetricValue(s.minValue),
            max: s.maxValue === null ? null : encodeMetricValue(s.maxValue),
            count: s.count,
          },
        ];
      }),
    ),
  }));

  const paramKeys = [...new Set(ordered.flatMap((r) => Object.keys(r.params)))].sort();
  const params = paramKeys.map((key) => {
    const values = Object.fromEntries(
      ordered.map((r) => [r.id, Object.hasOwn(r.params, key) ? (r.params[key] ?? null) : null]),
    );
    return { key, values, differs: new Set(Object.values(values)).size > 1 };
  });

  return {
    runs: ordered.map((r) => ({
      id: r.id,
      name: r.name,
      experiment_id: r.experimentId,
      status: r.status,
      start_time: r.startTime.toISOString(),
      end_time: r.endTime?.toISOString() ?? null,
      params: r.params,
      tags: r.tags,
    })),
    metrics,
    params,
  };
}
