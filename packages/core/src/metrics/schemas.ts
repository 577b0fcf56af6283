import { z } from "zod";
import { MetricValue, RunStatus } from "../runs/schemas";
import { id, isoTime, keySchema, TIME_MAX_MS, text } from "../shared/common-schemas";
import { LIMITS } from "../shared/limits";

const step = z.int({ message: "step must be an integer in the safe range" });
const timestamp = z
  .int({ message: "timestamp must be integer epoch milliseconds" })
  .min(0, "timestamp must be at least 0 (1970-01-01)")
  .max(TIME_MAX_MS, `timestamp must be at most ${TIME_MAX_MS} (9999-12-31T23:59:59.999Z)`);
/** Param values are strings; numbers and booleans are accepted and stored as their string form. */
export const ParamValue = z
  .union([text(), z.number(), z.boolean()])
  .transform(String)
  .pipe(text().max(LIMITS.paramValue, `param value must be at most ${LIMITS.paramValue} characters`));
const tagValue = text().max(LIMITS.tagValue, `tag value must be at most ${LIMITS.tagValue} characters`);

export const LogMetricsInput = z.object({
  id: id(),
  metrics: z
    .record(keySchema, MetricValue)
    .refine((m) => Object.keys(m).length >= 1, "give at least one metric")
    .refine((m) => Object.keys(m).length <= LIMITS.keysPerLogCall, `at most ${LIMITS.keysPerLogCall} metrics`),
  step: step.optional(),
  timestamp: timestamp.optional(),
});
export type LogMetricsInput = z.infer<typeof LogMetricsInput>;

export const LogParamsInput = z.object({
  id: id(),
  params: z
    .record(keySchema, ParamValue)
    .refine((m) => Object.keys(m).length >= 1, "give at least one param")
    .refine((m) => Object.keys(m).length <= LIMITS.keysPerLogCall, `at most ${LIMITS.keysPerLogCall} params`),
});
export type LogParamsInput = z.infer<typeof LogParamsInput>;

export const MetricPoint = z.object({
  key: keySchema,
  value: MetricValue,
  step: step.optional(),
  timestamp: timestamp.optional(),
});
export const LogBatchInput = z
  .object({
    id: id(),
    metrics: z.array(MetricPoint).max(LIMITS.metricsPerBatch).optional(),
    params: z
      .array(z.object({ key: keySchema, value: ParamValue }))
      .max(LIMITS.paramsPerBatch)
      .optional(),
    tags: z
      .array(z.object({ key: keySchema, value: tagValue }))
      .max(LIMITS.tagsPerBatch)
      .optional(),
  })
  .refine((b) => (b.metrics?.length ?? 0) + (b.params?.length ?? 0) + (b.tags?.length ?? 0) > 0, {
    message: "give at least one metric, param or tag",
  });
export type LogBatchInput = z.infer<typeof LogBatchInput>;

export const LogMetricsResult = z.object({ metrics: z.int() });
export const LogParamsResult = z.object({ params: z.int() });
export const LogBatchResult = z.object({ metrics: z.int(), params: z.int(), tags: z.int() });

const queryStep = (name: string) => z.number({ message: `${name} must be a number` }).int(`${name} must be an integer`);
export const MetricHistoryInput = z.object({
  id: id(),
  key: keySchema,
  max_points: z
    .number({ message: "max_points must be a number" })
    .int("max_points must be an integer")
    .min(LIMITS.historyPointsMin, `max_points must be at least ${LIMITS.historyPointsMin}`)
    .max(LIMITS.historyPointsMax, `max_points must be at most ${LIMITS.historyPointsMax}`)
    .default(LIMITS.historyPointsDefault),
  start_step: queryStep("start_step").optional(),
  end_step: queryStep("end_step").optional(),
});
export type MetricHistoryInput = z.infer<typeof MetricHistoryInput>;

export const MetricHistory = z
  .object({
    key: z.string(),
    points: z.array(z.object({ step: z.int(), value: MetricValue, timestamp: z.int() })),
    total_points: z.int(),
    downsampled: z.boolean(),
  })
  .meta({ id: "MetricHistory" });
export type MetricHistory = z.infer<typeof MetricHistory>;

/** Many runs' histories of some metrics in one request (the compare page's charts). */
export const MetricHistoriesInput = z
  .object({
    run_ids: z
      .array(id())
      .min(1, "give at least one run ID")
      .max(LIMITS.historyBulkRuns, `at most ${LIMITS.historyBulkRuns} run_ids`)
      .refine((ids) => new Set(ids).size === ids.length, "run_ids must be distinct"),
    keys: z
      .array(keySchema)
      .min(1, "give at least one metric key")
      .max(LIMITS.historyBulkKeys, `at most ${LIMITS.historyBulkKeys} keys`)
      .refine((keys) => new Set(keys).size === keys.length, "keys must be distinct"),
    max_points: z
      .int("max_points must be an integer")
      .min(LIMITS.historyPointsMin, `max_points must be at least ${LIMITS.historyPointsMin}`)
      .max(LIMITS.historyPointsMax, `max_points must be at most ${LIMITS.historyPointsMax}`)
      .default(LIMITS.historyPointsDefault),
    start_step: z.int("start_step must be an integer").optional(),
    end_step: z.int("end_step must be an integer").optional(),
  })
  .refine((i) => i.run_ids.length * i.keys.length * i.max_points <= LIMITS.historyBulkPoints, {
    message: `run_ids x keys x max_points must be at most ${LIMITS.historyBulkPoints}: ask for fewer points or series`,
    path: ["max_points"],
  });
export type MetricHistoriesInput = z.infer<typeof MetricHistoriesInput>;

export const MetricHistories = z
  .object({ histories: z.array(MetricHistory.extend({ run_id: z.uuid() })) })
  .meta({ id: "MetricHistories" });
export type MetricHistories = z.infer<typeof MetricHistories>;

export const CompareRunsInput = z.object({
  run_ids: z
    .array(id())
    .min(LIMITS.compareRunsMin)
    .max(LIMITS.compareRunsMax)
    .refine((ids) => new Set(ids).size === ids.length, "run_ids must be distinct"),
  metrics: z.array(keySchema).max(LIMITS.keysPerLogCall).optional(),
});
export type CompareRunsInput = z.infer<typeof CompareRunsInput>;

const MetricSummary = z.object({
  last: MetricValue,
  last_step: z.int(),
  min: MetricValue.nullable(),
  max: MetricValue.nullable(),
  count: z.int(),
});
export const CompareRunsResponse = z
  .object({
    runs: z.array(
      z.object({
        id: z.uuid(),
        name: z.string(),
        experiment_id: z.uuid(),
        status: RunStatus,
        start_time: isoTime(),
        end_time: isoTime().nullable(),
        params: z.record(z.string(), z.string()),
        tags: z.record(z.string(), z.string()),
      }),
    ),
    metrics: z.array(z.object({ key: z.string(), runs: z.record(z.string(), MetricSummary.nullable()) })),
    params: z.array(
      z.object({ key: z.string(), values: z.record(z.string(), z.string().nullable()), differs: z.boolean() }),
    ),
  })
  .meta({ id: "CompareRunsResponse" });
export type CompareRunsResponse = z.infer<typeof CompareRunsResponse>;
