import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "../db";
import { experiments } from "../db/schema";
import { experimentFilter, experimentOrder } from "./experiment-filter";
import type { ExperimentResponse, LifecycleStage } from "./schemas";
import { toExperimentResponse } from "./to-response";

export interface SearchExperimentsInput {
  /** MLflow's experiment filter (see experiment-filter.ts); empty or missing matches all. */
  filter?: string;
  order_by?: string[];
  stages: LifecycleStage[];
  limit: number;
  offset: number;
}

/**
 * MLflow's search_experiments: a page of the tenant's experiments in the given lifecycle stages that match
 * the filter, in the given order (newest first by default), and whether more follow.
 */
export async function searchExperiments(
  db: Database,
  tenantId: string,
  input: SearchExperimentsInput,
): Promise<{ experiments: ExperimentResponse[]; more: boolean }> {
  const rows = await db
    .select()
    .from(experiments)
    .where(
      and(
        eq(experiments.tenantId, tenantId),
        inArray(experiments.lifecycleStage, input.stages),
        experimentFilter(input.filter ?? "") ?? undefined,
      ),
    )
    .orderBy(...experimentOrder(input.order_by ?? []))
    .limit(input.limit + 1)
    .offset(input.offset);
  return { experiments: rows.slice(0, input.limit).map(toExperimentResponse), more: rows.length > input.limit };
}
