import { LIMITS } from "@stepwise/core/schemas";
import { NOTE_TAG, PARENT_TAG, RUN_NAME_TAG } from "./shapes";

export interface RunTagWrites {
  /** Tags stored as tags (values cut to the tag value limit, as MLflow truncates them). */
  tags: { key: string; value: string }[];
  /** `mlflow.runName`: the run's name. */
  name?: string;
  /** `mlflow.note.content`: the run's description. */
  description?: string;
  /** `mlflow.parentRunId`: the run's parent (set at creation only). */
  parent?: string;
}

/** MLflow tags split into the ones that are Stepwise fields (name, description) and plain tags. */
export function splitRunTags(tags: { key: string; value: string }[] = []): RunTagWrites {
  const out: RunTagWrites = { tags: [] };
  for (const { key, value } of tags) {
    if (key === RUN_NAME_TAG) out.name = value;
    else if (key === NOTE_TAG) out.description = value;
    else if (key === PARENT_TAG) out.parent = value;
    else out.tags.push({ key, value: value.slice(0, LIMITS.tagValue) });
  }
  return out;
}

/** Param values cut to the param value limit, as MLflow truncates them (it answers 200 for longer ones). */
export const truncatedParams = (params: { key: string; value: string }[] = []) =>
  params.map(({ key, value }) => ({ key, value: value.slice(0, LIMITS.paramValue) }));
