import { and, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "../db";
import { runInputs } from "../db/schema";
import { getWritableRunOrThrow } from "../runs/writable-run";
import type { LogRunInputsInput, RunInput } from "./schemas";

/**
 * Records the datasets a run used; the same dataset (name and digest) again replaces its tags. A deleted run
 * and the runs of an archived experiment take no writes (409).
 */
export async function logRunInputs(db: Database, tenantId: string, input: LogRunInputsInput): Promise<void> {
  // One row per dataset: the last mention of a (name, digest) in the request wins.
  const rows = new Map(input.datasets.map((d) => [`${d.dataset.name}\u0000${d.dataset.digest}`, d]));
  await db.transaction(async (tx) => {
    await getWritableRunOrThrow(tx, tenantId, input.id, "update");
    if (rows.size === 0) return;
    await tx
      .insert(runInputs)
      .values(
        [...rows.values()].map(({ dataset, tags }) => ({
          tenantId,
          runId: input.id,
          name: dataset.name,
          digest: dataset.digest,
          sourceType: dataset.source_type,
          source: dataset.source,
          schema: dataset.schema ?? null,
          profile: dataset.profile ?? null,
          tags,
        })),
      )
      .onConflictDoUpdate({
        target: [runInputs.tenantId, runInputs.runId, runInputs.name, runInputs.digest],
        set: { tags: sql`excluded.tags` },
      });
  });
}

/** The datasets of each of the given runs, oldest first. */
export async function listRunInputs(db: Database, tenantId: string, runIds: string[]) {
  const byRun = new Map<string, RunInput[]>(runIds.map((id) => [id, []]));
  if (runIds.length === 0) return byRun;
  const rows = await db
    .select()
    .from(runInputs)
    .where(and(eq(runInputs.tenantId, tenantId), inArray(runInputs.runId, runIds)))
    .orderBy(runInputs.createdAt, runInputs.name, runInputs.digest);
  for (const r of rows) {
    byRun.get(r.runId)?.push({
      dataset: {
        name: r.name,
        digest: r.digest,
        source_type: r.sourceType,
        source: r.source,
        ...(r.schema !== null && { schema: r.schema }),
        ...(r.profile !== null && { profile: r.profile }),
      },
      tags: r.tags,
    });
  }
  return byRun;
}
