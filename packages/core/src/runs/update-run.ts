import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../db";
import { runs } from "../db/schema";
import { latestMetrics } from "../metrics/latest-metrics";
import { one } from "../shared/ids";
import type { RunResponse, UpdateRunInput } from "./schemas";
import { toRunResponse } from "./to-response";
import { getWritableRunOrThrow } from "./writable-run";

/** Renames and re-describes a run (a null description removes it); a deleted run is a 409. */
export function updateRun(db: Database, tenantId: string, input: UpdateRunInput): Promise<RunResponse> {
  return db.transaction(async (tx) => {
    await getWritableRunOrThrow(tx, tenantId, input.id, "update");
    const row = one(
      await tx
        .update(runs)
        .set({ name: input.name, description: input.description, updatedAt: sql`now()` })
        .where(and(eq(runs.tenantId, tenantId), eq(runs.id, input.id)))
        .returning(),
    );
    return toRunResponse(row, (await latestMetrics(tx, tenantId, [row.id])).get(row.id));
  });
}
