import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../db";
import { runs } from "../db/schema";
import { latestMetrics } from "../metrics/latest-metrics";
import { one } from "../shared/ids";
import { experimentArchived } from "./create-run";
import { checkedEndTime } from "./end-run";
import { getRunRowOrThrow } from "./get-run";
import type { RunResponse, RunStatus } from "./schemas";
import { toRunResponse } from "./to-response";
import { runDeleted } from "./writable-run";

/**
 * Sets a run's status as MLflow's update-run does (contract section 11): also on an ended run (FINISHED
 * then FAILED), and back to RUNNING (which clears the end time). A terminal status keeps the given end
 * time, else the run's own, else "now". A deleted run and the runs of an archived experiment take no writes (409).
 */
export function setRunStatus(
  db: Database,
  tenantId: string,
  input: { id: string; status: RunStatus; end_time?: string },
): Promise<RunResponse> {
  return db.transaction(async (tx) => {
    const { run, experimentStage } = await getRunRowOrThrow(tx, tenantId, input.id, "update");
    if (experimentStage !== "active") throw experimentArchived(run.experimentId);
    if (run.deletedAt) throw runDeleted(run.id);
    const endTime =
      input.status === "RUNNING"
        ? null
        : checkedEndTime(run, input.end_time ?? run.endTime?.toISOString() ?? undefined);
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
