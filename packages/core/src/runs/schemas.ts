import { z } from "zod";
import { id, inputTime, isoTime, keySchema, page, pagination, tagMap, text } from "../shared/common-schemas";
import { LIMITS } from "../shared/limits";

export const RunStatus = z.enum(["RUNNING", "FINISHED", "FAILED", "KILLED"]);
export type RunStatus = z.infer<typeof RunStatus>;
export const EndStatus = z.enum(["FINISHED", "FAILED", "KILLED"]);

/** A metric value as sent and returned: a JSON number or one of the IEEE specials spelled as a string. */
export const MetricValue = z.union([z.number(), z.enum(["NaN", "Infinity", "-Infinity"])], {
  error: 'value must be a number or one of the strings "NaN", "Infinity", "-Infinity"',
});
export type MetricValue = z.infer<typeof MetricValue>;

export const LatestMetric = z.object({ value: MetricValue, step: z.int(), timestamp: z.int() });

export const RunResponse = z
  .object({
    id: z.uuid(),
    experiment_id: z.uuid(),
    name: z.string(),
    description: z.string().nullable(),
    status: RunStatus,
    start_time: isoTime(),
    end_time: isoTime().nullable(),
    artifact_uri: z.string(),
    parent_run_id: z.uuid().nullable().meta({ description: "The run this one is nested under (same experiment)" }),
    deleted_at: isoTime().nullable().meta({ description: "Set while the run is deleted" }),
    tags: z.record(z.string(), z.string()),
    params: z.record(z.string(), z.string()),
    metrics: z.record(z.string(), LatestMetric).meta({ description: "The latest point of each key" }),
    created_at: isoTime(),
    updated_at: isoTime(),
  })
  .meta({ id: "RunResponse" });
export type RunResponse = z.infer<typeof RunResponse>;

export const CreateRunInput = z.object({
  experiment_id: id(),
  name: text().trim().min(1).max(LIMITS.runName).optional().meta({ description: "Generated when missing" }),
  description: text().max(LIMITS.description).nullable().optional(),
  tags: tagMap.optional(),
  start_time: inputTime().optional(),
  parent_run_id: id().optional().meta({ description: "A run of the same experiment to nest this one under" }),
});
export type CreateRunInput = z.infer<typeof CreateRunInput>;

export const ListRunsInput = z.object({
  experiment_id: id(),
  status: RunStatus.optional(),
  ...pagination,
});
export type ListRunsInput = z.infer<typeof ListRunsInput>;

export const RunList = z.object({ runs: z.array(RunResponse), ...page }).meta({ id: "RunList" });
export type RunList = z.infer<typeof RunList>;

export const RunIdInput = z.object({ id: id() });

export const EndRunInput = z.object({
  id: id(),
  status: EndStatus.default("FINISHED"),
  end_time: inputTime().optional(),
});
export type EndRunInput = z.infer<typeof EndRunInput>;

export const UpdateRunInput = z
  .object({
    id: id(),
    name: text().trim().min(1, "name must not be empty").max(LIMITS.runName).optional(),
    description: text().max(LIMITS.description).nullable().optional().meta({ description: "null removes it" }),
  })
  .refine((v) => v.name !== undefined || v.description !== undefined, {
    message: "give at least one of name, description",
  });
export type UpdateRunInput = z.infer<typeof UpdateRunInput>;

export const RunTagInput = z.object({ id: id(), key: keySchema });
export type RunTagInput = z.infer<typeof RunTagInput>;
