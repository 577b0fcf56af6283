import type { Meta } from "../../trpc/init";

/** Examples of the experiment operations, for the OpenAPI document; openapi-examples.test.ts parses them. */
type Examples = NonNullable<Meta["examples"]>;

export const TENANT_ID = "0196c382-0400-7a3c-941e-7f2b9d0c5801";
export const EXPERIMENT_ID = "01972feb-6d18-7c1e-94b8-a27d3f6e9001";
export const ARTIFACT_LOCATION = `s3://ml-artifacts/stepwise/${TENANT_ID}/${EXPERIMENT_ID}`;

const created = {
  name: "resnet50-imagenet",
  description: "ResNet-50 baseline on ImageNet-1k, SGD with cosine decay",
  tags: { team: "vision", dataset: "imagenet-1k" },
};
const experiment = {
  id: EXPERIMENT_ID,
  ...created,
  artifact_location: ARTIFACT_LOCATION,
  lifecycle_stage: "active",
  created_at: "2025-06-02T09:14:07.512Z",
  updated_at: "2025-06-02T09:14:07.512Z",
};
const updated = {
  ...experiment,
  description: "ResNet-50 baseline on ImageNet-1k; the reference for the pruning runs",
  tags: { team: "vision", owner: "ana" },
  updated_at: "2025-06-03T14:30:12.118Z",
};

export const experimentExamples = {
  create: { request: created, response: experiment },
  list: {
    request: { search: "resnet", lifecycle_stage: "active", limit: 100, offset: 0 },
    response: { experiments: [experiment], total: 1, limit: 100, offset: 0 },
  },
  get: { request: { id: EXPERIMENT_ID }, response: experiment },
  update: {
    request: { id: EXPERIMENT_ID, description: updated.description, tags: { owner: "ana", dataset: null } },
    response: updated,
  },
  archive: {
    request: { id: EXPERIMENT_ID },
    response: { ...updated, lifecycle_stage: "deleted", updated_at: "2025-06-20T16:02:51.730Z" },
  },
  restore: { request: { id: EXPERIMENT_ID }, response: { ...updated, updated_at: "2025-06-21T08:45:03.007Z" } },
} satisfies Record<string, Examples>;
