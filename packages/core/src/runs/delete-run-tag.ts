import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../db";
import { runs } from "../db/schema";
import { latestMetrics } from "../metrics/latest-metrics";
import { DomainError } from "../shared/errors";
import { one } from "../shared/ids";
import type { RunResponse, RunTagInput } from "./schemas";
import { toRunResponse } from "./to-response";
import { getWritableRunOrThrow } from "./writable-run";

/** Removes one tag of a run; a tag the run does not have is a 404. */
export function deleteRunTag(db: Database, tenantId: string, input: RunTagInput): Promise<RunResponse> {
  return db.transaction(async (tx) => {
    const run = await getWritableRunOrThrow(tx, tenantId, input.id, "update");
    if (!Object.hasOwn(run.tags, input.key)) {
      throw new DomainError("NOT_FOUND", `Run '${run.id}' has no tag '${input.key}'`);
    }
    const row = one(
      await tx
        .update(runs)
        .set({ tags: sql`${runs.tags} - ${input.key}::text`, updatedAt: sql`now()` })
        .where(and(eq(runs.tenantId, tenantId), eq(runs.id, run.id)))
        .returning(),
    );
    return toRunResponse(row, (await latestMetrics(tx, tenantId, [row.id])).get(row.id));
  });
}
