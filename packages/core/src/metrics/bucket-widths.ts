/** The step widths at which metric_buckets pre-aggregates every series, finest first. */
export const BUCKET_WIDTHS = [16, 256, 4096, 65536] as const;
