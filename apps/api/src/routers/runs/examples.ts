import type { Meta } from "../../trpc/init";
import { ARTIFACT_LOCATION, EXPERIMENT_ID } from "../experiments/examples";

/** Examples of the run operations, for the OpenAPI document; openapi-examples.test.ts parses them. */
type Examples = NonNullable<Meta["examples"]>;

export const RUN_ID = "01972ff1-47e4-74f2-9a9c-7e1b8d3a6501";
const OTHER_RUN_ID = "0197304e-e378-7b7d-91e5-f3a9c2e87401";

const started = {
  id: RUN_ID,
  experiment_id: EXPERIMENT_ID,
  name: "lr-0.1-bs-256",
  description: "Baseline: lr 0.1, batch 256, 90 epochs",
  status: "RUNNING",
  start_time: "2025-06-02T09:20:31.204Z",
  end_time: null,
  artifact_uri: `${ARTIFACT_LOCATION}/${RUN_ID}/artifacts`,
  parent_run_id: null,
  deleted_at: null,
  tags: { "git.commit": "3f9c2ab" },
  params: {},
  metrics: {},
  created_at: "2025-06-02T09:20:31.204Z",
  updated_at: "2025-06-02T09:20:31.204Z",
};
const params = { lr: "0.1", batch_size: "256", optimizer: "sgd" };
const running = {
  ...started,
  params,
  metrics: {
    loss: { value: 0.8734, step: 4200, timestamp: 1748859612044 },
    "val/accuracy": { value: 0.7412, step: 4200, timestamp: 1748859612044 },
  },
  updated_at: "2025-06-02T10:20:12.044Z",
};
const finished = { ...running, status: "FINISHED", end_time: "2025-06-02T10:58:12.045Z" };
const summary = (run: typeof finished) => {
  const { id, name, experiment_id, status, start_time, end_time, params, tags } = run;
  return { id, name, experiment_id, status, start_time, end_time, params, tags };
};
const other = {
  ...finished,
  id: OTHER_RUN_ID,
  name: "brave-otter-417",
  params: { ...params, lr: "0.05" },
  start_time: "2025-06-02T11:02:45.880Z",
  end_time: "2025-06-02T12:41:09.312Z",
};

export const runExamples = {
  create: {
    request: {
      experiment_id: EXPERIMENT_ID,
      name: started.name,
      description: started.description,
      tags: started.tags,
      start_time: started.start_time,
    },
    response: started,
  },
  update: {
    request: { id: RUN_ID, name: "lr-0.1-bs-256-warmup", description: "Baseline with 500 warm-up steps" },
    response: {
      ...finished,
      name: "lr-0.1-bs-256-warmup",
      description: "Baseline with 500 warm-up steps",
      updated_at: "2025-06-02T13:05:40.118Z",
    },
  },
  delete: {
    request: { id: RUN_ID },
    response: { ...finished, deleted_at: "2025-06-02T13:06:02.951Z", updated_at: "2025-06-02T13:06:02.951Z" },
  },
  restore: { request: { id: RUN_ID }, response: { ...finished, updated_at: "2025-06-02T13:07:15.406Z" } },
  deleteTag: {
    request: { id: RUN_ID, key: "git.commit" },
    response: { ...finished, tags: {}, updated_at: "2025-06-02T13:08:21.733Z" },
  },
  list: {
    request: { experiment_id: EXPERIMENT_ID, status: "FINISHED", limit: 100, offset: 0 },
    response: { runs: [finished], total: 1, limit: 100, offset: 0 },
  },
  compare: {
    request: { run_ids: [RUN_ID, OTHER_RUN_ID], metrics: ["loss", "val/accuracy"] },
    response: {
      runs: [summary(finished), summary(other)],
      metrics: [
        {
          key: "loss",
          runs: {
            [RUN_ID]: { last: 0.8734, last_step: 4200, min: 0.8617, max: 6.9081, count: 4201 },
            [OTHER_RUN_ID]: { last: 0.9315, last_step: 4200, min: 0.9288, max: 6.9079, count: 4201 },
          },
        },
        {
          key: "val/accuracy",
          runs: {
            [RUN_ID]: { last: 0.7412, last_step: 4200, min: 0.0011, max: 0.7436, count: 43 },
            [OTHER_RUN_ID]: null,
          },
        },
      ],
      params: [
        { key: "batch_size", values: { [RUN_ID]: "256", [OTHER_RUN_ID]: "256" }, differs: false },
        { key: "lr", values: { [RUN_ID]: "0.1", [OTHER_RUN_ID]: "0.05" }, differs: true },
        { key: "optimizer", values: { [RUN_ID]: "sgd", [OTHER_RUN_ID]: "sgd" }, differs: false },
      ],
    },
  },
  search: {
    request: {
      experiment_ids: [EXPERIMENT_ID],
      filter: "params.optimizer = 'sgd' AND metrics.`val/accuracy` > 0.7 AND min(metrics.loss) < 0.9",
      order_by: ["metrics.loss ASC"],
      max_results: 1,
      view: "active",
      include: { metrics: ["loss", "val/accuracy"], params: ["lr", "optimizer"] },
    },
    response: {
      runs: [{ ...finished, params: { lr: "0.1", optimizer: "sgd" }, tags: finished.tags }],
      next_page_token:
        "eyJoIjoiN2ZRQ3VhbkZ0aEVRc0VnSm8xTjBzQSIsImMiOlswLCIwLjg3MzQiLCIyMDI1LTA2LTAyIDA5OjIwOjMxLjIwNCswMCIsIjAxOTcyZmYxLTQ3ZTQtNzRmMi05YTljLTdlMWI4ZDNhNjUwMSJdfQ",
    },
  },
  get: { request: { id: RUN_ID }, response: running },
  end: { request: { id: RUN_ID, status: "FINISHED", end_time: finished.end_time }, response: finished },
  logMetrics: {
    request: {
      id: RUN_ID,
      metrics: { loss: 0.8734, "val/accuracy": 0.7412, lr: 0.0125 },
      step: 4200,
      timestamp: 1748859612044,
    },
    response: { metrics: 3 },
  },
  logParams: {
    request: { id: RUN_ID, params: { lr: 0.1, batch_size: 256, optimizer: "sgd" } },
    response: { params: 3 },
  },
  logBatch: {
    request: {
      id: RUN_ID,
      metrics: [
        { key: "loss", value: 0.9121, step: 4100, timestamp: 1748859410311 },
        { key: "loss", value: 0.9034, step: 4150, timestamp: 1748859511027 },
        { key: "grad_norm", value: "NaN", step: 4150, timestamp: 1748859511027 },
      ],
      params: [{ key: "warmup_steps", value: "500" }],
      tags: [{ key: "stage", value: "fine-tune" }],
    },
    response: { metrics: 3, params: 1, tags: 1 },
  },
  metricHistory: {
    request: { id: RUN_ID, key: "loss", max_points: 1000, start_step: 0, end_step: 300 },
    response: {
      key: "loss",
      points: [
        { step: 0, value: 6.9081, timestamp: 1748856035118 },
        { step: 100, value: 4.2117, timestamp: 1748856178402 },
        { step: 200, value: 3.0548, timestamp: 1748856321877 },
        { step: 300, value: 2.6012, timestamp: 1748856465190 },
      ],
      total_points: 4,
      downsampled: false,
    },
  },
  metricHistories: {
    request: { run_ids: [RUN_ID, OTHER_RUN_ID], keys: ["loss"], max_points: 1000, start_step: 4199 },
    response: {
      histories: [
        {
          run_id: RUN_ID,
          key: "loss",
          points: [
            { step: 4199, value: 0.8741, timestamp: 1748859611802 },
            { step: 4200, value: 0.8734, timestamp: 1748859612044 },
          ],
          total_points: 2,
          downsampled: false,
        },
        {
          run_id: OTHER_RUN_ID,
          key: "loss",
          points: [{ step: 4199, value: 0.9318, timestamp: 1748865601113 }],
          total_points: 1,
          downsampled: false,
        },
      ],
    },
  },
  listArtifacts: {
    request: { id: RUN_ID, path: "checkpoints" },
    response: {
      files: [
        { path: "checkpoints/best", is_dir: true, size: null },
        { path: "checkpoints/epoch-10.pt", is_dir: false, size: 102482341 },
      ],
    },
  },
} satisfies Record<string, Examples>;
