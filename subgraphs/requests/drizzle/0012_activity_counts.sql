CREATE TYPE "requests"."activity_output_kind" AS ENUM('beneficiaries_served', 'households_visited', 'materials_distributed', 'items_collected', 'area_covered_square_metres', 'other');--> statement-breakpoint
CREATE TABLE "requests"."activity_series" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"region_id" uuid NOT NULL,
	"region_path" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"organiser_id" uuid NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "activity_series_name_length" CHECK (char_length(trim("requests"."activity_series"."name")) between 1 and 100),
	CONSTRAINT "activity_series_description_length" CHECK (char_length("requests"."activity_series"."description") <= 2000)
);
--> statement-breakpoint
CREATE TABLE "requests"."activity_outputs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"activity_id" uuid NOT NULL,
	"kind" "requests"."activity_output_kind" NOT NULL,
	"label" text DEFAULT '' NOT NULL,
	"quantity" integer NOT NULL,
	"unit" text NOT NULL,
	"recorded_by" uuid NOT NULL,
	"recorded_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "activity_outputs_quantity" CHECK ("requests"."activity_outputs"."quantity" between 0 and 1000000000),
	CONSTRAINT "activity_outputs_label" CHECK (("requests"."activity_outputs"."kind" = 'other') = (char_length(trim("requests"."activity_outputs"."label")) between 1 and 50)),
	CONSTRAINT "activity_outputs_unit_length" CHECK (char_length(trim("requests"."activity_outputs"."unit")) between 1 and 20)
);
--> statement-breakpoint
CREATE TABLE "requests"."activity_ratings" (
	"activity_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"score" integer NOT NULL,
	"comment" text,
	"rated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "activity_ratings_pk" PRIMARY KEY("activity_id","person_id"),
	CONSTRAINT "activity_ratings_score" CHECK ("requests"."activity_ratings"."score" between 1 and 5),
	CONSTRAINT "activity_ratings_comment_length" CHECK (char_length(trim("requests"."activity_ratings"."comment")) between 1 and 500)
);
--> statement-breakpoint
ALTER TABLE "requests"."activities" ADD COLUMN "series_id" uuid;--> statement-breakpoint
ALTER TABLE "requests"."activity_outputs" ADD CONSTRAINT "activity_outputs_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "requests"."activities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requests"."activity_ratings" ADD CONSTRAINT "activity_ratings_attendance_fk" FOREIGN KEY ("activity_id","person_id") REFERENCES "requests"."activity_attendances"("activity_id","person_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "activity_series_region_path_idx" ON "requests"."activity_series" USING gin ("region_path");--> statement-breakpoint
CREATE UNIQUE INDEX "activity_series_name_per_region" ON "requests"."activity_series" USING btree ("region_id","name");--> statement-breakpoint
CREATE INDEX "activity_outputs_activity_idx" ON "requests"."activity_outputs" USING btree ("activity_id");--> statement-breakpoint
CREATE UNIQUE INDEX "activity_outputs_one_per_kind" ON "requests"."activity_outputs" USING btree ("activity_id","kind","label");--> statement-breakpoint
ALTER TABLE "requests"."activities" ADD CONSTRAINT "activities_series_id_activity_series_id_fk" FOREIGN KEY ("series_id") REFERENCES "requests"."activity_series"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "activities_series_idx" ON "requests"."activities" USING btree ("series_id","starts_at","id");--> statement-breakpoint
-- A rating is given once and never changed.
CREATE TRIGGER "activity_ratings_append_only" BEFORE UPDATE OR DELETE ON "requests"."activity_ratings"
  FOR EACH ROW EXECUTE FUNCTION "requests"."refuse_history_change"();--> statement-breakpoint
CREATE TRIGGER "activity_ratings_no_truncate" BEFORE TRUNCATE ON "requests"."activity_ratings"
  FOR EACH STATEMENT EXECUTE FUNCTION "requests"."refuse_history_change"();--> statement-breakpoint
-- An activity joins a series of its own region or above it.
CREATE FUNCTION "requests"."activities_check_series"() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.series_id IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM "requests"."activity_series" s WHERE s.id = NEW.series_id AND s.region_id = ANY (NEW.region_path)
  ) THEN
    RAISE EXCEPTION 'an activity joins a series of its own region or one above it' USING ERRCODE = 'check_violation', CONSTRAINT = 'activities_series_region';
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "activities_check_series" BEFORE INSERT OR UPDATE OF "series_id" ON "requests"."activities"
  FOR EACH ROW EXECUTE FUNCTION "requests"."activities_check_series"();
