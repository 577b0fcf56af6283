CREATE TABLE "run_inputs" (
	"tenant_id" uuid NOT NULL,
	"run_id" uuid NOT NULL,
	"name" text NOT NULL,
	"digest" text NOT NULL,
	"source_type" text NOT NULL,
	"source" text NOT NULL,
	"schema" text,
	"profile" text,
	"tags" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "run_inputs_pkey" PRIMARY KEY("tenant_id","run_id","name","digest")
);
--> statement-breakpoint
ALTER TABLE "run_inputs" ADD CONSTRAINT "run_inputs_run_fk" FOREIGN KEY ("tenant_id","run_id") REFERENCES "public"."runs"("tenant_id","id") ON DELETE no action ON UPDATE no action;