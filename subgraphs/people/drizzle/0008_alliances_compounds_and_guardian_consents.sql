ALTER TYPE "people"."organization_kind" ADD VALUE 'government_department';--> statement-breakpoint
ALTER TYPE "people"."organization_kind" ADD VALUE 'trade_union';--> statement-breakpoint
CREATE TABLE "people"."alliance_teams" (
	"alliance_id" uuid NOT NULL,
	"team_id" uuid NOT NULL,
	"added_by" text NOT NULL,
	"added_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "alliance_teams_pk" PRIMARY KEY("alliance_id","team_id")
);
--> statement-breakpoint
CREATE TABLE "people"."alliances" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"region_id" uuid NOT NULL,
	"description" text,
	"created_by" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "alliances_region_name_unique" UNIQUE("region_id","name"),
	CONSTRAINT "alliances_name_length" CHECK (char_length(trim("people"."alliances"."name")) between 1 and 100),
	CONSTRAINT "alliances_description_length" CHECK ("people"."alliances"."description" is null or char_length("people"."alliances"."description") <= 2000)
);
--> statement-breakpoint
CREATE TABLE "people"."guardian_consents" (
	"id" uuid PRIMARY KEY NOT NULL,
	"minor_id" uuid NOT NULL,
	"guardian_id" uuid,
	"guardian_name" text,
	"relationship" text NOT NULL,
	"recorded_by" text NOT NULL,
	"recorded_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"revoked_by" text,
	"revoked_at" timestamp (3) with time zone,
	CONSTRAINT "guardian_consents_guardian_named" CHECK (("people"."guardian_consents"."guardian_id" is null) <> ("people"."guardian_consents"."guardian_name" is null)),
	CONSTRAINT "guardian_consents_not_own_guardian" CHECK ("people"."guardian_consents"."guardian_id" is distinct from "people"."guardian_consents"."minor_id"),
	CONSTRAINT "guardian_consents_name_length" CHECK ("people"."guardian_consents"."guardian_name" is null or char_length(trim("people"."guardian_consents"."guardian_name")) between 1 and 50),
	CONSTRAINT "guardian_consents_relationship_length" CHECK (char_length(trim("people"."guardian_consents"."relationship")) between 1 and 20),
	CONSTRAINT "guardian_consents_revoked" CHECK (("people"."guardian_consents"."revoked_at" is null) = ("people"."guardian_consents"."revoked_by" is null) and ("people"."guardian_consents"."revoked_at" is null or "people"."guardian_consents"."revoked_at" >= "people"."guardian_consents"."recorded_at"))
);
--> statement-breakpoint
ALTER TABLE "people"."regions" ADD COLUMN "no_property_management" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "people"."alliance_teams" ADD CONSTRAINT "alliance_teams_alliance_id_alliances_id_fk" FOREIGN KEY ("alliance_id") REFERENCES "people"."alliances"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people"."alliance_teams" ADD CONSTRAINT "alliance_teams_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "people"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people"."alliances" ADD CONSTRAINT "alliances_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "people"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people"."guardian_consents" ADD CONSTRAINT "guardian_consents_minor_id_persons_id_fk" FOREIGN KEY ("minor_id") REFERENCES "people"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people"."guardian_consents" ADD CONSTRAINT "guardian_consents_guardian_id_persons_id_fk" FOREIGN KEY ("guardian_id") REFERENCES "people"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alliance_teams_team_idx" ON "people"."alliance_teams" USING btree ("team_id");--> statement-breakpoint
CREATE INDEX "alliances_name_idx" ON "people"."alliances" USING btree ("name","id");--> statement-breakpoint
CREATE INDEX "guardian_consents_minor_idx" ON "people"."guardian_consents" USING btree ("minor_id","recorded_at");--> statement-breakpoint
CREATE UNIQUE INDEX "guardian_consents_one_in_force" ON "people"."guardian_consents" USING btree ("minor_id") WHERE "people"."guardian_consents"."revoked_at" is null;--> statement-breakpoint
ALTER TABLE "people"."regions" ADD CONSTRAINT "regions_property_management_of_compounds" CHECK (not "people"."regions"."no_property_management" or "people"."regions"."kind" = 'compound');--> statement-breakpoint
-- A member team belongs to the alliance's region or to a region below it.
CREATE FUNCTION "people"."alliance_team_in_scope"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM "people"."alliances" a
      JOIN "people"."teams" t ON t.id = NEW.team_id
      JOIN "people"."regions" r ON r.id = t.community_id
     WHERE a.id = NEW.alliance_id AND (r.id = a.region_id OR a.region_id = ANY (r.path))
  ) THEN
    RAISE EXCEPTION 'team % lies outside the region of alliance %', NEW.team_id, NEW.alliance_id
      USING ERRCODE = '23514', CONSTRAINT = 'alliance_teams_in_scope';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "alliance_teams_in_scope" BEFORE INSERT OR UPDATE ON "people"."alliance_teams"
  FOR EACH ROW EXECUTE FUNCTION "people"."alliance_team_in_scope"();
--> statement-breakpoint
-- Analysts single out compounds without property management.
CREATE OR REPLACE VIEW "people"."analytics_regions" AS
  SELECT r.id AS region_id, r.parent_id, r.kind::text AS kind, r.name, r.path, r.no_property_management FROM "people"."regions" r;
--> statement-breakpoint
-- A consent is recorded once and may only be revoked: no other change, no deletion.
CREATE FUNCTION "people"."guardian_consents_only_revoked"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'guardian consents are revoked, never deleted' USING ERRCODE = '23514', CONSTRAINT = 'guardian_consents_append_only';
  END IF;
  IF OLD.revoked_at IS NOT NULL OR NEW.revoked_at IS NULL
     OR (NEW.id, NEW.minor_id, NEW.guardian_id, NEW.guardian_name, NEW.relationship, NEW.recorded_by, NEW.recorded_at)
        IS DISTINCT FROM (OLD.id, OLD.minor_id, OLD.guardian_id, OLD.guardian_name, OLD.relationship, OLD.recorded_by, OLD.recorded_at) THEN
    RAISE EXCEPTION 'a guardian consent may only be revoked, once' USING ERRCODE = '23514', CONSTRAINT = 'guardian_consents_append_only';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "guardian_consents_only_revoked" BEFORE UPDATE OR DELETE ON "people"."guardian_consents"
  FOR EACH ROW EXECUTE FUNCTION "people"."guardian_consents_only_revoked"();
