CREATE TYPE "requests"."wish_hours_status" AS ENUM('claimed', 'confirmed', 'rejected');--> statement-breakpoint
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
ALTER TABLE "requests"."service_records" DROP CONSTRAINT "service_records_one_basis";--> statement-breakpoint
ALTER TABLE "requests"."micro_wishes" ADD COLUMN "hours_minutes" integer;--> statement-breakpoint
ALTER TABLE "requests"."micro_wishes" ADD COLUMN "hours_status" "requests"."wish_hours_status";--> statement-breakpoint
ALTER TABLE "requests"."micro_wishes" ADD COLUMN "hours_claimed_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "requests"."micro_wishes" ADD COLUMN "hours_decided_by" uuid;--> statement-breakpoint
ALTER TABLE "requests"."micro_wishes" ADD COLUMN "hours_decided_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "requests"."micro_wishes" ADD COLUMN "hours_rejection_reason" text;--> statement-breakpoint
ALTER TABLE "requests"."activities" ADD COLUMN "series_id" uuid;--> statement-breakpoint
ALTER TABLE "requests"."service_records" ADD COLUMN "wish_id" uuid;--> statement-breakpoint
ALTER TABLE "requests"."activity_outputs" ADD CONSTRAINT "activity_outputs_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "requests"."activities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requests"."activity_ratings" ADD CONSTRAINT "activity_ratings_attendance_fk" FOREIGN KEY ("activity_id","person_id") REFERENCES "requests"."activity_attendances"("activity_id","person_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "activity_series_region_path_idx" ON "requests"."activity_series" USING gin ("region_path");--> statement-breakpoint
CREATE UNIQUE INDEX "activity_series_name_per_region" ON "requests"."activity_series" USING btree ("region_id","name");--> statement-breakpoint
CREATE INDEX "activity_outputs_activity_idx" ON "requests"."activity_outputs" USING btree ("activity_id");--> statement-breakpoint
CREATE UNIQUE INDEX "activity_outputs_one_per_kind" ON "requests"."activity_outputs" USING btree ("activity_id","kind","label");--> statement-breakpoint
ALTER TABLE "requests"."activities" ADD CONSTRAINT "activities_series_id_activity_series_id_fk" FOREIGN KEY ("series_id") REFERENCES "requests"."activity_series"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requests"."service_records" ADD CONSTRAINT "service_records_wish_id_micro_wishes_id_fk" FOREIGN KEY ("wish_id") REFERENCES "requests"."micro_wishes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "activities_series_idx" ON "requests"."activities" USING btree ("series_id","starts_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "service_records_one_per_wish" ON "requests"."service_records" USING btree ("wish_id") WHERE "requests"."service_records"."kind" = 'service' and "requests"."service_records"."corrects_id" is null and "requests"."service_records"."wish_id" is not null;--> statement-breakpoint
ALTER TABLE "requests"."micro_wishes" ADD CONSTRAINT "micro_wishes_hours_claim" CHECK (("requests"."micro_wishes"."hours_status" is null) = ("requests"."micro_wishes"."hours_minutes" is null) and ("requests"."micro_wishes"."hours_status" is null) = ("requests"."micro_wishes"."hours_claimed_at" is null) and ("requests"."micro_wishes"."hours_status" is null or "requests"."micro_wishes"."status" in ('fulfilled', 'thanked')));--> statement-breakpoint
ALTER TABLE "requests"."micro_wishes" ADD CONSTRAINT "micro_wishes_hours_minutes" CHECK ("requests"."micro_wishes"."hours_minutes" between 1 and 1440);--> statement-breakpoint
ALTER TABLE "requests"."micro_wishes" ADD CONSTRAINT "micro_wishes_hours_decision" CHECK (("requests"."micro_wishes"."hours_status" in ('confirmed', 'rejected')) = ("requests"."micro_wishes"."hours_decided_by" is not null and "requests"."micro_wishes"."hours_decided_at" is not null) and ("requests"."micro_wishes"."hours_status" = 'rejected') = ("requests"."micro_wishes"."hours_rejection_reason" is not null));--> statement-breakpoint
ALTER TABLE "requests"."service_records" ADD CONSTRAINT "service_records_one_basis" CHECK (num_nonnulls("requests"."service_records"."request_id", "requests"."service_records"."activity_id", "requests"."service_records"."duty_shift_id", "requests"."service_records"."wish_id") = 1);--> statement-breakpoint
-- A wish's record is the confirmed hours of whoever fulfilled it: the volunteer is the wish's claimant and the hours are confirmed.
CREATE FUNCTION "requests"."service_records_check_wish"() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.wish_id IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM "requests"."micro_wishes" w
     WHERE w.id = NEW.wish_id AND w.claimant_id = NEW.volunteer_id AND w.hours_status = 'confirmed'
  ) THEN
    RAISE EXCEPTION 'a wish''s service record is its fulfiller''s confirmed hours' USING ERRCODE = 'check_violation', CONSTRAINT = 'service_records_wish_confirmed';
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "service_records_check_wish" BEFORE INSERT ON "requests"."service_records"
  FOR EACH ROW EXECUTE FUNCTION "requests"."service_records_check_wish"();--> statement-breakpoint
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
