import { z } from "zod";
import { id, tagMap, text } from "../shared/common-schemas";
import { LIMITS } from "../shared/limits";

const field = (name: string, max: number) => text().max(max, `${name} must be at most ${max} characters`);

export const Dataset = z.object({
  name: field("dataset name", LIMITS.datasetName).min(1, "dataset name must not be empty"),
  digest: field("dataset digest", LIMITS.datasetDigest).min(1, "dataset digest must not be empty"),
  source_type: field("dataset source_type", LIMITS.datasetName),
  source: field("dataset source", LIMITS.datasetSource),
  schema: field("dataset schema", LIMITS.datasetSchema).optional(),
  profile: field("dataset profile", LIMITS.datasetSchema).optional(),
});
export type Dataset = z.infer<typeof Dataset>;

export const RunInput = z.object({ dataset: Dataset, tags: tagMap });
export type RunInput = z.infer<typeof RunInput>;

export const LogRunInputsInput = z.object({
  id: id(),
  datasets: z.array(RunInput).max(LIMITS.datasetsPerCall, `at most ${LIMITS.datasetsPerCall} datasets`),
});
export type LogRunInputsInput = z.infer<typeof LogRunInputsInput>;
