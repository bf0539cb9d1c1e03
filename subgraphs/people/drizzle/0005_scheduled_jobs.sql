-- The scheduler's state: one row per periodic job, claimed tick by tick by one instance (shared/src/scheduler.ts).
CREATE TABLE "people"."scheduled_jobs" (
	"name" text PRIMARY KEY NOT NULL,
	"schedule" text NOT NULL,
	"description" text NOT NULL,
	"next_run_at" timestamp (3) with time zone NOT NULL,
	"running_until" timestamp (3) with time zone,
	"last_started_at" timestamp (3) with time zone,
	"last_finished_at" timestamp (3) with time zone,
	"last_duration_ms" integer,
	"last_outcome" text,
	"last_error" text,
	"last_runner" text,
	"runs" bigint DEFAULT 0 NOT NULL,
	"failures" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "scheduled_jobs_name_format" CHECK ("name" ~ '^[a-z][a-z0-9]*(-[a-z0-9]+)*$'),
	CONSTRAINT "scheduled_jobs_outcome" CHECK ("last_outcome" IN ('succeeded', 'failed')),
	CONSTRAINT "scheduled_jobs_counts" CHECK ("runs" >= 0 AND "failures" >= 0 AND "failures" <= "runs"),
	CONSTRAINT "scheduled_jobs_duration" CHECK ("last_duration_ms" >= 0)
);
--> statement-breakpoint
