import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../db";
import { runs } from "../db/schema";
import { latestMetrics } from "../metrics/latest-metrics";
import { conflict, invalid } from "../shared/errors";
import { one } from "../shared/ids";
import { experimentArchived } from "./create-run";
import { getRunRowOrThrow } from "./get-run";
import type { EndRunInput, RunResponse } from "./schemas";
import { toRunResponse } from "./to-response";
import { runDeleted } from "./writable-run";

/** A run's end time: the given one, never before its start; without one, "now" (never before a start_time set in the future). */
export function checkedEndTime(run: { startTime: Date }, given: string | undefined): Date {
  const endTime = given ? new Date(given) : new Date(Math.max(Date.now(), run.startTime.getTime()));
  if (endTime < run.startTime) {
    throw invalid(
      `end_time ${endTime.toISOString()} is before the run's start_time ${run.startTime.toISOString()}`,
      "end_time",
    );
  }
  return endTime;
}

export function endRun(db: Database, tenantId: string, input: EndRunInput): Promise<RunResponse> {
  return db.transaction(async (tx) => {
    const { run, experimentStage } = await getRunRowOrThrow(tx, tenantId, input.id, "update");
    if (experimentStage !== "active") throw experimentArchived(run.experimentId);
    if (run.deletedAt) throw runDeleted(run.id);
    if (run.status !== "RUNNING") throw conflict(`Run '${run.id}' has already ended with status ${run.status}`);
    const endTime = checkedEndTime(run, input.end_time);
    const row = one(
      await tx
        .update(runs)
        .set({ status: input.status, endTime, updatedAt: sql`now()` })
        .where(and(eq(runs.tenantId, tenantId), eq(runs.id, run.id)))
        .returning(),
    );
    return toRunResponse(row, (await latestMetrics(tx, tenantId, [row.id])).get(row.id));
  });
}
