ALTER TABLE "requests"."categories" ADD COLUMN "suitable_for_minors" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "requests"."directory_persons" ADD COLUMN "minor" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "requests"."directory_persons" ADD COLUMN "guardian_consent" boolean DEFAULT false NOT NULL;