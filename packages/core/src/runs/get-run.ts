import { and, eq } from "drizzle-orm";
import type { Database } from "../db";
import { experiments, runs } from "../db/schema";
import { latestMetrics } from "../metrics/latest-metrics";
import { notFound } from "../shared/errors";
import type { RunResponse } from "./schemas";
import { toRunResponse } from "./to-response";

/** The run row and its experiment's lifecycle stage, optionally locked for update; another tenant's run is not found. */
export async function getRunRowOrThrow(db: Database, tenantId: string, id: string, lock?: "update") {
  const query = db
    .select({ run: runs, experimentStage: experiments.lifecycleStage })
    .from(runs)
    .innerJoin(experiments, and(eq(experiments.tenantId, runs.tenantId), eq(experiments.id, runs.experimentId)))
    .where(and(eq(runs.tenantId, tenantId), eq(runs.id, id)));
  const [row] = lock ? await query.for(lock, { of: runs }) : await query;
  if (!row) throw notFound("Run", id);
  return row;
}

export async function getRunOrThrow(db: Database, tenantId: string, id: string): Promise<RunResponse> {
  const { run } = await getRunRowOrThrow(db, tenantId, id);
  return toRunResponse(run, (await latestMetrics(db, tenantId, [run.id])).get(run.id));
}
