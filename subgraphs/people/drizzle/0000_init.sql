CREATE SCHEMA IF NOT EXISTS "people";
--> statement-breakpoint
CREATE TYPE "people"."region_kind" AS ENUM('province', 'city', 'district', 'street', 'town', 'community', 'village', 'compound', 'building');--> statement-breakpoint
CREATE TYPE "people"."team_role" AS ENUM('captain', 'member');--> statement-breakpoint
CREATE TABLE "people"."persons" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"home_region_id" uuid,
	"registered_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "persons_name_not_blank" CHECK (length(trim("people"."persons"."name")) > 0)
);
--> statement-breakpoint
CREATE TABLE "people"."regions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"parent_id" uuid,
	"kind" "people"."region_kind" NOT NULL,
	"name" text NOT NULL,
	"code" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "regions_code_unique" UNIQUE("code"),
	CONSTRAINT "regions_name_not_blank" CHECK (length(trim("people"."regions"."name")) > 0),
	CONSTRAINT "regions_not_own_parent" CHECK ("people"."regions"."parent_id" is distinct from "people"."regions"."id")
);
--> statement-breakpoint
CREATE TABLE "people"."team_members" (
	"team_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"role" "people"."team_role" DEFAULT 'member' NOT NULL,
	"joined_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "team_members_team_id_person_id_pk" PRIMARY KEY("team_id","person_id")
);
--> statement-breakpoint
CREATE TABLE "people"."teams" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"community_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "teams_name_not_blank" CHECK (length(trim("people"."teams"."name")) > 0)
);
--> statement-breakpoint
ALTER TABLE "people"."persons" ADD CONSTRAINT "persons_home_region_id_regions_id_fk" FOREIGN KEY ("home_region_id") REFERENCES "people"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people"."regions" ADD CONSTRAINT "regions_parent_id_regions_id_fk" FOREIGN KEY ("parent_id") REFERENCES "people"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people"."team_members" ADD CONSTRAINT "team_members_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "people"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people"."team_members" ADD CONSTRAINT "team_members_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "people"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people"."teams" ADD CONSTRAINT "teams_community_id_regions_id_fk" FOREIGN KEY ("community_id") REFERENCES "people"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "regions_parent_name_idx" ON "people"."regions" USING btree ("parent_id","name","id");--> statement-breakpoint
CREATE INDEX "team_members_person_idx" ON "people"."team_members" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "team_members_team_joined_idx" ON "people"."team_members" USING btree ("team_id","joined_at","person_id");