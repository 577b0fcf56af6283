import { and, count, desc, eq, ilike } from "drizzle-orm";
import type { Database } from "../db";
import { experiments } from "../db/schema";
import type { ExperimentList, ListExperimentsInput } from "./schemas";
import { toExperimentResponse } from "./to-response";

/** Escapes LIKE wildcards so that `%` and `_` in a search match themselves. */
export const likeLiteral = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function listExperiments(
  db: Database,
  tenantId: string,
  input: ListExperimentsInput,
): Promise<ExperimentList> {
  const where = and(
    eq(experiments.tenantId, tenantId),
    eq(experiments.lifecycleStage, input.lifecycle_stage),
    input.search ? ilike(experiments.name, `%${likeLiteral(input.search)}%`) : undefined,
  );
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(experiments)
      .where(where)
      .orderBy(desc(experiments.createdAt), desc(experiments.id))
      .limit(input.limit)
      .offset(input.offset),
    db.select({ n: count() }).from(experiments).where(where),
  ]);
  return {
    experiments: rows.map(toExperimentResponse),
    total: total?.n ?? 0,
    limit: input.limit,
    offset: input.offset,
  };
}
