import { v5 } from "uuid";
import type { Database } from "../db";
import { DomainError } from "../shared/errors";
import type { ArtifactSettings } from "./artifact-location";
import { createExperiment } from "./create-experiment";
import { getExperimentOrThrow } from "./get-experiment";
import type { ExperimentResponse } from "./schemas";

/** The namespace of the Default experiments' ids (a fixed random UUID; never change it). */
const DEFAULT_EXPERIMENT_NAMESPACE = "5d0f3a52-8a3e-4d47-9b0c-2f4c3e7a91d6";
export const DEFAULT_EXPERIMENT_NAME = "Default";

/**
 * The id of a tenant's Default experiment (MLflow's experiment "0"): derived from the tenant's id, so it is
 * found by its key alone, whatever it was renamed to, and two servers racing to create it make the same row.
 */
export const defaultExperimentId = (tenantId: string) => v5(tenantId, DEFAULT_EXPERIMENT_NAMESPACE);

/**
 * The tenant's Default experiment, created on first use. If an active experiment already holds the name
 * "Default", it is created as "Default (<first 8 characters of its id>)" instead.
 */
export async function ensureDefaultExperiment(
  db: Database,
  tenantId: string,
  artifacts: ArtifactSettings,
): Promise<ExperimentResponse> {
  const id = defaultExperimentId(tenantId);
  const existing = await getExperimentOrThrow(db, tenantId, id).catch((e) =>
    isNotFound(e) ? null : Promise.reject(e),
  );
  if (existing) return existing;
  for (const name of [DEFAULT_EXPERIMENT_NAME, `${DEFAULT_EXPERIMENT_NAME} (${id.slice(0, 8)})`]) {
    try {
      return await createExperiment(db, tenantId, { name }, artifacts, id);
    } catch (error) {
      if (!(error instanceof DomainError && error.code === "CONFLICT")) throw error;
      // Either the name is taken or a concurrent request has just made the row: read it again.
      const made = await getExperimentOrThrow(db, tenantId, id).catch((e) =>
        isNotFound(e) ? null : Promise.reject(e),
      );
      if (made) return made;
    }
  }
  return getExperimentOrThrow(db, tenantId, id);
}

const isNotFound = (error: unknown) => error instanceof DomainError && error.code === "NOT_FOUND";
