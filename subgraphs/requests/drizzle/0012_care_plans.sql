CREATE TYPE "requests"."care_plan_frequency" AS ENUM('weekly', 'monthly');--> statement-breakpoint
CREATE TYPE "requests"."care_plan_status" AS ENUM('active', 'ended');--> statement-breakpoint
CREATE TABLE "requests"."care_plan_occurrences" (
	"plan_id" uuid NOT NULL,
	"occurs_on" date NOT NULL,
	"request_id" uuid NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"skipped_at" timestamp (3) with time zone,
	"skipped_by" uuid,
	"skip_reason" text,
	CONSTRAINT "care_plan_occurrences_pk" PRIMARY KEY("plan_id","occurs_on"),
	CONSTRAINT "care_plan_occurrences_request_unique" UNIQUE("request_id"),
	CONSTRAINT "care_plan_occurrences_skip" CHECK (("requests"."care_plan_occurrences"."skipped_at" is null) = ("requests"."care_plan_occurrences"."skip_reason" is null) and ("requests"."care_plan_occurrences"."skipped_at" is null) = ("requests"."care_plan_occurrences"."skipped_by" is null))
);
--> statement-breakpoint
CREATE TABLE "requests"."care_plans" (
	"id" uuid PRIMARY KEY NOT NULL,
	"beneficiary_id" uuid NOT NULL,
	"household_id" uuid,
	"region_id" uuid NOT NULL,
	"region_path" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"category_code" text NOT NULL,
	"volunteer_id" uuid,
	"team_id" uuid,
	"description" text NOT NULL,
	"frequency" "requests"."care_plan_frequency" NOT NULL,
	"interval_weeks" smallint,
	"weekday" smallint,
	"month_day" smallint,
	"start_minute" smallint NOT NULL,
	"duration_minutes" integer NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date,
	"horizon_days" smallint NOT NULL,
	"status" "requests"."care_plan_status" DEFAULT 'active' NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"ended_by" uuid,
	"ended_at" timestamp (3) with time zone,
	"end_reason" text,
	CONSTRAINT "care_plans_one_server" CHECK (("requests"."care_plans"."volunteer_id" is null) <> ("requests"."care_plans"."team_id" is null)),
	CONSTRAINT "care_plans_recurrence" CHECK (case "requests"."care_plans"."frequency" when 'weekly' then "requests"."care_plans"."weekday" between 1 and 7 and "requests"."care_plans"."interval_weeks" between 1 and 8 and "requests"."care_plans"."month_day" is null
        else "requests"."care_plans"."month_day" between 1 and 31 and "requests"."care_plans"."weekday" is null and "requests"."care_plans"."interval_weeks" is null end),
	CONSTRAINT "care_plans_start_minute" CHECK ("requests"."care_plans"."start_minute" between 0 and 1439),
	CONSTRAINT "care_plans_duration" CHECK ("requests"."care_plans"."duration_minutes" between 1 and 1440),
	CONSTRAINT "care_plans_horizon" CHECK ("requests"."care_plans"."horizon_days" between 1 and 92),
	CONSTRAINT "care_plans_dates" CHECK ("requests"."care_plans"."ends_on" is null or "requests"."care_plans"."ends_on" >= "requests"."care_plans"."starts_on"),
	CONSTRAINT "care_plans_description_length" CHECK (char_length(trim("requests"."care_plans"."description")) between 1 and 2000),
	CONSTRAINT "care_plans_placed" CHECK (cardinality("requests"."care_plans"."region_path") > 0),
	CONSTRAINT "care_plans_ended" CHECK (("requests"."care_plans"."status" = 'ended') = ("requests"."care_plans"."ended_at" is not null) and ("requests"."care_plans"."ended_at" is null) = ("requests"."care_plans"."ended_by" is null) and ("requests"."care_plans"."ended_at" is null) = ("requests"."care_plans"."end_reason" is null))
);
--> statement-breakpoint
ALTER TABLE "requests"."care_plan_occurrences" ADD CONSTRAINT "care_plan_occurrences_plan_id_care_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "requests"."care_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requests"."care_plan_occurrences" ADD CONSTRAINT "care_plan_occurrences_request_id_service_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "requests"."service_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requests"."care_plans" ADD CONSTRAINT "care_plans_category_code_categories_code_fk" FOREIGN KEY ("category_code") REFERENCES "requests"."categories"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "care_plans_region_path_idx" ON "requests"."care_plans" USING gin ("region_path");--> statement-breakpoint
CREATE INDEX "care_plans_created_idx" ON "requests"."care_plans" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "care_plans_beneficiary_idx" ON "requests"."care_plans" USING btree ("beneficiary_id","created_at","id");--> statement-breakpoint
CREATE INDEX "care_plans_volunteer_idx" ON "requests"."care_plans" USING btree ("volunteer_id","created_at","id");--> statement-breakpoint
-- An occurrence is a plan's day for good: never deleted (a skipped day stays, so it is never generated again), and its plan, day and request never change.
CREATE FUNCTION "requests"."care_plan_occurrences_keep_day"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'a care plan occurrence is never deleted' USING ERRCODE = 'check_violation', CONSTRAINT = 'care_plan_occurrences_kept';
  END IF;
  IF NEW.plan_id <> OLD.plan_id OR NEW.occurs_on <> OLD.occurs_on OR NEW.request_id <> OLD.request_id THEN
    RAISE EXCEPTION 'a care plan occurrence keeps its plan, day and request' USING ERRCODE = 'check_violation', CONSTRAINT = 'care_plan_occurrences_kept';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "care_plan_occurrences_kept" BEFORE UPDATE OR DELETE ON "requests"."care_plan_occurrences"
  FOR EACH ROW EXECUTE FUNCTION "requests"."care_plan_occurrences_keep_day"();
