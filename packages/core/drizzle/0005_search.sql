ALTER TABLE "metric_series" ADD COLUMN "first_timestamp" bigint;--> statement-breakpoint
ALTER TABLE "metric_series" ADD COLUMN "first_value" double precision;--> statement-breakpoint
ALTER TABLE "metric_series" ADD COLUMN "sum_value" double precision;--> statement-breakpoint
ALTER TABLE "metric_series" ADD COLUMN "nan_count" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "metric_series_key_last_idx" ON "metric_series" USING btree ("tenant_id","key","last_value");--> statement-breakpoint
CREATE INDEX "metric_series_key_min_idx" ON "metric_series" USING btree ("tenant_id","key","min_value");--> statement-breakpoint
-- Hand-written: the new summary columns of the series stored before this migration, from their points.
UPDATE "metric_series" s SET
  "first_timestamp" = a.first[2]::bigint,
  "first_value" = a.first[3],
  "sum_value" = a.sum_v,
  "nan_count" = a.nans
FROM (
  SELECT tenant_id, series_id, min(array[step::float8, timestamp::float8, value]) AS first,
    sum(value) FILTER (WHERE value <> 'NaN') AS sum_v, count(*) FILTER (WHERE value = 'NaN') AS nans
  FROM "metric_points" GROUP BY tenant_id, series_id
) a
WHERE s.tenant_id = a.tenant_id AND s.id = a.series_id;
