import type { Database } from "../db";
import { checkedEndTime, writeRunStatus } from "./end-run";
import type { RunResponse, RunStatus } from "./schemas";

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
  return writeRunStatus(db, tenantId, input.id, (run) => ({
    status: input.status,
    endTime:
      input.status === "RUNNING"
        ? null
        : checkedEndTime(run, input.end_time ?? run.endTime?.toISOString() ?? undefined),
  }));
}
