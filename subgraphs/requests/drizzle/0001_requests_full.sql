CREATE TYPE "requests"."actor_kind" AS ENUM('person', 'device', 'system');--> statement-breakpoint
CREATE TYPE "requests"."alert_kind" AS ENUM('call_button', 'inactivity');--> statement-breakpoint
CREATE TYPE "requests"."price_tier" AS ENUM('ordinary', 'low_income', 'special_hardship');--> statement-breakpoint
CREATE TYPE "requests"."record_kind" AS ENUM('service', 'reversal');--> statement-breakpoint
CREATE TYPE "requests"."request_urgency" AS ENUM('normal', 'urgent');--> statement-breakpoint
CREATE TYPE "requests"."signup_status" AS ENUM('confirmed', 'waitlisted', 'cancelled');--> statement-breakpoint
CREATE TYPE "requests"."team_role" AS ENUM('captain', 'member');--> statement-breakpoint
CREATE TYPE "requests"."wish_status" AS ENUM('posted', 'published', 'claimed', 'fulfilled', 'thanked', 'withdrawn');--> statement-breakpoint
ALTER TYPE "requests"."request_channel" ADD VALUE 'building_captain';--> statement-breakpoint
CREATE TABLE "requests"."activities" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organiser_id" uuid NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"category_code" text NOT NULL,
	"region_id" uuid NOT NULL,
	"region_path" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"starts_at" timestamp (3) with time zone NOT NULL,
	"ends_at" timestamp (3) with time zone NOT NULL,
	"capacity" integer NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "activities_title_length" CHECK (char_length(trim("requests"."activities"."title")) between 1 and 100),
	CONSTRAINT "activities_time_order" CHECK ("requests"."activities"."ends_at" > "requests"."activities"."starts_at"),
	CONSTRAINT "activities_length" CHECK ("requests"."activities"."ends_at" - "requests"."activities"."starts_at" <= interval '24 hours'),
	CONSTRAINT "activities_capacity" CHECK ("requests"."activities"."capacity" between 1 and 10000)
);
--> statement-breakpoint
CREATE TABLE "requests"."activity_attendances" (
	"activity_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"checked_in_at" timestamp (3) with time zone NOT NULL,
	"checked_out_at" timestamp (3) with time zone,
	"auto_closed" boolean DEFAULT false NOT NULL,
	"minutes" integer,
	"approved_minutes" integer,
	"approved_by" uuid,
	"approved_at" timestamp (3) with time zone,
	"service_record_id" uuid,
	CONSTRAINT "activity_attendances_pk" PRIMARY KEY("activity_id","person_id"),
	CONSTRAINT "activity_attendances_out_after_in" CHECK ("requests"."activity_attendances"."checked_out_at" >= "requests"."activity_attendances"."checked_in_at"),
	CONSTRAINT "activity_attendances_out_has_minutes" CHECK (("requests"."activity_attendances"."checked_out_at" is null) = ("requests"."activity_attendances"."minutes" is null)),
	CONSTRAINT "activity_attendances_auto_closed_out" CHECK (not "requests"."activity_attendances"."auto_closed" or "requests"."activity_attendances"."checked_out_at" is not null),
	CONSTRAINT "activity_attendances_minutes_range" CHECK ("requests"."activity_attendances"."minutes" between 0 and 1440),
	CONSTRAINT "activity_attendances_approval" CHECK (("requests"."activity_attendances"."approved_at" is null) = ("requests"."activity_attendances"."approved_by" is null) and ("requests"."activity_attendances"."approved_at" is null) = ("requests"."activity_attendances"."approved_minutes" is null) and ("requests"."activity_attendances"."approved_at" is null or "requests"."activity_attendances"."checked_out_at" is not null)),
	CONSTRAINT "activity_attendances_approved_range" CHECK ("requests"."activity_attendances"."approved_minutes" between 0 and 1440)
);
--> statement-breakpoint
CREATE TABLE "requests"."activity_signups" (
	"activity_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"status" "requests"."signup_status" NOT NULL,
	"signed_up_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"changed_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "activity_signups_pk" PRIMARY KEY("activity_id","person_id")
);
--> statement-breakpoint
CREATE TABLE "requests"."alerts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" "requests"."alert_kind" NOT NULL,
	"device_id" uuid NOT NULL,
	"household_id" uuid NOT NULL,
	"resident_id" uuid NOT NULL,
	"notify_person_id" uuid NOT NULL,
	"region_id" uuid NOT NULL,
	"region_path" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"raised_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"request_id" uuid,
	"acknowledged_at" timestamp (3) with time zone,
	"acknowledged_by" uuid,
	"acknowledgement_note" text,
	CONSTRAINT "alerts_acknowledged_by_someone" CHECK (("requests"."alerts"."acknowledged_at" is null) = ("requests"."alerts"."acknowledged_by" is null)),
	CONSTRAINT "alerts_acknowledged_after_raised" CHECK ("requests"."alerts"."acknowledged_at" >= "requests"."alerts"."raised_at"),
	CONSTRAINT "alerts_button_opens_request" CHECK (("requests"."alerts"."kind" = 'call_button') = ("requests"."alerts"."request_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "requests"."caseload_assignments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"household_id" uuid NOT NULL,
	"volunteer_id" uuid NOT NULL,
	"region_id" uuid NOT NULL,
	"region_path" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"assigned_by" uuid NOT NULL,
	"assigned_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp (3) with time zone,
	"ended_by" uuid,
	CONSTRAINT "caseload_assignments_ended" CHECK (("requests"."caseload_assignments"."ended_at" is null) = ("requests"."caseload_assignments"."ended_by" is null)),
	CONSTRAINT "caseload_assignments_end_after_start" CHECK ("requests"."caseload_assignments"."ended_at" >= "requests"."caseload_assignments"."assigned_at")
);
--> statement-breakpoint
CREATE TABLE "requests"."caseload_visits" (
	"id" uuid PRIMARY KEY NOT NULL,
	"assignment_id" uuid NOT NULL,
	"household_id" uuid NOT NULL,
	"volunteer_id" uuid NOT NULL,
	"visited_at" timestamp (3) with time zone NOT NULL,
	"note" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "caseload_visits_note_length" CHECK (char_length(trim("requests"."caseload_visits"."note")) between 1 and 1000)
);
--> statement-breakpoint
CREATE TABLE "requests"."device_events" (
	"platform" text NOT NULL,
	"event_id" text NOT NULL,
	"device_id" uuid NOT NULL,
	"type" text NOT NULL,
	"occurred_at" timestamp (3) with time zone NOT NULL,
	"received_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "device_events_pk" PRIMARY KEY("platform","event_id")
);
--> statement-breakpoint
CREATE TABLE "requests"."devices" (
	"id" uuid PRIMARY KEY NOT NULL,
	"platform" text NOT NULL,
	"external_id" text NOT NULL,
	"household_id" uuid NOT NULL,
	"resident_id" uuid NOT NULL,
	"notify_person_id" uuid NOT NULL,
	"region_id" uuid NOT NULL,
	"region_path" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"inactivity_hours" integer DEFAULT 12 NOT NULL,
	"last_motion_at" timestamp (3) with time zone,
	"registered_by" uuid NOT NULL,
	"registered_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "devices_platform_format" CHECK ("requests"."devices"."platform" ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
	CONSTRAINT "devices_external_id_length" CHECK (char_length("requests"."devices"."external_id") between 1 and 128),
	CONSTRAINT "devices_inactivity_hours" CHECK ("requests"."devices"."inactivity_hours" between 1 and 168)
);
--> statement-breakpoint
CREATE TABLE "requests"."directory_building_captains" (
	"building_id" uuid PRIMARY KEY NOT NULL,
	"person_id" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "requests"."directory_household_members" (
	"household_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	CONSTRAINT "directory_household_members_pk" PRIMARY KEY("household_id","person_id")
);
--> statement-breakpoint
CREATE TABLE "requests"."directory_regions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"parent_id" uuid,
	"kind" text NOT NULL,
	"path" uuid[] DEFAULT '{}'::uuid[] NOT NULL
);
--> statement-breakpoint
CREATE TABLE "requests"."directory_team_members" (
	"team_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"role" "requests"."team_role" DEFAULT 'member' NOT NULL,
	CONSTRAINT "directory_team_members_pk" PRIMARY KEY("team_id","person_id")
);
--> statement-breakpoint
CREATE TABLE "requests"."directory_teams" (
	"id" uuid PRIMARY KEY NOT NULL,
	"community_id" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "requests"."fund_charges" (
	"id" uuid PRIMARY KEY NOT NULL,
	"request_id" uuid NOT NULL,
	"amount_fen" integer NOT NULL,
	"region_id" uuid,
	"region_path" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fund_charges_one_per_request" UNIQUE("request_id"),
	CONSTRAINT "fund_charges_amount_positive" CHECK ("requests"."fund_charges"."amount_fen" > 0)
);
--> statement-breakpoint
CREATE TABLE "requests"."micro_wishes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"wisher_id" uuid NOT NULL,
	"posted_by" uuid NOT NULL,
	"title" text NOT NULL,
	"story" text NOT NULL,
	"region_id" uuid NOT NULL,
	"region_path" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"status" "requests"."wish_status" DEFAULT 'posted' NOT NULL,
	"claimant_id" uuid,
	"claimant_organization_id" uuid,
	"claimed_at" timestamp (3) with time zone,
	"fulfilment_note" text,
	"evidence_urls" text[] DEFAULT '{}'::text[] NOT NULL,
	"fulfilled_at" timestamp (3) with time zone,
	"thanks" text,
	"thanked_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "micro_wishes_title_length" CHECK (char_length(trim("requests"."micro_wishes"."title")) between 1 and 100),
	CONSTRAINT "micro_wishes_story_length" CHECK (char_length(trim("requests"."micro_wishes"."story")) between 1 and 2000),
	CONSTRAINT "micro_wishes_claim_matches_status" CHECK (("requests"."micro_wishes"."status" in ('claimed', 'fulfilled', 'thanked')) = ("requests"."micro_wishes"."claimant_id" is not null and "requests"."micro_wishes"."claimed_at" is not null)),
	CONSTRAINT "micro_wishes_organization_needs_claimant" CHECK ("requests"."micro_wishes"."claimant_organization_id" is null or "requests"."micro_wishes"."claimant_id" is not null),
	CONSTRAINT "micro_wishes_fulfilled" CHECK ("requests"."micro_wishes"."status" not in ('fulfilled', 'thanked') or "requests"."micro_wishes"."fulfilled_at" is not null),
	CONSTRAINT "micro_wishes_thanked" CHECK (("requests"."micro_wishes"."status" = 'thanked') = ("requests"."micro_wishes"."thanked_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "requests"."price_rules" (
	"id" uuid PRIMARY KEY NOT NULL,
	"region_id" uuid,
	"ordinary_labour_percent" integer NOT NULL,
	"set_by" uuid,
	"set_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "price_rules_percent_range" CHECK ("requests"."price_rules"."ordinary_labour_percent" between 0 and 100)
);
--> statement-breakpoint
CREATE TABLE "requests"."request_quotes" (
	"request_id" uuid PRIMARY KEY NOT NULL,
	"labour_fen" integer NOT NULL,
	"materials_fen" integer NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"quoted_by" uuid NOT NULL,
	"quoted_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "request_quotes_labour_range" CHECK ("requests"."request_quotes"."labour_fen" between 0 and 10000000),
	CONSTRAINT "request_quotes_materials_range" CHECK ("requests"."request_quotes"."materials_fen" between 0 and 10000000)
);
--> statement-breakpoint
CREATE TABLE "requests"."request_settlements" (
	"request_id" uuid PRIMARY KEY NOT NULL,
	"tier" "requests"."price_tier" NOT NULL,
	"labour_fen" integer NOT NULL,
	"materials_fen" integer NOT NULL,
	"ordinary_labour_percent" integer NOT NULL,
	"resident_pays_fen" integer NOT NULL,
	"fund_pays_fen" integer NOT NULL,
	"household_known" boolean NOT NULL,
	"agreed_by" uuid NOT NULL,
	"agreed_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "request_settlements_amounts" CHECK ("requests"."request_settlements"."labour_fen" between 0 and 10000000 and "requests"."request_settlements"."materials_fen" between 0 and 10000000),
	CONSTRAINT "request_settlements_percent_range" CHECK ("requests"."request_settlements"."ordinary_labour_percent" between 0 and 100),
	CONSTRAINT "request_settlements_tiered_price" CHECK (case "requests"."request_settlements"."tier"
        when 'ordinary' then "requests"."request_settlements"."resident_pays_fen" = ("requests"."request_settlements"."labour_fen" * "requests"."request_settlements"."ordinary_labour_percent" + 50) / 100 + "requests"."request_settlements"."materials_fen" and "requests"."request_settlements"."fund_pays_fen" = 0
        when 'low_income' then "requests"."request_settlements"."resident_pays_fen" = "requests"."request_settlements"."materials_fen" and "requests"."request_settlements"."fund_pays_fen" = "requests"."request_settlements"."labour_fen"
        when 'special_hardship' then "requests"."request_settlements"."resident_pays_fen" = 0 and "requests"."request_settlements"."fund_pays_fen" = "requests"."request_settlements"."labour_fen" + "requests"."request_settlements"."materials_fen"
      end),
	CONSTRAINT "request_settlements_unknown_is_ordinary" CHECK ("requests"."request_settlements"."household_known" or "requests"."request_settlements"."tier" = 'ordinary')
);
--> statement-breakpoint
CREATE TABLE "requests"."request_transitions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"request_id" uuid NOT NULL,
	"from_status" "requests"."request_status",
	"to_status" "requests"."request_status" NOT NULL,
	"actor_kind" "requests"."actor_kind" NOT NULL,
	"actor_id" uuid,
	"reason" text,
	"team_id" uuid,
	"person_id" uuid,
	"at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "request_transitions_person_named" CHECK ("requests"."request_transitions"."actor_kind" <> 'person' or "requests"."request_transitions"."actor_id" is not null)
);
--> statement-breakpoint
CREATE TABLE "requests"."service_records" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" "requests"."record_kind" DEFAULT 'service' NOT NULL,
	"volunteer_id" uuid NOT NULL,
	"category_code" text NOT NULL,
	"minutes" integer NOT NULL,
	"served_at" timestamp (3) with time zone NOT NULL,
	"request_id" uuid,
	"activity_id" uuid,
	"region_id" uuid,
	"region_path" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"description" text NOT NULL,
	"verified_by" uuid,
	"reverses_id" uuid,
	"corrects_id" uuid,
	"reason" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "service_records_one_basis" CHECK (("requests"."service_records"."request_id" is null) <> ("requests"."service_records"."activity_id" is null)),
	CONSTRAINT "service_records_minutes_by_kind" CHECK (case "requests"."service_records"."kind" when 'service' then "requests"."service_records"."minutes" between 1 and 1440 else "requests"."service_records"."minutes" between -1440 and -1 end),
	CONSTRAINT "service_records_reversal_names_original" CHECK (("requests"."service_records"."kind" = 'reversal') = ("requests"."service_records"."reverses_id" is not null)),
	CONSTRAINT "service_records_replacement_is_service" CHECK ("requests"."service_records"."corrects_id" is null or "requests"."service_records"."kind" = 'service'),
	CONSTRAINT "service_records_correction_has_reason" CHECK (("requests"."service_records"."reverses_id" is null and "requests"."service_records"."corrects_id" is null) or length(trim("requests"."service_records"."reason")) > 0),
	CONSTRAINT "service_records_description_length" CHECK (char_length(trim("requests"."service_records"."description")) between 1 and 500)
);
--> statement-breakpoint
CREATE TABLE "requests"."wish_transitions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"wish_id" uuid NOT NULL,
	"from_status" "requests"."wish_status",
	"to_status" "requests"."wish_status" NOT NULL,
	"actor_id" uuid NOT NULL,
	"reason" text,
	"at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "requests"."service_requests" ADD COLUMN "region_id" uuid;--> statement-breakpoint
ALTER TABLE "requests"."service_requests" ADD COLUMN "region_path" uuid[] DEFAULT '{}'::uuid[] NOT NULL;--> statement-breakpoint
ALTER TABLE "requests"."service_requests" ADD COLUMN "urgency" "requests"."request_urgency" DEFAULT 'normal' NOT NULL;--> statement-breakpoint
ALTER TABLE "requests"."service_requests" ADD COLUMN "wished_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "requests"."service_requests" ADD COLUMN "device_id" uuid;--> statement-breakpoint
ALTER TABLE "requests"."service_requests" ADD COLUMN "dispatched_team_id" uuid;--> statement-breakpoint
ALTER TABLE "requests"."service_requests" ADD COLUMN "dispatched_person_id" uuid;--> statement-breakpoint
ALTER TABLE "requests"."service_requests" ADD COLUMN "assignee_id" uuid;--> statement-breakpoint
ALTER TABLE "requests"."service_requests" ADD COLUMN "accepted_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "requests"."service_requests" ADD COLUMN "started_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "requests"."service_requests" ADD COLUMN "completed_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "requests"."service_requests" ADD COLUMN "completion_note" text;--> statement-breakpoint
ALTER TABLE "requests"."service_requests" ADD COLUMN "evidence_urls" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "requests"."service_requests" ADD COLUMN "materials_used" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "requests"."service_requests" ADD COLUMN "rating" smallint;--> statement-breakpoint
ALTER TABLE "requests"."service_requests" ADD COLUMN "rating_comment" text;--> statement-breakpoint
ALTER TABLE "requests"."service_requests" ADD COLUMN "rated_by" uuid;--> statement-breakpoint
ALTER TABLE "requests"."service_requests" ADD COLUMN "rated_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "requests"."service_requests" ADD COLUMN "updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "requests"."activities" ADD CONSTRAINT "activities_category_code_categories_code_fk" FOREIGN KEY ("category_code") REFERENCES "requests"."categories"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requests"."activity_attendances" ADD CONSTRAINT "activity_attendances_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "requests"."activities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requests"."activity_attendances" ADD CONSTRAINT "activity_attendances_service_record_id_service_records_id_fk" FOREIGN KEY ("service_record_id") REFERENCES "requests"."service_records"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requests"."activity_signups" ADD CONSTRAINT "activity_signups_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "requests"."activities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requests"."alerts" ADD CONSTRAINT "alerts_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "requests"."devices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requests"."alerts" ADD CONSTRAINT "alerts_request_id_service_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "requests"."service_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requests"."caseload_visits" ADD CONSTRAINT "caseload_visits_assignment_id_caseload_assignments_id_fk" FOREIGN KEY ("assignment_id") REFERENCES "requests"."caseload_assignments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requests"."device_events" ADD CONSTRAINT "device_events_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "requests"."devices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requests"."directory_team_members" ADD CONSTRAINT "directory_team_members_team_id_directory_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "requests"."directory_teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requests"."fund_charges" ADD CONSTRAINT "fund_charges_request_id_service_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "requests"."service_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requests"."request_quotes" ADD CONSTRAINT "request_quotes_request_id_service_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "requests"."service_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requests"."request_settlements" ADD CONSTRAINT "request_settlements_request_id_service_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "requests"."service_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requests"."request_transitions" ADD CONSTRAINT "request_transitions_request_id_service_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "requests"."service_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requests"."service_records" ADD CONSTRAINT "service_records_category_code_categories_code_fk" FOREIGN KEY ("category_code") REFERENCES "requests"."categories"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requests"."service_records" ADD CONSTRAINT "service_records_request_id_service_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "requests"."service_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requests"."service_records" ADD CONSTRAINT "service_records_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "requests"."activities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requests"."service_records" ADD CONSTRAINT "service_records_reverses_id_service_records_id_fk" FOREIGN KEY ("reverses_id") REFERENCES "requests"."service_records"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requests"."service_records" ADD CONSTRAINT "service_records_corrects_id_service_records_id_fk" FOREIGN KEY ("corrects_id") REFERENCES "requests"."service_records"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requests"."wish_transitions" ADD CONSTRAINT "wish_transitions_wish_id_micro_wishes_id_fk" FOREIGN KEY ("wish_id") REFERENCES "requests"."micro_wishes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "activities_region_path_idx" ON "requests"."activities" USING gin ("region_path");--> statement-breakpoint
CREATE INDEX "activities_starts_idx" ON "requests"."activities" USING btree ("starts_at","id");--> statement-breakpoint
CREATE INDEX "activities_open_ends_idx" ON "requests"."activities" USING btree ("ends_at");--> statement-breakpoint
CREATE INDEX "activity_attendances_open_idx" ON "requests"."activity_attendances" USING btree ("activity_id") WHERE "requests"."activity_attendances"."checked_out_at" is null;--> statement-breakpoint
CREATE INDEX "activity_signups_activity_idx" ON "requests"."activity_signups" USING btree ("activity_id","status","signed_up_at","person_id");--> statement-breakpoint
CREATE INDEX "activity_signups_person_idx" ON "requests"."activity_signups" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "alerts_region_path_idx" ON "requests"."alerts" USING gin ("region_path");--> statement-breakpoint
CREATE INDEX "alerts_open_idx" ON "requests"."alerts" USING btree ("raised_at","id") WHERE "requests"."alerts"."acknowledged_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "alerts_one_open_inactivity" ON "requests"."alerts" USING btree ("device_id") WHERE "requests"."alerts"."kind" = 'inactivity' and "requests"."alerts"."acknowledged_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "caseload_assignments_one_current" ON "requests"."caseload_assignments" USING btree ("household_id") WHERE "requests"."caseload_assignments"."ended_at" is null;--> statement-breakpoint
CREATE INDEX "caseload_assignments_volunteer_idx" ON "requests"."caseload_assignments" USING btree ("volunteer_id","assigned_at","id") WHERE "requests"."caseload_assignments"."ended_at" is null;--> statement-breakpoint
CREATE INDEX "caseload_visits_assignment_idx" ON "requests"."caseload_visits" USING btree ("assignment_id","visited_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "devices_platform_external_unique" ON "requests"."devices" USING btree ("platform","external_id");--> statement-breakpoint
CREATE INDEX "devices_household_idx" ON "requests"."devices" USING btree ("household_id");--> statement-breakpoint
CREATE INDEX "directory_building_captains_person_idx" ON "requests"."directory_building_captains" USING btree ("person_id");--> statement-breakpoint
CREATE UNIQUE INDEX "directory_household_members_person_idx" ON "requests"."directory_household_members" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "directory_regions_path_idx" ON "requests"."directory_regions" USING gin ("path");--> statement-breakpoint
CREATE INDEX "directory_team_members_person_idx" ON "requests"."directory_team_members" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "micro_wishes_region_path_idx" ON "requests"."micro_wishes" USING gin ("region_path");--> statement-breakpoint
CREATE INDEX "micro_wishes_created_idx" ON "requests"."micro_wishes" USING btree ("created_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "price_rules_region_unique" ON "requests"."price_rules" USING btree ("region_id");--> statement-breakpoint
CREATE UNIQUE INDEX "price_rules_one_default" ON "requests"."price_rules" USING btree (("region_id" is null)) WHERE "requests"."price_rules"."region_id" is null;--> statement-breakpoint
CREATE INDEX "request_transitions_request_idx" ON "requests"."request_transitions" USING btree ("request_id","at","id");--> statement-breakpoint
CREATE INDEX "service_records_volunteer_idx" ON "requests"."service_records" USING btree ("volunteer_id","served_at","id");--> statement-breakpoint
CREATE INDEX "service_records_created_idx" ON "requests"."service_records" USING btree ("volunteer_id","created_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "service_records_reversed_once" ON "requests"."service_records" USING btree ("reverses_id");--> statement-breakpoint
CREATE UNIQUE INDEX "service_records_replaced_once" ON "requests"."service_records" USING btree ("corrects_id");--> statement-breakpoint
CREATE UNIQUE INDEX "service_records_one_per_request" ON "requests"."service_records" USING btree ("request_id") WHERE "requests"."service_records"."kind" = 'service' and "requests"."service_records"."corrects_id" is null and "requests"."service_records"."request_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "service_records_one_per_attendance" ON "requests"."service_records" USING btree ("activity_id","volunteer_id") WHERE "requests"."service_records"."kind" = 'service' and "requests"."service_records"."corrects_id" is null and "requests"."service_records"."activity_id" is not null;--> statement-breakpoint
CREATE INDEX "wish_transitions_wish_idx" ON "requests"."wish_transitions" USING btree ("wish_id","at","id");--> statement-breakpoint
ALTER TABLE "requests"."service_requests" ADD CONSTRAINT "service_requests_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "requests"."devices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "service_requests_region_path_idx" ON "requests"."service_requests" USING gin ("region_path");--> statement-breakpoint
CREATE INDEX "service_requests_created_idx" ON "requests"."service_requests" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "service_requests_team_created_idx" ON "requests"."service_requests" USING btree ("dispatched_team_id","created_at","id");--> statement-breakpoint
CREATE INDEX "service_requests_filed_by_idx" ON "requests"."service_requests" USING btree ("filed_by","created_at","id");--> statement-breakpoint
CREATE INDEX "service_requests_assignee_idx" ON "requests"."service_requests" USING btree ("assignee_id","created_at","id");--> statement-breakpoint
ALTER TABLE "requests"."service_requests" ADD CONSTRAINT "service_requests_captain_files" CHECK ("requests"."service_requests"."channel"::text <> 'building_captain' or "requests"."service_requests"."filed_by" is not null);--> statement-breakpoint
ALTER TABLE "requests"."service_requests" ADD CONSTRAINT "service_requests_device_files" CHECK (("requests"."service_requests"."channel" = 'device') = ("requests"."service_requests"."device_id" is not null));--> statement-breakpoint
ALTER TABLE "requests"."service_requests" ADD CONSTRAINT "service_requests_placed_path" CHECK (("requests"."service_requests"."region_id" is null) = (cardinality("requests"."service_requests"."region_path") = 0));--> statement-breakpoint
ALTER TABLE "requests"."service_requests" ADD CONSTRAINT "service_requests_one_dispatch_target" CHECK ("requests"."service_requests"."dispatched_team_id" is null or "requests"."service_requests"."dispatched_person_id" is null);--> statement-breakpoint
ALTER TABLE "requests"."service_requests" ADD CONSTRAINT "service_requests_dispatched_has_target" CHECK ("requests"."service_requests"."status" <> 'dispatched' or "requests"."service_requests"."dispatched_team_id" is not null or "requests"."service_requests"."dispatched_person_id" is not null);--> statement-breakpoint
ALTER TABLE "requests"."service_requests" ADD CONSTRAINT "service_requests_accepted_has_assignee" CHECK ("requests"."service_requests"."status" not in ('accepted', 'in_service', 'completed', 'rated') or ("requests"."service_requests"."assignee_id" is not null and "requests"."service_requests"."accepted_at" is not null));--> statement-breakpoint
ALTER TABLE "requests"."service_requests" ADD CONSTRAINT "service_requests_started" CHECK ("requests"."service_requests"."status" not in ('in_service', 'completed', 'rated') or "requests"."service_requests"."started_at" is not null);--> statement-breakpoint
ALTER TABLE "requests"."service_requests" ADD CONSTRAINT "service_requests_completed" CHECK ("requests"."service_requests"."status" not in ('completed', 'rated') or "requests"."service_requests"."completed_at" is not null);--> statement-breakpoint
ALTER TABLE "requests"."service_requests" ADD CONSTRAINT "service_requests_rated" CHECK (("requests"."service_requests"."status" = 'rated') = ("requests"."service_requests"."rating" is not null));--> statement-breakpoint
ALTER TABLE "requests"."service_requests" ADD CONSTRAINT "service_requests_rating_range" CHECK ("requests"."service_requests"."rating" between 1 and 5);--> statement-breakpoint
ALTER TABLE "requests"."service_requests" ADD CONSTRAINT "service_requests_times_in_order" CHECK ("requests"."service_requests"."accepted_at" >= "requests"."service_requests"."created_at" and "requests"."service_requests"."started_at" >= "requests"."service_requests"."accepted_at" and "requests"."service_requests"."completed_at" >= "requests"."service_requests"."started_at");--> statement-breakpoint
-- Reference data: the category a call button files under, after the ten residents choose from.
INSERT INTO "requests"."categories" ("code", "name", "priced", "position") VALUES
	('emergency_call', '一键呼叫', false, 11)
ON CONFLICT ("code") DO NOTHING;--> statement-breakpoint
-- The default price rule: ordinary households pay 80% of the market labour price unless their community sets its own.
INSERT INTO "requests"."price_rules" ("id", "region_id", "ordinary_labour_percent") VALUES
	('00000000-0000-7000-8000-000000000080', NULL, 80);--> statement-breakpoint
-- Requests filed before history was kept get their filing as the first history row.
INSERT INTO "requests"."request_transitions" ("id", "request_id", "from_status", "to_status", "actor_kind", "actor_id", "at")
	SELECT gen_random_uuid(), "id", NULL, 'submitted', 'person', coalesce("filed_by", "requester_id"), "created_at"
	FROM "requests"."service_requests";--> statement-breakpoint
-- Records that are history are never changed: status histories, agreed prices, fund charges, visits, device events and service records.
CREATE FUNCTION "requests"."refuse_history_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'requests.% keeps history: % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'restrict_violation';
END
$$;--> statement-breakpoint
CREATE TRIGGER "request_transitions_append_only" BEFORE UPDATE OR DELETE ON "requests"."request_transitions"
  FOR EACH ROW EXECUTE FUNCTION "requests"."refuse_history_change"();--> statement-breakpoint
CREATE TRIGGER "request_transitions_no_truncate" BEFORE TRUNCATE ON "requests"."request_transitions"
  FOR EACH STATEMENT EXECUTE FUNCTION "requests"."refuse_history_change"();--> statement-breakpoint
CREATE TRIGGER "wish_transitions_append_only" BEFORE UPDATE OR DELETE ON "requests"."wish_transitions"
  FOR EACH ROW EXECUTE FUNCTION "requests"."refuse_history_change"();--> statement-breakpoint
CREATE TRIGGER "wish_transitions_no_truncate" BEFORE TRUNCATE ON "requests"."wish_transitions"
  FOR EACH STATEMENT EXECUTE FUNCTION "requests"."refuse_history_change"();--> statement-breakpoint
CREATE TRIGGER "request_settlements_append_only" BEFORE UPDATE OR DELETE ON "requests"."request_settlements"
  FOR EACH ROW EXECUTE FUNCTION "requests"."refuse_history_change"();--> statement-breakpoint
CREATE TRIGGER "request_settlements_no_truncate" BEFORE TRUNCATE ON "requests"."request_settlements"
  FOR EACH STATEMENT EXECUTE FUNCTION "requests"."refuse_history_change"();--> statement-breakpoint
CREATE TRIGGER "fund_charges_append_only" BEFORE UPDATE OR DELETE ON "requests"."fund_charges"
  FOR EACH ROW EXECUTE FUNCTION "requests"."refuse_history_change"();--> statement-breakpoint
CREATE TRIGGER "fund_charges_no_truncate" BEFORE TRUNCATE ON "requests"."fund_charges"
  FOR EACH STATEMENT EXECUTE FUNCTION "requests"."refuse_history_change"();--> statement-breakpoint
CREATE TRIGGER "caseload_visits_append_only" BEFORE UPDATE OR DELETE ON "requests"."caseload_visits"
  FOR EACH ROW EXECUTE FUNCTION "requests"."refuse_history_change"();--> statement-breakpoint
CREATE TRIGGER "caseload_visits_no_truncate" BEFORE TRUNCATE ON "requests"."caseload_visits"
  FOR EACH STATEMENT EXECUTE FUNCTION "requests"."refuse_history_change"();--> statement-breakpoint
CREATE TRIGGER "device_events_append_only" BEFORE UPDATE OR DELETE ON "requests"."device_events"
  FOR EACH ROW EXECUTE FUNCTION "requests"."refuse_history_change"();--> statement-breakpoint
CREATE TRIGGER "device_events_no_truncate" BEFORE TRUNCATE ON "requests"."device_events"
  FOR EACH STATEMENT EXECUTE FUNCTION "requests"."refuse_history_change"();--> statement-breakpoint
CREATE TRIGGER "service_records_append_only" BEFORE UPDATE OR DELETE ON "requests"."service_records"
  FOR EACH ROW EXECUTE FUNCTION "requests"."refuse_history_change"();--> statement-breakpoint
CREATE TRIGGER "service_records_no_truncate" BEFORE TRUNCATE ON "requests"."service_records"
  FOR EACH STATEMENT EXECUTE FUNCTION "requests"."refuse_history_change"();--> statement-breakpoint
-- A reversal undoes exactly one service record of the same volunteer, minute for minute; a replacement
-- names a record already reversed. Held here so no code path can write a lopsided correction.
CREATE FUNCTION "requests"."service_records_check_correction"() RETURNS trigger
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
       OR original.request_id IS DISTINCT FROM NEW.request_id OR original.activity_id IS DISTINCT FROM NEW.activity_id THEN
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
$$;--> statement-breakpoint
CREATE TRIGGER "service_records_check_correction" BEFORE INSERT ON "requests"."service_records"
  FOR EACH ROW EXECUTE FUNCTION "requests"."service_records_check_correction"();
