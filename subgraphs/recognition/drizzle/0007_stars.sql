CREATE TYPE "recognition"."star_change_cause" AS ENUM('service', 'reversal', 'rating', 'home', 'region', 'thresholds');--> statement-breakpoint
CREATE TABLE "recognition"."person_homes" (
	"person_id" uuid PRIMARY KEY NOT NULL,
	"region_id" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "recognition"."person_stars" (
	"person_id" uuid PRIMARY KEY NOT NULL,
	"level" smallint NOT NULL,
	"reached_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "person_stars_level_range" CHECK ("recognition"."person_stars"."level" between 0 and 5),
	CONSTRAINT "person_stars_reached_at_with_level" CHECK (("recognition"."person_stars"."level" = 0) = ("recognition"."person_stars"."reached_at" is null))
);
--> statement-breakpoint
CREATE TABLE "recognition"."star_changes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"person_id" uuid NOT NULL,
	"from_level" smallint NOT NULL,
	"to_level" smallint NOT NULL,
	"cause" "recognition"."star_change_cause" NOT NULL,
	"cause_id" uuid,
	"service_minutes" integer NOT NULL,
	"ratings" integer NOT NULL,
	"rating_sum" integer NOT NULL,
	"thresholds_region_id" uuid,
	"changed_at" timestamp with time zone NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "star_changes_levels_range" CHECK ("recognition"."star_changes"."from_level" between 0 and 5 and "recognition"."star_changes"."to_level" between 0 and 5),
	CONSTRAINT "star_changes_level_changed" CHECK ("recognition"."star_changes"."from_level" <> "recognition"."star_changes"."to_level"),
	CONSTRAINT "star_changes_tally_not_negative" CHECK ("recognition"."star_changes"."service_minutes" >= 0 and "recognition"."star_changes"."ratings" >= 0 and "recognition"."star_changes"."rating_sum" >= 0)
);
--> statement-breakpoint
CREATE TABLE "recognition"."star_thresholds" (
	"region_id" uuid PRIMARY KEY NOT NULL,
	"level_hours" integer[] NOT NULL,
	"quality_min_average_hundredths" smallint,
	"quality_min_ratings" integer,
	"quality_from_level" smallint,
	"set_by" text NOT NULL,
	"set_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "star_thresholds_levels_increasing" CHECK (cardinality("recognition"."star_thresholds"."level_hours") = 5 and array_position("recognition"."star_thresholds"."level_hours", null) is null and "recognition"."star_thresholds"."level_hours"[1] > 0
        and "recognition"."star_thresholds"."level_hours"[1] < "recognition"."star_thresholds"."level_hours"[2] and "recognition"."star_thresholds"."level_hours"[2] < "recognition"."star_thresholds"."level_hours"[3]
        and "recognition"."star_thresholds"."level_hours"[3] < "recognition"."star_thresholds"."level_hours"[4] and "recognition"."star_thresholds"."level_hours"[4] < "recognition"."star_thresholds"."level_hours"[5] and "recognition"."star_thresholds"."level_hours"[5] <= 100000),
	CONSTRAINT "star_thresholds_quality_complete" CHECK (("recognition"."star_thresholds"."quality_min_average_hundredths" is null) = ("recognition"."star_thresholds"."quality_min_ratings" is null) and ("recognition"."star_thresholds"."quality_min_ratings" is null) = ("recognition"."star_thresholds"."quality_from_level" is null)),
	CONSTRAINT "star_thresholds_quality_average_range" CHECK ("recognition"."star_thresholds"."quality_min_average_hundredths" between 100 and 500),
	CONSTRAINT "star_thresholds_quality_ratings_range" CHECK ("recognition"."star_thresholds"."quality_min_ratings" between 1 and 100000),
	CONSTRAINT "star_thresholds_quality_level_range" CHECK ("recognition"."star_thresholds"."quality_from_level" between 1 and 5)
);
--> statement-breakpoint
ALTER TABLE "recognition"."region_levels" ADD COLUMN "parent_id" uuid;--> statement-breakpoint
ALTER TABLE "recognition"."region_levels" ADD COLUMN "path" uuid[];--> statement-breakpoint
CREATE INDEX "person_homes_region_idx" ON "recognition"."person_homes" USING btree ("region_id");--> statement-breakpoint
CREATE INDEX "star_changes_person_idx" ON "recognition"."star_changes" USING btree ("person_id","recorded_at","id");--> statement-breakpoint
CREATE INDEX "region_levels_path_idx" ON "recognition"."region_levels" USING gin ("path");--> statement-breakpoint
-- The star history is append-only: a level lowered (by a reversal, by stricter thresholds) is a new row, never an edit.
CREATE OR REPLACE FUNCTION "recognition"."star_changes_refuse_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'recognition.star_changes is append-only: % refused', TG_OP
    USING ERRCODE = 'restrict_violation', HINT = 'A change of level is recorded as a new row.';
END
$$;--> statement-breakpoint
CREATE TRIGGER "star_changes_append_only" BEFORE UPDATE OR DELETE ON "recognition"."star_changes"
  FOR EACH ROW EXECUTE FUNCTION "recognition"."star_changes_refuse_change"();--> statement-breakpoint
CREATE TRIGGER "star_changes_no_truncate" BEFORE TRUNCATE ON "recognition"."star_changes"
  FOR EACH STATEMENT EXECUTE FUNCTION "recognition"."star_changes_refuse_change"();
