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

type RunRow = Awaited<ReturnType<typeof getRunRowOrThrow>>["run"];

/**
 * The one status write of a run (endRun here, MLflow's update in set-run-status.ts): the run row locked, a
 * deleted run and the runs of an archived experiment refused (409), then the status and end time that
 * `decide` gives for the row as it is.
 */
export function writeRunStatus(
  db: Database,
  tenantId: string,
  id: string,
  decide: (run: RunRow) => { status: RunRow["status"]; endTime: Date | null },
): Promise<RunResponse> {
  return db.transaction(async (tx) => {
    const { run, experimentStage } = await getRunRowOrThrow(tx, tenantId, id, "update");
    if (experimentStage !== "active") throw experimentArchived(run.experimentId);
    if (run.deletedAt) throw runDeleted(run.id);
    const row = one(
      await tx
        .update(runs)
        .set({ ...decide(run), updatedAt: sql`now()` })
        .where(and(eq(runs.tenantId, tenantId), eq(runs.id, run.id)))
        .returning(),
    );
    return toRunResponse(row, (await latestMetrics(tx, tenantId, [row.id])).get(row.id));
  });
}

export const endRun = (db: Database, tenantId: string, input: EndRunInput): Promise<RunResponse> =>
  writeRunStatus(db, tenantId, input.id, (run) => {
    if (run.status !== "RUNNING") throw conflict(`Run '${run.id}' has already ended with status ${run.status}`);
    return { status: input.status, endTime: checkedEndTime(run, input.end_time) };
  });
