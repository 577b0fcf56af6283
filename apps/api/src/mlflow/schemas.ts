import { DomainError } from "@stepwise/core";
import { z } from "zod";
import { describeIssues } from "../http/errors";

/** An int64 as proto-JSON sends it: a JSON number or a string of digits. */
export const int64 = z
  .union([
    z.number(),
    z
      .string()
      .regex(/^-?\d+$/, "must be an integer")
      .transform(Number),
  ])
  .pipe(z.number().int("must be an integer").refine(Number.isSafeInteger, "must be in the safe integer range"));

/** A metric value: a number, a numeric string, or "NaN"/"Infinity"/"-Infinity" (what proto-JSON sends for a double). */
export const metricValue = z.union(
  [
    z.number(),
    z.enum(["NaN", "Infinity", "-Infinity"]),
    z
      .string()
      .regex(/^\s*-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/)
      .transform(Number),
  ],
  { error: 'value must be a number or one of the strings "NaN", "Infinity", "-Infinity"' },
);

const stringValue = (field: string) =>
  z.string({
    error: (issue) =>
      issue.input === undefined
        ? `Missing value for required parameter '${field}'`
        : `Invalid value ${JSON.stringify(issue.input)} for parameter '${field}' supplied: Hint: Value was of type '${typeof issue.input}'; send a string`,
  });

export const keyValue = z.object({ key: stringValue("key"), value: stringValue("value") });
const runRef = { run_id: z.string().optional(), run_uuid: z.string().optional() };
const experimentRef = { experiment_id: z.union([z.string(), z.number()]).optional() };
export const experimentIdQuery = z.object(experimentRef);

export const CreateExperiment = z.object({
  name: stringValue("name"),
  artifact_location: z.string().optional(),
  tags: z.array(keyValue).optional(),
});
export const UpdateExperiment = z.object({ ...experimentRef, new_name: stringValue("new_name") });
export const ExperimentTag = z.object({ ...experimentRef, key: stringValue("key"), value: stringValue("value") });
export const DeleteExperimentTag = z.object({ ...experimentRef, key: stringValue("key") });

export const CreateRun = z.object({
  ...experimentRef,
  user_id: z.string().optional(),
  run_name: z.string().optional(),
  start_time: int64.optional(),
  tags: z.array(keyValue).optional(),
});
export const UpdateRun = z.object({
  ...runRef,
  status: z.enum(["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"]).optional(),
  end_time: int64.optional(),
  run_name: z.string().optional(),
});
export const RunRef = z.object(runRef);
export const LogMetric = z.object({
  ...runRef,
  key: stringValue("key"),
  value: metricValue,
  timestamp: int64.optional(),
  step: int64.optional(),
});
export const LogParam = z.object({ ...runRef, key: stringValue("key"), value: stringValue("value") });
export const SetTag = z.object({ ...runRef, key: stringValue("key"), value: stringValue("value") });
export const DeleteTag = z.object({ ...runRef, key: stringValue("key") });
export const LogBatch = z.object({
  ...runRef,
  metrics: z
    .array(
      z.object({ key: stringValue("key"), value: metricValue, timestamp: int64.optional(), step: int64.optional() }),
    )
    .optional(),
  params: z.array(keyValue).optional(),
  tags: z.array(keyValue).optional(),
});
export const LogInputs = z.object({
  ...runRef,
  datasets: z
    .array(
      z.object({
        tags: z.array(keyValue).optional(),
        dataset: z.object({
          name: stringValue("name"),
          digest: stringValue("digest"),
          source_type: z.string().optional(),
          source: z.string().optional(),
          schema: z.string().optional(),
          profile: z.string().optional(),
        }),
      }),
    )
    .optional(),
});
export const GetHistory = z.object({
  ...runRef,
  metric_key: stringValue("metric_key"),
  max_results: int64.pipe(z.number().min(1, "max_results must be at least 1")).optional(),
  page_token: z.string().optional(),
});
const viewType = z.enum(["ACTIVE_ONLY", "DELETED_ONLY", "ALL"]).default("ACTIVE_ONLY");
export const SearchExperiments = z.object({
  max_results: int64.pipe(z.number().min(1, "max_results must be at least 1")).optional(),
  page_token: z.string().optional(),
  filter: z.string().optional(),
  order_by: z.array(z.string()).optional(),
  view_type: viewType,
});
export const SearchRuns = z.object({
  experiment_ids: z.array(z.union([z.string(), z.number()])).optional(),
  filter: z.string().optional(),
  run_view_type: viewType,
  max_results: int64.pipe(z.number().min(1, "max_results must be at least 1")).optional(),
  order_by: z.array(z.string()).optional(),
  page_token: z.string().optional(),
});

/** Parses an MLflow request with one of these schemas (unknown fields are dropped): a 400 listing the fields at fault. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message }));
  throw new DomainError("INVALID_ARGUMENT", describeIssues(issues), { issues });
}
