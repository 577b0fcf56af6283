import {
  type ArtifactSettings,
  type Database,
  defaultExperimentId,
  ensureDefaultExperiment,
  invalid,
  notFound,
} from "@stepwise/core";

const HEX32 = /^[0-9a-f]{32}$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A run's MLflow id: its UUID as 32 lowercase hex characters. */
export const mlflowRunId = (id: string) => id.replace(/-/g, "").toLowerCase();

/** A UUID from 32 hex characters or a dashed UUID, or null. */
export function uuidOf(value: string): string | null {
  if (UUID.test(value)) return value.toLowerCase();
  if (!HEX32.test(value)) return null;
  const h = value.toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The run of a request's `run_id` (or its alias `run_uuid`); a malformed id is not found, as in MLflow. */
export function runIdOf(input: { run_id?: string; run_uuid?: string }): string {
  const given = input.run_id || input.run_uuid;
  if (!given) throw invalid("Missing value for required parameter 'run_id'", "run_id");
  const id = uuidOf(given);
  if (!id) throw notFound("Run", given);
  return id;
}

/** An experiment's MLflow id: "0" for the tenant's Default experiment, its UUID otherwise. */
export const mlflowExperimentId = (tenantId: string, id: string) => (id === defaultExperimentId(tenantId) ? "0" : id);

/**
 * The Stepwise experiment of an MLflow experiment id: "0" is the tenant's Default experiment (created on
 * first use), anything else must be an experiment's UUID; other ids are not found (never a 500).
 */
export async function experimentIdOf(
  db: Database,
  tenantId: string,
  artifacts: ArtifactSettings,
  given: string | number | undefined,
): Promise<string> {
  if (given === undefined || given === "") {
    throw invalid("Missing value for required parameter 'experiment_id'", "experiment_id");
  }
  const text = String(given);
  if (text === "0") return (await ensureDefaultExperiment(db, tenantId, artifacts)).id;
  const id = UUID.test(text) ? text.toLowerCase() : null;
  if (!id) throw notFound("Experiment", text);
  return id;
}

/** MLflow's page token, byte for byte: base64 of `{"offset": N}` (as Python's json.dumps writes it). */
export const pageToken = (offset: number) => Buffer.from(`{"offset": ${offset}}`).toString("base64");

/** The offset of a page token (none: 0); anything but MLflow's `{"offset": N}` is a 400. */
export function offsetOf(token: string | undefined): number {
  if (!token) return 0;
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64").toString("utf8"));
    if (Number.isSafeInteger(parsed?.offset) && parsed.offset >= 0) return parsed.offset;
  } catch {
    // Not base64 JSON: the same 400.
  }
  throw invalid(`Invalid page token '${token}': pass back the next_page_token of the previous page`, "page_token");
}
