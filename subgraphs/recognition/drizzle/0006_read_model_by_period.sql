CREATE TABLE "recognition"."bank_units" (
	"unit_id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"bank_id" uuid NOT NULL,
	"parent_id" uuid,
	"region_id" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "recognition"."counted_deposits" (
	"deposit_id" uuid PRIMARY KEY NOT NULL,
	"person_id" uuid NOT NULL,
	"points" bigint NOT NULL,
	"month" date,
	"category_code" text,
	"region_id" uuid,
	"team_id" uuid,
	"office_id" uuid,
	"counted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reversed_at" timestamp with time zone,
	CONSTRAINT "counted_deposits_points_positive" CHECK ("recognition"."counted_deposits"."points" > 0)
);
--> statement-breakpoint
CREATE TABLE "recognition"."office_year_activities" (
	"office_id" uuid NOT NULL,
	"year" smallint NOT NULL,
	"activity_id" uuid NOT NULL,
	"services" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "office_year_activities_pk" PRIMARY KEY("office_id","year","activity_id"),
	CONSTRAINT "office_year_activities_services_not_negative" CHECK ("recognition"."office_year_activities"."services" >= 0)
);
--> statement-breakpoint
CREATE TABLE "recognition"."office_year_tallies" (
	"office_id" uuid NOT NULL,
	"year" smallint NOT NULL,
	"bank_id" uuid NOT NULL,
	"accounts_opened" integer DEFAULT 0 NOT NULL,
	"service_minutes" integer DEFAULT 0 NOT NULL,
	"points_deposited" bigint DEFAULT 0 NOT NULL,
	"redemptions" integer DEFAULT 0 NOT NULL,
	"points_redeemed" bigint DEFAULT 0 NOT NULL,
	"merchants_joined" integer DEFAULT 0 NOT NULL,
	"projects" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "office_year_tallies_pk" PRIMARY KEY("office_id","year"),
	CONSTRAINT "office_year_tallies_not_negative" CHECK ("recognition"."office_year_tallies"."accounts_opened" >= 0 and "recognition"."office_year_tallies"."service_minutes" >= 0 and "recognition"."office_year_tallies"."points_deposited" >= 0 and "recognition"."office_year_tallies"."redemptions" >= 0 and "recognition"."office_year_tallies"."points_redeemed" >= 0 and "recognition"."office_year_tallies"."merchants_joined" >= 0 and "recognition"."office_year_tallies"."projects" >= 0)
);
--> statement-breakpoint
CREATE TABLE "recognition"."person_month_tallies" (
	"id" uuid PRIMARY KEY NOT NULL,
	"person_id" uuid NOT NULL,
	"month" date NOT NULL,
	"category_code" text,
	"region_id" uuid,
	"region_path" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"team_id" uuid,
	"service_minutes" integer DEFAULT 0 NOT NULL,
	"services" integer DEFAULT 0 NOT NULL,
	"activities" integer DEFAULT 0 NOT NULL,
	"ratings" integer DEFAULT 0 NOT NULL,
	"rating_sum" integer DEFAULT 0 NOT NULL,
	"points_deposited" bigint DEFAULT 0 NOT NULL,
	"points_redeemed" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "person_month_tallies_cell" UNIQUE NULLS NOT DISTINCT("person_id","month","category_code","region_id","team_id"),
	CONSTRAINT "person_month_tallies_month_first_day" CHECK (extract(day from "recognition"."person_month_tallies"."month") = 1),
	CONSTRAINT "person_month_tallies_not_negative" CHECK ("recognition"."person_month_tallies"."service_minutes" >= 0 and "recognition"."person_month_tallies"."services" >= 0 and "recognition"."person_month_tallies"."activities" between 0 and "recognition"."person_month_tallies"."services" and "recognition"."person_month_tallies"."ratings" >= 0 and "recognition"."person_month_tallies"."points_deposited" >= 0 and "recognition"."person_month_tallies"."points_redeemed" >= 0),
	CONSTRAINT "person_month_tallies_rating_sum_in_range" CHECK ("recognition"."person_month_tallies"."rating_sum" between "recognition"."person_month_tallies"."ratings" and 5 * "recognition"."person_month_tallies"."ratings")
);
--> statement-breakpoint
CREATE TABLE "recognition"."team_month_tallies" (
	"team_id" uuid NOT NULL,
	"month" date NOT NULL,
	"service_minutes" integer DEFAULT 0 NOT NULL,
	"services" integer DEFAULT 0 NOT NULL,
	"ratings" integer DEFAULT 0 NOT NULL,
	"rating_sum" integer DEFAULT 0 NOT NULL,
	"points_deposited" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "team_month_tallies_pk" PRIMARY KEY("team_id","month"),
	CONSTRAINT "team_month_tallies_month_first_day" CHECK (extract(day from "recognition"."team_month_tallies"."month") = 1),
	CONSTRAINT "team_month_tallies_not_negative" CHECK ("recognition"."team_month_tallies"."service_minutes" >= 0 and "recognition"."team_month_tallies"."services" >= 0 and "recognition"."team_month_tallies"."ratings" >= 0 and "recognition"."team_month_tallies"."points_deposited" >= 0),
	CONSTRAINT "team_month_tallies_rating_sum_in_range" CHECK ("recognition"."team_month_tallies"."rating_sum" between "recognition"."team_month_tallies"."ratings" and 5 * "recognition"."team_month_tallies"."ratings")
);
--> statement-breakpoint
ALTER TABLE "recognition"."counted_services" ADD COLUMN "month" date;--> statement-breakpoint
ALTER TABLE "recognition"."counted_services" ADD COLUMN "category_code" text;--> statement-breakpoint
ALTER TABLE "recognition"."counted_services" ADD COLUMN "region_id" uuid;--> statement-breakpoint
ALTER TABLE "recognition"."counted_services" ADD COLUMN "team_id" uuid;--> statement-breakpoint
ALTER TABLE "recognition"."counted_services" ADD COLUMN "activity_id" uuid;--> statement-breakpoint
ALTER TABLE "recognition"."counted_services" ADD COLUMN "office_id" uuid;--> statement-breakpoint
ALTER TABLE "recognition"."counted_services" ADD COLUMN "area_office_id" uuid;--> statement-breakpoint
CREATE INDEX "bank_units_region_idx" ON "recognition"."bank_units" USING btree ("region_id");--> statement-breakpoint
CREATE INDEX "office_year_tallies_bank_year_idx" ON "recognition"."office_year_tallies" USING btree ("bank_id","year");--> statement-breakpoint
CREATE INDEX "person_month_tallies_region_path_idx" ON "recognition"."person_month_tallies" USING gin ("region_path");--> statement-breakpoint
CREATE INDEX "person_month_tallies_month_idx" ON "recognition"."person_month_tallies" USING btree ("month");--> statement-breakpoint
CREATE INDEX "person_month_tallies_team_idx" ON "recognition"."person_month_tallies" USING btree ("team_id","person_id") WHERE "recognition"."person_month_tallies"."team_id" is not null;--> statement-breakpoint
CREATE INDEX "team_month_tallies_month_idx" ON "recognition"."team_month_tallies" USING btree ("month");--> statement-breakpoint
CREATE INDEX "counted_services_person_idx" ON "recognition"."counted_services" USING btree ("person_id");