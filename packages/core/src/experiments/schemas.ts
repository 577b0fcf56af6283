import { z } from "zod";
import {
  id,
  isoTime,
  keySchema,
  page,
  pagination,
  TAGS_PER_ENTITY_MESSAGE,
  tagMap,
  tagValue,
  text,
} from "../shared/common-schemas";
import { LIMITS } from "../shared/limits";

const experimentName = text()
  .trim()
  .min(1, "name must not be empty")
  .max(LIMITS.experimentName, `name must be at most ${LIMITS.experimentName} characters`);
const description = text().max(LIMITS.description, `description must be at most ${LIMITS.description} characters`);

export const LifecycleStage = z.enum(["active", "deleted"]);
export type LifecycleStage = z.infer<typeof LifecycleStage>;

export const ExperimentResponse = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string().nullable(),
    artifact_location: z.string(),
    lifecycle_stage: LifecycleStage,
    tags: z.record(z.string(), z.string()),
    created_at: isoTime(),
    updated_at: isoTime(),
  })
  .meta({ id: "ExperimentResponse" });
export type ExperimentResponse = z.infer<typeof ExperimentResponse>;

export const CreateExperimentInput = z.object({
  name: experimentName,
  // null as on PATCH: "no description", as a client with an optional field (Python's None) sends it.
  description: description.nullable().optional(),
  artifact_location: text().max(1024).optional().meta({ description: "An s3:// URI under a root the operator allows" }),
  tags: tagMap.optional(),
});
export type CreateExperimentInput = z.infer<typeof CreateExperimentInput>;

export const ListExperimentsInput = z.object({
  search: text()
    .max(LIMITS.search)
    .optional()
    .meta({ description: "Case-insensitive substring of the name; % and _ are literal" }),
  lifecycle_stage: LifecycleStage.default("active"),
  ...pagination,
});
export type ListExperimentsInput = z.infer<typeof ListExperimentsInput>;

export const ExperimentList = z
  .object({ experiments: z.array(ExperimentResponse), ...page })
  .meta({ id: "ExperimentList" });
export type ExperimentList = z.infer<typeof ExperimentList>;

export const ExperimentIdInput = z.object({ id: id() });

export const UpdateExperimentInput = z
  .object({
    id: id(),
    name: experimentName.optional(),
    description: description.nullable().optional(),
    tags: z
      .record(keySchema, tagValue.nullable())
      .refine((m) => Object.keys(m).length <= LIMITS.tagsPerEntity, TAGS_PER_ENTITY_MESSAGE)
      .optional()
      .meta({ description: "Merged into the existing tags; a null value removes that key" }),
  })
  .refine((v) => v.name !== undefined || v.description !== undefined || v.tags !== undefined, {
    message: "give at least one of name, description, tags",
  });
export type UpdateExperimentInput = z.infer<typeof UpdateExperimentInput>;
