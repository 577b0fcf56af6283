import { and, count, desc, eq, isNull } from "drizzle-orm";
import type { Database } from "../db";
import { runs } from "../db/schema";
import { getExperimentRowOrThrow } from "../experiments/get-experiment";
import { latestMetrics } from "../metrics/latest-metrics";
import type { ListRunsInput, RunList } from "./schemas";
import { toRunResponse } from "./to-response";

export async function listRuns(db: Database, tenantId: string, input: ListRunsInput): Promise<RunList> {
  await getExperimentRowOrThrow(db, tenantId, input.experiment_id);
  const where = and(
    eq(runs.tenantId, tenantId),
    eq(runs.experimentId, input.experiment_id),
    isNull(runs.deletedAt),
    input.status ? eq(runs.status, input.status) : undefined,
  );
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(runs)
      .where(where)
      .orderBy(desc(runs.startTime), desc(runs.id))
      .limit(input.limit)
      .offset(input.offset),
    db.select({ n: count() }).from(runs).where(where),
  ]);
  const metrics = await latestMetrics(
    db,
    tenantId,
    rows.map((r) => r.id),
  );
  return {
    runs: rows.map((r) => toRunResponse(r, metrics.get(r.id))),
    total: total?.n ?? 0,
    limit: input.limit,
    offset: input.offset,
  };
}
