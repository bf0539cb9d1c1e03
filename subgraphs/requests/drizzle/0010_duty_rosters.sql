CREATE TYPE "requests"."duty_post_kind" AS ENUM('gate', 'checkpoint', 'hotline', 'other');--> statement-breakpoint
CREATE TYPE "requests"."duty_signup_status" AS ENUM('confirmed', 'withdrawn');--> statement-breakpoint
CREATE TABLE "requests"."duty_posts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" "requests"."duty_post_kind" NOT NULL,
	"category_code" text NOT NULL,
	"region_id" uuid NOT NULL,
	"region_path" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"organiser_id" uuid NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "duty_posts_name_length" CHECK (char_length(trim("requests"."duty_posts"."name")) between 1 and 100)
);
--> statement-breakpoint
CREATE TABLE "requests"."duty_shift_signups" (
	"shift_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"status" "requests"."duty_signup_status" NOT NULL,
	"signed_up_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"changed_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"checked_in_at" timestamp (3) with time zone,
	"checked_out_at" timestamp (3) with time zone,
	"minutes" integer,
	"no_show" boolean DEFAULT false NOT NULL,
	"approved_minutes" integer,
	"approved_by" uuid,
	"approved_at" timestamp (3) with time zone,
	"service_record_id" uuid,
	CONSTRAINT "duty_shift_signups_pk" PRIMARY KEY("shift_id","person_id"),
	CONSTRAINT "duty_shift_signups_presence" CHECK ("requests"."duty_shift_signups"."checked_in_at" is null or "requests"."duty_shift_signups"."status" = 'confirmed'),
	CONSTRAINT "duty_shift_signups_out_after_in" CHECK ("requests"."duty_shift_signups"."checked_out_at" is null or ("requests"."duty_shift_signups"."checked_in_at" is not null and "requests"."duty_shift_signups"."checked_out_at" >= "requests"."duty_shift_signups"."checked_in_at")),
	CONSTRAINT "duty_shift_signups_out_has_minutes" CHECK (("requests"."duty_shift_signups"."checked_out_at" is null) = ("requests"."duty_shift_signups"."minutes" is null)),
	CONSTRAINT "duty_shift_signups_minutes_range" CHECK ("requests"."duty_shift_signups"."minutes" between 0 and 1440),
	CONSTRAINT "duty_shift_signups_no_show" CHECK (not "requests"."duty_shift_signups"."no_show" or ("requests"."duty_shift_signups"."checked_in_at" is null and "requests"."duty_shift_signups"."status" = 'confirmed')),
	CONSTRAINT "duty_shift_signups_approval" CHECK (("requests"."duty_shift_signups"."approved_at" is null) = ("requests"."duty_shift_signups"."approved_by" is null) and ("requests"."duty_shift_signups"."approved_at" is null) = ("requests"."duty_shift_signups"."approved_minutes" is null) and ("requests"."duty_shift_signups"."approved_at" is null or "requests"."duty_shift_signups"."checked_out_at" is not null)),
	CONSTRAINT "duty_shift_signups_approved_range" CHECK ("requests"."duty_shift_signups"."approved_minutes" between 1 and 1440)
);
--> statement-breakpoint
CREATE TABLE "requests"."duty_shifts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"post_id" uuid NOT NULL,
	"starts_at" timestamp (3) with time zone NOT NULL,
	"ends_at" timestamp (3) with time zone NOT NULL,
	"places" integer NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "duty_shifts_time_order" CHECK ("requests"."duty_shifts"."ends_at" > "requests"."duty_shifts"."starts_at"),
	CONSTRAINT "duty_shifts_length" CHECK ("requests"."duty_shifts"."ends_at" - "requests"."duty_shifts"."starts_at" <= interval '24 hours'),
	CONSTRAINT "duty_shifts_places" CHECK ("requests"."duty_shifts"."places" between 1 and 1000)
);
--> statement-breakpoint
ALTER TABLE "requests"."service_records" DROP CONSTRAINT "service_records_one_basis";--> statement-breakpoint
ALTER TABLE "requests"."service_records" ADD COLUMN "duty_shift_id" uuid;--> statement-breakpoint
ALTER TABLE "requests"."duty_posts" ADD CONSTRAINT "duty_posts_category_code_categories_code_fk" FOREIGN KEY ("category_code") REFERENCES "requests"."categories"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requests"."duty_shift_signups" ADD CONSTRAINT "duty_shift_signups_shift_id_duty_shifts_id_fk" FOREIGN KEY ("shift_id") REFERENCES "requests"."duty_shifts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requests"."duty_shift_signups" ADD CONSTRAINT "duty_shift_signups_service_record_id_service_records_id_fk" FOREIGN KEY ("service_record_id") REFERENCES "requests"."service_records"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requests"."duty_shifts" ADD CONSTRAINT "duty_shifts_post_id_duty_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "requests"."duty_posts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "duty_posts_region_path_idx" ON "requests"."duty_posts" USING gin ("region_path");--> statement-breakpoint
CREATE INDEX "duty_posts_created_idx" ON "requests"."duty_posts" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "duty_shift_signups_shift_idx" ON "requests"."duty_shift_signups" USING btree ("shift_id","status","signed_up_at","person_id");--> statement-breakpoint
CREATE INDEX "duty_shift_signups_person_idx" ON "requests"."duty_shift_signups" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "duty_shifts_post_idx" ON "requests"."duty_shifts" USING btree ("post_id","starts_at","id");--> statement-breakpoint
CREATE INDEX "duty_shifts_ends_idx" ON "requests"."duty_shifts" USING btree ("ends_at");--> statement-breakpoint
CREATE UNIQUE INDEX "service_records_one_per_shift_attendance" ON "requests"."service_records" USING btree ("duty_shift_id","volunteer_id") WHERE "requests"."service_records"."kind" = 'service' and "requests"."service_records"."corrects_id" is null and "requests"."service_records"."duty_shift_id" is not null;--> statement-breakpoint
ALTER TABLE "requests"."service_records" ADD CONSTRAINT "service_records_one_basis" CHECK (num_nonnulls("requests"."service_records"."request_id", "requests"."service_records"."activity_id", "requests"."service_records"."duty_shift_id") = 1);--> statement-breakpoint
-- Declared here rather than in records.ts, which duty.ts imports: a record of a shift names a shift that exists.
ALTER TABLE "requests"."service_records" ADD CONSTRAINT "service_records_duty_shift_id_duty_shifts_id_fk" FOREIGN KEY ("duty_shift_id") REFERENCES "requests"."duty_shifts"("id");--> statement-breakpoint
-- A shift's confirmed places never exceed its places, whatever code writes them: the shift row is locked,
-- so concurrent sign-ups count one after another, and the last place goes to one of them only.
CREATE FUNCTION "requests"."duty_shift_signups_check_places"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  capacity integer;
  taken integer;
BEGIN
  IF NEW.status <> 'confirmed' OR (TG_OP = 'UPDATE' AND OLD.status = 'confirmed') THEN
    RETURN NEW;
  END IF;
  SELECT places INTO capacity FROM "requests"."duty_shifts" WHERE id = NEW.shift_id FOR UPDATE;
  SELECT count(*) INTO taken FROM "requests"."duty_shift_signups"
    WHERE shift_id = NEW.shift_id AND status = 'confirmed' AND person_id <> NEW.person_id;
  IF taken >= capacity THEN
    RAISE EXCEPTION 'the shift has no place left' USING ERRCODE = 'check_violation', CONSTRAINT = 'duty_shift_signups_places';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "duty_shift_signups_check_places" BEFORE INSERT OR UPDATE OF status ON "requests"."duty_shift_signups"
  FOR EACH ROW EXECUTE FUNCTION "requests"."duty_shift_signups_check_places"();--> statement-breakpoint
-- Fewer places than confirmed volunteers would break the rule above from the other side.
CREATE FUNCTION "requests"."duty_shifts_check_places"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.places < (SELECT count(*) FROM "requests"."duty_shift_signups" WHERE shift_id = NEW.id AND status = 'confirmed') THEN
    RAISE EXCEPTION 'a shift keeps a place for each confirmed volunteer' USING ERRCODE = 'check_violation', CONSTRAINT = 'duty_shift_signups_places';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "duty_shifts_check_places" BEFORE UPDATE OF places ON "requests"."duty_shifts"
  FOR EACH ROW EXECUTE FUNCTION "requests"."duty_shifts_check_places"();
--> statement-breakpoint
-- The correction check of 0001, now also holding a reversal to the same duty shift as its original.
CREATE OR REPLACE FUNCTION "requests"."service_records_check_correction"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  original record;
BEGIN
  IF NEW.reverses_id IS NOT NULL THEN
    SELECT * INTO original FROM "requests"."service_records" WHERE id = NEW.reverses_id;
    IF original.kind <> 'service' THEN
      RAISE EXCEPTION 'a reversal reverses a service record, not another reversal' USING ERRCODE = 'check_violation', CONSTRAINT = 'service_records_reversal_matches';
    END IF;
    IF original.volunteer_id <> NEW.volunteer_id OR NEW.minutes <> -original.minutes
       OR original.request_id IS DISTINCT FROM NEW.request_id OR original.activity_id IS DISTINCT FROM NEW.activity_id
       OR original.duty_shift_id IS DISTINCT FROM NEW.duty_shift_id THEN
      RAISE EXCEPTION 'a reversal must negate its original exactly' USING ERRCODE = 'check_violation', CONSTRAINT = 'service_records_reversal_matches';
    END IF;
  END IF;
  IF NEW.corrects_id IS NOT NULL THEN
    SELECT * INTO original FROM "requests"."service_records" WHERE id = NEW.corrects_id;
    IF original.kind <> 'service' OR original.volunteer_id <> NEW.volunteer_id
       OR NOT EXISTS (SELECT 1 FROM "requests"."service_records" WHERE reverses_id = NEW.corrects_id) THEN
      RAISE EXCEPTION 'a replacement names a reversed service record of the same volunteer' USING ERRCODE = 'check_violation', CONSTRAINT = 'service_records_replacement_matches';
    END IF;
  END IF;
  RETURN NEW;
END
$$;
