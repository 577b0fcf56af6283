/** Named limits from the API contract (sections 1, 4 and 6), used by the zod schemas and the domain code alike. */
export const LIMITS = {
  experimentName: 255,
  description: 1000,
  key: 250,
  paramValue: 6000,
  tagValue: 8000,
  runName: 255,
  search: 255,
  tenantSlugMin: 2,
  tenantSlugMax: 63,
  tenantName: 255,
  apiKeyName: 255,
  pageSizeDefault: 100,
  pageSizeMax: 1000,
  metricsPerBatch: 10_000,
  paramsPerBatch: 1000,
  tagsPerBatch: 1000,
  idempotencyKey: 255,
  keysPerLogCall: 1000,
  tagsPerEntity: 1000,
  historyPointsDefault: 1000,
  historyPointsMin: 2,
  historyPointsMax: 10_000,
  /** The bulk history (POST /experiments/runs/metrics/history-bulk): runs, keys, and runs x keys x max_points. */
  historyBulkRuns: 100,
  historyBulkKeys: 50,
  historyBulkPoints: 1_000_000,
  compareRunsMin: 2,
  compareRunsMax: 10,
  artifactPath: 1024,
  /** Calls in one tRPC batch request (the typed clients send one call per request). */
  callsPerTrpcBatch: 50,
  /** A request body's JSON: nesting depth, keys in one object, and values in all (a full log-batch has ~60,000). */
  jsonDepth: 64,
  jsonKeysPerObject: 10_000,
  jsonEntities: 200_000,
  /** MLflow's log-inputs: datasets per call, and the sizes of a dataset's fields (MLflow's own limits). */
  datasetsPerCall: 1000,
  datasetName: 500,
  datasetDigest: 36,
  datasetSource: 65_535,
  datasetSchema: 1_048_576,
  /** One folder or file name, in UTF-8 bytes: the common file system limit (ext4, XFS, APFS, NTFS in UTF-16). */
  artifactSegmentBytes: 255,
  /** A whole artifact path (folder and file name), in UTF-8 bytes: leaves the run's folder room in S3's 1024-byte keys. */
  artifactPathBytes: 768,
  /** Run search (contract section 10). */
  filterChars: 4096,
  filterComparisons: 50,
  /** Levels of NOT and parentheses in a filter. */
  filterDepth: 32,
  orderByItems: 10,
  searchExperimentsMax: 100,
  searchResultsDefault: 100,
  searchResultsMax: 1000,
  /** Keys per include list (metrics, params, tags). */
  includeKeys: 1000,
  /** A search statement running longer is cancelled and answered with a 400. */
  searchTimeoutMs: 10_000,
} as const;
