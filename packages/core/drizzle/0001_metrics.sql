CREATE TABLE "metric_buckets" (
	"tenant_id" uuid NOT NULL,
	"series_id" bigint NOT NULL,
	"width" integer NOT NULL,
	"bucket" bigint NOT NULL,
	"count" bigint NOT NULL,
	"min_step" bigint,
	"min_timestamp" bigint,
	"min_value" double precision,
	"max_step" bigint,
	"max_timestamp" bigint,
	"max_value" double precision,
	CONSTRAINT "metric_buckets_pkey" PRIMARY KEY("tenant_id","series_id","width","bucket")
);
--> statement-breakpoint
CREATE TABLE "metric_points" (
	"tenant_id" uuid NOT NULL,
	"series_id" bigint NOT NULL,
	"step" bigint NOT NULL,
	"timestamp" bigint NOT NULL,
	"value" double precision NOT NULL,
	CONSTRAINT "metric_points_pkey" PRIMARY KEY("tenant_id","series_id","step","timestamp","value")
);
--> statement-breakpoint
CREATE TABLE "metric_series" (
	"tenant_id" uuid NOT NULL,
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "metric_series_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"run_id" uuid NOT NULL,
	"key" text NOT NULL,
	"count" bigint DEFAULT 0 NOT NULL,
	"min_value" double precision,
	"max_value" double precision,
	"first_step" bigint,
	"last_step" bigint,
	"last_timestamp" bigint,
	"last_value" double precision,
	CONSTRAINT "metric_series_pkey" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "metric_series" ADD CONSTRAINT "metric_series_run_fk" FOREIGN KEY ("tenant_id","run_id") REFERENCES "public"."runs"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "metric_series_run_key_key" ON "metric_series" USING btree ("tenant_id","run_id","key");