CREATE TYPE "people"."consent" AS ENUM('contact_by_volunteers', 'home_visits', 'device_monitoring', 'photo_publication');--> statement-breakpoint
CREATE TYPE "people"."gender" AS ENUM('male', 'female');--> statement-breakpoint
CREATE TYPE "people"."hardship_level" AS ENUM('ordinary', 'low_income', 'special_hardship');--> statement-breakpoint
CREATE TYPE "people"."household_relation" AS ENUM('head', 'spouse', 'child', 'parent', 'grandparent', 'grandchild', 'sibling', 'other');--> statement-breakpoint
CREATE TYPE "people"."organization_kind" AS ENUM('social_organization', 'school', 'resident_unit', 'company', 'supermarket');--> statement-breakpoint
CREATE TYPE "people"."special_need" AS ENUM('living_alone', 'elderly', 'disabled', 'chronic_illness', 'home_schooling', 'quarantined');--> statement-breakpoint
CREATE TYPE "people"."station_kind" AS ENUM('practice_centre', 'institute', 'station');--> statement-breakpoint
CREATE TYPE "people"."team_kind" AS ENUM('repair', 'health', 'special_needs', 'party_members', 'women', 'parents_help', 'general');--> statement-breakpoint
CREATE TYPE "people"."volunteer_status" AS ENUM('active', 'paused', 'left');--> statement-breakpoint
CREATE TABLE "people"."building_captains" (
	"building_id" uuid PRIMARY KEY NOT NULL,
	"person_id" uuid NOT NULL,
	"assigned_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"assigned_by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "people"."grid_regions" (
	"region_id" uuid PRIMARY KEY NOT NULL,
	"grid_id" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "people"."grids" (
	"id" uuid PRIMARY KEY NOT NULL,
	"community_id" uuid NOT NULL,
	"name" text NOT NULL,
	"worker_id" uuid,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "grids_community_name_unique" UNIQUE("community_id","name"),
	CONSTRAINT "grids_name_not_blank" CHECK (length(trim("people"."grids"."name")) > 0)
);
--> statement-breakpoint
CREATE TABLE "people"."hardship_changes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"household_id" uuid NOT NULL,
	"level" "people"."hardship_level" NOT NULL,
	"reason" text NOT NULL,
	"changed_by" text NOT NULL,
	"changed_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "hardship_changes_reason_not_blank" CHECK (length(trim("people"."hardship_changes"."reason")) > 0)
);
--> statement-breakpoint
CREATE TABLE "people"."household_members" (
	"household_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"relation" "people"."household_relation" NOT NULL,
	"joined_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"left_at" timestamp (3) with time zone,
	CONSTRAINT "household_members_pk" PRIMARY KEY("household_id","person_id","joined_at"),
	CONSTRAINT "household_members_left_after_joining" CHECK ("people"."household_members"."left_at" >= "people"."household_members"."joined_at")
);
--> statement-breakpoint
CREATE TABLE "people"."households" (
	"id" uuid PRIMARY KEY NOT NULL,
	"address_region_id" uuid NOT NULL,
	"unit" text,
	"hardship_level" "people"."hardship_level" DEFAULT 'ordinary' NOT NULL,
	"special_needs" "people"."special_need"[] DEFAULT '{}' NOT NULL,
	"consents" "people"."consent"[] DEFAULT '{}' NOT NULL,
	"caretaker_id" uuid,
	"registered_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"registered_by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "people"."organizations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" "people"."organization_kind" NOT NULL,
	"region_id" uuid NOT NULL,
	"contact_name" text,
	"contact_phone" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organizations_region_name_unique" UNIQUE("region_id","name"),
	CONSTRAINT "organizations_name_not_blank" CHECK (length(trim("people"."organizations"."name")) > 0),
	CONSTRAINT "organizations_contact_phone_mobile" CHECK ("people"."organizations"."contact_phone" ~ '^1[3-9][0-9]{9}$')
);
--> statement-breakpoint
CREATE TABLE "people"."personal_data_accesses" (
	"id" uuid PRIMARY KEY NOT NULL,
	"at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"viewer_subject" text NOT NULL,
	"viewer_person_id" uuid,
	"subject_person_id" uuid,
	"subject_household_id" uuid,
	"fields" text[] NOT NULL,
	"trace_id" text NOT NULL,
	CONSTRAINT "personal_data_accesses_one_subject" CHECK (("people"."personal_data_accesses"."subject_person_id" is null) <> ("people"."personal_data_accesses"."subject_household_id" is null)),
	CONSTRAINT "personal_data_accesses_fields_given" CHECK (cardinality("people"."personal_data_accesses"."fields") > 0)
);
--> statement-breakpoint
CREATE TABLE "people"."stations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" "people"."station_kind" NOT NULL,
	"name" text NOT NULL,
	"region_id" uuid NOT NULL,
	"parent_id" uuid,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stations_one_per_region" UNIQUE("region_id"),
	CONSTRAINT "stations_only_centres_are_roots" CHECK (("people"."stations"."kind" = 'practice_centre') = ("people"."stations"."parent_id" is null))
);
--> statement-breakpoint
CREATE TABLE "people"."team_categories" (
	"team_id" uuid NOT NULL,
	"category_code" text NOT NULL,
	CONSTRAINT "team_categories_pk" PRIMARY KEY("team_id","category_code"),
	CONSTRAINT "team_categories_code_form" CHECK ("people"."team_categories"."category_code" ~ '^[a-z][a-z0-9_]{0,63}$')
);
--> statement-breakpoint
CREATE TABLE "people"."team_regions" (
	"team_id" uuid NOT NULL,
	"region_id" uuid NOT NULL,
	CONSTRAINT "team_regions_pk" PRIMARY KEY("team_id","region_id")
);
--> statement-breakpoint
CREATE TABLE "people"."volunteer_profiles" (
	"person_id" uuid PRIMARY KEY NOT NULL,
	"skills" text[] DEFAULT '{}'::text[] NOT NULL,
	"party_member" boolean DEFAULT false NOT NULL,
	"status" "people"."volunteer_status" DEFAULT 'active' NOT NULL,
	"registered_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "people"."team_members" DROP CONSTRAINT "team_members_team_id_person_id_pk";--> statement-breakpoint
ALTER TABLE "people"."team_members" ADD CONSTRAINT "team_members_pk" PRIMARY KEY("team_id","person_id","joined_at");--> statement-breakpoint
ALTER TABLE "people"."persons" ADD COLUMN "phone" text;--> statement-breakpoint
ALTER TABLE "people"."persons" ADD COLUMN "id_number_sealed" text;--> statement-breakpoint
ALTER TABLE "people"."persons" ADD COLUMN "id_number_lookup" text;--> statement-breakpoint
ALTER TABLE "people"."persons" ADD COLUMN "id_number_masked" text;--> statement-breakpoint
ALTER TABLE "people"."persons" ADD COLUMN "gender" "people"."gender";--> statement-breakpoint
ALTER TABLE "people"."persons" ADD COLUMN "birth_date" date;--> statement-breakpoint
ALTER TABLE "people"."persons" ADD COLUMN "home_unit" text;--> statement-breakpoint
ALTER TABLE "people"."persons" ADD COLUMN "registered_by" text;--> statement-breakpoint
ALTER TABLE "people"."regions" ADD COLUMN "path" uuid[] DEFAULT '{}'::uuid[] NOT NULL;--> statement-breakpoint
ALTER TABLE "people"."team_members" ADD COLUMN "left_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "people"."teams" ADD COLUMN "kind" "people"."team_kind" DEFAULT 'general' NOT NULL;--> statement-breakpoint
ALTER TABLE "people"."teams" ADD COLUMN "organization_id" uuid;--> statement-breakpoint
ALTER TABLE "people"."building_captains" ADD CONSTRAINT "building_captains_building_id_regions_id_fk" FOREIGN KEY ("building_id") REFERENCES "people"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people"."building_captains" ADD CONSTRAINT "building_captains_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "people"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people"."grid_regions" ADD CONSTRAINT "grid_regions_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "people"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people"."grid_regions" ADD CONSTRAINT "grid_regions_grid_id_grids_id_fk" FOREIGN KEY ("grid_id") REFERENCES "people"."grids"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people"."grids" ADD CONSTRAINT "grids_community_id_regions_id_fk" FOREIGN KEY ("community_id") REFERENCES "people"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people"."grids" ADD CONSTRAINT "grids_worker_id_persons_id_fk" FOREIGN KEY ("worker_id") REFERENCES "people"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people"."hardship_changes" ADD CONSTRAINT "hardship_changes_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "people"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people"."household_members" ADD CONSTRAINT "household_members_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "people"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people"."household_members" ADD CONSTRAINT "household_members_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "people"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people"."households" ADD CONSTRAINT "households_address_region_id_regions_id_fk" FOREIGN KEY ("address_region_id") REFERENCES "people"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people"."households" ADD CONSTRAINT "households_caretaker_id_persons_id_fk" FOREIGN KEY ("caretaker_id") REFERENCES "people"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people"."organizations" ADD CONSTRAINT "organizations_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "people"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people"."personal_data_accesses" ADD CONSTRAINT "personal_data_accesses_subject_person_id_persons_id_fk" FOREIGN KEY ("subject_person_id") REFERENCES "people"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people"."personal_data_accesses" ADD CONSTRAINT "personal_data_accesses_subject_household_id_households_id_fk" FOREIGN KEY ("subject_household_id") REFERENCES "people"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people"."stations" ADD CONSTRAINT "stations_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "people"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people"."stations" ADD CONSTRAINT "stations_parent_id_stations_id_fk" FOREIGN KEY ("parent_id") REFERENCES "people"."stations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people"."team_categories" ADD CONSTRAINT "team_categories_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "people"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people"."team_regions" ADD CONSTRAINT "team_regions_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "people"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people"."team_regions" ADD CONSTRAINT "team_regions_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "people"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people"."volunteer_profiles" ADD CONSTRAINT "volunteer_profiles_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "people"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "grid_regions_grid_idx" ON "people"."grid_regions" USING btree ("grid_id");--> statement-breakpoint
CREATE INDEX "grids_worker_idx" ON "people"."grids" USING btree ("worker_id");--> statement-breakpoint
CREATE INDEX "hardship_changes_household_idx" ON "people"."hardship_changes" USING btree ("household_id","changed_at");--> statement-breakpoint
CREATE UNIQUE INDEX "household_members_one_household" ON "people"."household_members" USING btree ("person_id") WHERE "people"."household_members"."left_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "household_members_one_head" ON "people"."household_members" USING btree ("household_id") WHERE "people"."household_members"."relation" = 'head' and "people"."household_members"."left_at" is null;--> statement-breakpoint
CREATE INDEX "households_address_idx" ON "people"."households" USING btree ("address_region_id");--> statement-breakpoint
CREATE INDEX "households_registered_idx" ON "people"."households" USING btree ("registered_at","id");--> statement-breakpoint
CREATE INDEX "households_special_needs_idx" ON "people"."households" USING gin ("special_needs");--> statement-breakpoint
CREATE INDEX "households_caretaker_idx" ON "people"."households" USING btree ("caretaker_id");--> statement-breakpoint
CREATE INDEX "organizations_name_idx" ON "people"."organizations" USING btree ("name","id");--> statement-breakpoint
CREATE INDEX "personal_data_accesses_at_idx" ON "people"."personal_data_accesses" USING btree ("at","id");--> statement-breakpoint
CREATE INDEX "personal_data_accesses_subject_idx" ON "people"."personal_data_accesses" USING btree ("subject_person_id","at");--> statement-breakpoint
CREATE INDEX "personal_data_accesses_household_idx" ON "people"."personal_data_accesses" USING btree ("subject_household_id","at");--> statement-breakpoint
CREATE INDEX "personal_data_accesses_viewer_idx" ON "people"."personal_data_accesses" USING btree ("viewer_person_id","at");--> statement-breakpoint
CREATE INDEX "personal_data_accesses_viewer_subject_idx" ON "people"."personal_data_accesses" USING btree ("viewer_subject","at");--> statement-breakpoint
CREATE INDEX "stations_parent_idx" ON "people"."stations" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "team_categories_code_idx" ON "people"."team_categories" USING btree ("category_code");--> statement-breakpoint
CREATE INDEX "team_regions_region_idx" ON "people"."team_regions" USING btree ("region_id");--> statement-breakpoint
CREATE INDEX "volunteer_profiles_skills_idx" ON "people"."volunteer_profiles" USING gin ("skills");--> statement-breakpoint
ALTER TABLE "people"."teams" ADD CONSTRAINT "teams_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "people"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "persons_id_number_lookup_unique" ON "people"."persons" USING btree ("id_number_lookup");--> statement-breakpoint
CREATE INDEX "persons_home_region_idx" ON "people"."persons" USING btree ("home_region_id");--> statement-breakpoint
CREATE INDEX "persons_registered_idx" ON "people"."persons" USING btree ("registered_at","id");--> statement-breakpoint
CREATE INDEX "regions_path_idx" ON "people"."regions" USING gin ("path");--> statement-breakpoint
CREATE INDEX "regions_name_idx" ON "people"."regions" USING btree ("name","id");--> statement-breakpoint
CREATE UNIQUE INDEX "team_members_current_unique" ON "people"."team_members" USING btree ("team_id","person_id") WHERE "people"."team_members"."left_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "team_members_one_captain" ON "people"."team_members" USING btree ("team_id") WHERE "people"."team_members"."role" = 'captain' and "people"."team_members"."left_at" is null;--> statement-breakpoint
CREATE INDEX "teams_name_idx" ON "people"."teams" USING btree ("name","id");--> statement-breakpoint
CREATE INDEX "teams_organization_idx" ON "people"."teams" USING btree ("organization_id");--> statement-breakpoint
ALTER TABLE "people"."teams" ADD CONSTRAINT "teams_community_name_unique" UNIQUE("community_id","name");--> statement-breakpoint
ALTER TABLE "people"."persons" ADD CONSTRAINT "persons_phone_mobile" CHECK ("people"."persons"."phone" ~ '^1[3-9][0-9]{9}$');--> statement-breakpoint
ALTER TABLE "people"."persons" ADD CONSTRAINT "persons_id_number_complete" CHECK (("people"."persons"."id_number_sealed" is null) = ("people"."persons"."id_number_lookup" is null) and ("people"."persons"."id_number_lookup" is null) = ("people"."persons"."id_number_masked" is null));--> statement-breakpoint
ALTER TABLE "people"."persons" ADD CONSTRAINT "persons_id_number_masked_form" CHECK ("people"."persons"."id_number_masked" ~ '^[0-9]{3}[*]{11}[0-9]{3}[0-9X]$');--> statement-breakpoint
ALTER TABLE "people"."team_members" ADD CONSTRAINT "team_members_left_after_joining" CHECK ("people"."team_members"."left_at" >= "people"."team_members"."joined_at");--> statement-breakpoint
ALTER TABLE "people"."team_members" ADD CONSTRAINT "team_members_former_not_captain" CHECK ("people"."team_members"."left_at" is null or "people"."team_members"."role" = 'member');--> statement-breakpoint
-- Hand-written from here on: what drizzle-kit does not generate.
-- Each region keeps its ancestors (root first) in `path`. Backfill the rows that predate the column.
WITH RECURSIVE "tree"("id", "path") AS (
  SELECT "id", '{}'::uuid[] FROM "people"."regions" WHERE "parent_id" IS NULL
  UNION ALL
  SELECT "r"."id", "t"."path" || "r"."parent_id" FROM "people"."regions" "r" JOIN "tree" "t" ON "r"."parent_id" = "t"."id"
)
UPDATE "people"."regions" "r" SET "path" = "tree"."path" FROM "tree" WHERE "tree"."id" = "r"."id";--> statement-breakpoint
-- Depth of each kind: a child must lie strictly deeper than its parent (a street and a town are one level).
CREATE FUNCTION "people"."region_rank"(kind "people"."region_kind") RETURNS integer
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE kind
    WHEN 'province' THEN 1 WHEN 'city' THEN 2 WHEN 'district' THEN 3
    WHEN 'street' THEN 4 WHEN 'town' THEN 4 WHEN 'community' THEN 5 WHEN 'village' THEN 5
    WHEN 'compound' THEN 6 WHEN 'building' THEN 7 END
$$;--> statement-breakpoint
-- Sets `path` from the parent's on insert and re-parenting, and refuses a region inside itself or above its parent.
CREATE FUNCTION "people"."regions_set_path"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  parent record;
BEGIN
  IF NEW.parent_id IS NULL THEN
    NEW.path := '{}';
    RETURN NEW;
  END IF;
  SELECT "id", "kind", "path" INTO parent FROM "people"."regions" WHERE "id" = NEW.parent_id;
  IF NOT FOUND THEN
    -- The foreign key refuses the row with its own error.
    RETURN NEW;
  END IF;
  IF NEW.id = parent.id OR NEW.id = ANY (parent.path) THEN
    RAISE EXCEPTION 'region % cannot lie inside itself', NEW.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'regions_no_cycle';
  END IF;
  IF "people"."region_rank"(NEW.kind) <= "people"."region_rank"(parent.kind) THEN
    RAISE EXCEPTION 'a % cannot lie in a %', NEW.kind, parent.kind
      USING ERRCODE = 'check_violation', CONSTRAINT = 'regions_kind_below_parent';
  END IF;
  NEW.path := parent.path || parent.id;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "regions_set_path" BEFORE INSERT OR UPDATE OF "parent_id" ON "people"."regions"
  FOR EACH ROW EXECUTE FUNCTION "people"."regions_set_path"();--> statement-breakpoint
-- After a move, every region below the moved one gets its new ancestors in one statement.
CREATE FUNCTION "people"."regions_move_subtree"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "people"."regions"
    SET "path" = NEW.path || NEW.id || "path"[array_position("path", NEW.id) + 1:]
    WHERE "path" @> ARRAY[NEW.id];
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "regions_move_subtree" AFTER UPDATE OF "parent_id" ON "people"."regions"
  FOR EACH ROW WHEN (OLD.parent_id IS DISTINCT FROM NEW.parent_id) EXECUTE FUNCTION "people"."regions_move_subtree"();--> statement-breakpoint
-- Records that are history: the access log and hardship decisions are never changed; memberships end, never vanish.
CREATE FUNCTION "people"."refuse_history_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'people.% keeps history: % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'restrict_violation';
END
$$;--> statement-breakpoint
CREATE TRIGGER "personal_data_accesses_append_only" BEFORE UPDATE OR DELETE ON "people"."personal_data_accesses"
  FOR EACH ROW EXECUTE FUNCTION "people"."refuse_history_change"();--> statement-breakpoint
CREATE TRIGGER "personal_data_accesses_no_truncate" BEFORE TRUNCATE ON "people"."personal_data_accesses"
  FOR EACH STATEMENT EXECUTE FUNCTION "people"."refuse_history_change"();--> statement-breakpoint
CREATE TRIGGER "hardship_changes_append_only" BEFORE UPDATE OR DELETE ON "people"."hardship_changes"
  FOR EACH ROW EXECUTE FUNCTION "people"."refuse_history_change"();--> statement-breakpoint
CREATE TRIGGER "hardship_changes_no_truncate" BEFORE TRUNCATE ON "people"."hardship_changes"
  FOR EACH STATEMENT EXECUTE FUNCTION "people"."refuse_history_change"();--> statement-breakpoint
CREATE TRIGGER "team_members_keep_history" BEFORE DELETE ON "people"."team_members"
  FOR EACH ROW EXECUTE FUNCTION "people"."refuse_history_change"();--> statement-breakpoint
CREATE TRIGGER "household_members_keep_history" BEFORE DELETE ON "people"."household_members"
  FOR EACH ROW EXECUTE FUNCTION "people"."refuse_history_change"();
