CREATE TABLE "recognition"."rating_facts" (
	"request_id" uuid PRIMARY KEY NOT NULL,
	"volunteer_id" uuid,
	"score" smallint NOT NULL,
	"rated_on" date NOT NULL,
	"region_path" uuid[] NOT NULL,
	"category_code" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rating_facts_score_in_range" CHECK ("recognition"."rating_facts"."score" between 1 and 5)
);
--> statement-breakpoint
CREATE TABLE "recognition"."region_levels" (
	"region_id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "recognition"."service_facts" (
	"service_record_id" uuid PRIMARY KEY NOT NULL,
	"reverses_id" uuid,
	"volunteer_id" uuid NOT NULL,
	"minutes" integer NOT NULL,
	"served_on" date NOT NULL,
	"region_path" uuid[] NOT NULL,
	"category_code" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "service_facts_minutes_signed" CHECK (("recognition"."service_facts"."reverses_id" is null) = ("recognition"."service_facts"."minutes" > 0) and "recognition"."service_facts"."minutes" <> 0)
);
--> statement-breakpoint
CREATE INDEX "rating_facts_region_path_idx" ON "recognition"."rating_facts" USING gin ("region_path");--> statement-breakpoint
CREATE INDEX "rating_facts_rated_on_idx" ON "recognition"."rating_facts" USING btree ("rated_on");--> statement-breakpoint
CREATE INDEX "service_facts_region_path_idx" ON "recognition"."service_facts" USING gin ("region_path");--> statement-breakpoint
CREATE INDEX "service_facts_served_on_idx" ON "recognition"."service_facts" USING btree ("served_on");--> statement-breakpoint
CREATE INDEX "service_facts_reverses_id_idx" ON "recognition"."service_facts" USING btree ("reverses_id");