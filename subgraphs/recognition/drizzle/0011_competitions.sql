CREATE TYPE "recognition"."award_level" AS ENUM('gold', 'silver', 'bronze', 'excellence');--> statement-breakpoint
CREATE TYPE "recognition"."competition_stage" AS ENUM('application', 'preliminary', 'final');--> statement-breakpoint
CREATE TABLE "recognition"."competition_criteria" (
	"id" uuid PRIMARY KEY NOT NULL,
	"competition_id" uuid NOT NULL,
	"position" smallint NOT NULL,
	"name" text NOT NULL,
	"weight" smallint NOT NULL,
	CONSTRAINT "competition_criteria_position_unique" UNIQUE("competition_id","position"),
	CONSTRAINT "competition_criteria_name_unique" UNIQUE("competition_id","name"),
	CONSTRAINT "competition_criteria_competition_id_unique" UNIQUE("competition_id","id"),
	CONSTRAINT "competition_criteria_weight_range" CHECK ("recognition"."competition_criteria"."weight" between 1 and 100),
	CONSTRAINT "competition_criteria_name_not_blank" CHECK (length(trim("recognition"."competition_criteria"."name")) > 0)
);
--> statement-breakpoint
CREATE TABLE "recognition"."competition_entries" (
	"competition_id" uuid NOT NULL,
	"project_id" uuid NOT NULL,
	"applied_by" text NOT NULL,
	"applied_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "competition_entries_pk" PRIMARY KEY("competition_id","project_id")
);
--> statement-breakpoint
CREATE TABLE "recognition"."competition_judges" (
	"competition_id" uuid NOT NULL,
	"stage" "recognition"."competition_stage" NOT NULL,
	"judge_id" uuid NOT NULL,
	"assigned_by" text NOT NULL,
	"assigned_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "competition_judges_pk" PRIMARY KEY("competition_id","stage","judge_id"),
	CONSTRAINT "competition_judges_judged_stage" CHECK ("recognition"."competition_judges"."stage" <> 'application')
);
--> statement-breakpoint
CREATE TABLE "recognition"."competition_results" (
	"competition_id" uuid NOT NULL,
	"stage" "recognition"."competition_stage" NOT NULL,
	"project_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"score_hundredths" integer,
	"judges" integer NOT NULL,
	"minutes" integer NOT NULL,
	"advanced" boolean NOT NULL,
	"award_level" "recognition"."award_level",
	"frozen_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "competition_results_pk" PRIMARY KEY("competition_id","stage","project_id"),
	CONSTRAINT "competition_results_position_unique" UNIQUE("competition_id","stage","position"),
	CONSTRAINT "competition_results_award_at_final" CHECK ("recognition"."competition_results"."award_level" is null or "recognition"."competition_results"."stage" = 'final'),
	CONSTRAINT "competition_results_score_range" CHECK ("recognition"."competition_results"."score_hundredths" is null or "recognition"."competition_results"."score_hundredths" between 0 and 10000)
);
--> statement-breakpoint
CREATE TABLE "recognition"."competition_scores" (
	"id" uuid PRIMARY KEY NOT NULL,
	"competition_id" uuid NOT NULL,
	"stage" "recognition"."competition_stage" NOT NULL,
	"judge_id" uuid NOT NULL,
	"project_id" uuid NOT NULL,
	"criterion_id" uuid NOT NULL,
	"score" smallint NOT NULL,
	"scored_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "competition_scores_range" CHECK ("recognition"."competition_scores"."score" between 0 and 100)
);
--> statement-breakpoint
CREATE TABLE "recognition"."competition_stages" (
	"competition_id" uuid NOT NULL,
	"stage" "recognition"."competition_stage" NOT NULL,
	"opened_at" timestamp (3) with time zone,
	"closed_at" timestamp (3) with time zone,
	"closed_by" text,
	CONSTRAINT "competition_stages_pk" PRIMARY KEY("competition_id","stage"),
	CONSTRAINT "competition_stages_closed_after_opening" CHECK ("recognition"."competition_stages"."closed_at" is null or ("recognition"."competition_stages"."opened_at" is not null and "recognition"."competition_stages"."closed_at" >= "recognition"."competition_stages"."opened_at" and "recognition"."competition_stages"."closed_by" is not null))
);
--> statement-breakpoint
CREATE TABLE "recognition"."competitions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"region_id" uuid NOT NULL,
	"final_quota" integer NOT NULL,
	"gold_count" integer NOT NULL,
	"silver_count" integer NOT NULL,
	"bronze_count" integer NOT NULL,
	"excellence_count" integer NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "competitions_title_not_blank" CHECK (length(trim("recognition"."competitions"."title")) > 0),
	CONSTRAINT "competitions_final_quota_positive" CHECK ("recognition"."competitions"."final_quota" between 1 and 1000),
	CONSTRAINT "competitions_award_counts" CHECK (least("recognition"."competitions"."gold_count", "recognition"."competitions"."silver_count", "recognition"."competitions"."bronze_count", "recognition"."competitions"."excellence_count") >= 0
          and "recognition"."competitions"."gold_count" + "recognition"."competitions"."silver_count" + "recognition"."competitions"."bronze_count" + "recognition"."competitions"."excellence_count" between 1 and "recognition"."competitions"."final_quota")
);
--> statement-breakpoint
CREATE TABLE "recognition"."known_teams" (
	"team_id" uuid PRIMARY KEY NOT NULL,
	"community_id" uuid NOT NULL,
	"organization_id" uuid,
	"captain_id" uuid
);
--> statement-breakpoint
CREATE TABLE "recognition"."service_project_activities" (
	"project_id" uuid NOT NULL,
	"activity_id" uuid NOT NULL,
	"linked_by" text NOT NULL,
	"linked_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "service_project_activities_pk" PRIMARY KEY("project_id","activity_id")
);
--> statement-breakpoint
CREATE TABLE "recognition"."service_project_records" (
	"project_id" uuid NOT NULL,
	"service_record_id" uuid NOT NULL,
	"linked_by" text NOT NULL,
	"linked_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "service_project_records_pk" PRIMARY KEY("project_id","service_record_id")
);
--> statement-breakpoint
CREATE TABLE "recognition"."service_projects" (
	"id" uuid PRIMARY KEY NOT NULL,
	"owner_team_id" uuid,
	"owner_organization_id" uuid,
	"name" text NOT NULL,
	"category_code" text NOT NULL,
	"region_id" uuid NOT NULL,
	"description" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "service_projects_region_name_unique" UNIQUE("region_id","name"),
	CONSTRAINT "service_projects_one_owner" CHECK (("recognition"."service_projects"."owner_team_id" is null) <> ("recognition"."service_projects"."owner_organization_id" is null)),
	CONSTRAINT "service_projects_name_not_blank" CHECK (length(trim("recognition"."service_projects"."name")) > 0)
);
--> statement-breakpoint
CREATE TABLE "recognition"."team_members" (
	"team_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"joined_at" timestamp with time zone NOT NULL,
	"left_at" timestamp with time zone,
	CONSTRAINT "team_members_pk" PRIMARY KEY("team_id","person_id")
);
--> statement-breakpoint
ALTER TABLE "recognition"."competition_criteria" ADD CONSTRAINT "competition_criteria_competition_id_competitions_id_fk" FOREIGN KEY ("competition_id") REFERENCES "recognition"."competitions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recognition"."competition_entries" ADD CONSTRAINT "competition_entries_competition_id_competitions_id_fk" FOREIGN KEY ("competition_id") REFERENCES "recognition"."competitions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recognition"."competition_entries" ADD CONSTRAINT "competition_entries_project_id_service_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "recognition"."service_projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recognition"."competition_judges" ADD CONSTRAINT "competition_judges_competition_id_competitions_id_fk" FOREIGN KEY ("competition_id") REFERENCES "recognition"."competitions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recognition"."competition_results" ADD CONSTRAINT "competition_results_entry_fk" FOREIGN KEY ("competition_id","project_id") REFERENCES "recognition"."competition_entries"("competition_id","project_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recognition"."competition_scores" ADD CONSTRAINT "competition_scores_judge_fk" FOREIGN KEY ("competition_id","stage","judge_id") REFERENCES "recognition"."competition_judges"("competition_id","stage","judge_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recognition"."competition_scores" ADD CONSTRAINT "competition_scores_entry_fk" FOREIGN KEY ("competition_id","project_id") REFERENCES "recognition"."competition_entries"("competition_id","project_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recognition"."competition_scores" ADD CONSTRAINT "competition_scores_criterion_fk" FOREIGN KEY ("competition_id","criterion_id") REFERENCES "recognition"."competition_criteria"("competition_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recognition"."competition_stages" ADD CONSTRAINT "competition_stages_competition_id_competitions_id_fk" FOREIGN KEY ("competition_id") REFERENCES "recognition"."competitions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recognition"."service_project_activities" ADD CONSTRAINT "service_project_activities_project_id_service_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "recognition"."service_projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recognition"."service_project_records" ADD CONSTRAINT "service_project_records_project_id_service_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "recognition"."service_projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "competition_entries_project_idx" ON "recognition"."competition_entries" USING btree ("project_id");--> statement-breakpoint
CREATE INDEX "competition_judges_judge_idx" ON "recognition"."competition_judges" USING btree ("judge_id");--> statement-breakpoint
CREATE INDEX "competition_scores_latest_idx" ON "recognition"."competition_scores" USING btree ("competition_id","stage","project_id","judge_id","criterion_id","scored_at");--> statement-breakpoint
CREATE INDEX "competitions_region_created_idx" ON "recognition"."competitions" USING btree ("region_id","created_at","id");--> statement-breakpoint
CREATE INDEX "known_teams_organization_idx" ON "recognition"."known_teams" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "service_projects_owner_team_idx" ON "recognition"."service_projects" USING btree ("owner_team_id");--> statement-breakpoint
CREATE INDEX "service_projects_owner_organization_idx" ON "recognition"."service_projects" USING btree ("owner_organization_id");--> statement-breakpoint
CREATE INDEX "team_members_person_idx" ON "recognition"."team_members" USING btree ("person_id");--> statement-breakpoint
-- Whether a competition's stage is open now: opened, and not closed. The stage row is locked (shared), so a score or
-- an application waits for a close of the stage in flight and then sees it closed, and a close waits for them.
CREATE FUNCTION "recognition"."competition_stage_is_open"(p_competition uuid, p_stage "recognition"."competition_stage") RETURNS boolean
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  open boolean;
BEGIN
  SELECT opened_at IS NOT NULL AND closed_at IS NULL INTO open FROM "recognition"."competition_stages"
   WHERE competition_id = p_competition AND stage = p_stage FOR SHARE;
  RETURN coalesce(open, false);
END;
$$;--> statement-breakpoint
-- What a competition recorded (applications, judges, scores, results, criteria) is never changed or removed: the
-- reviews' refusal (0010_reviews) refuses it.
CREATE TRIGGER "competition_criteria_append_only" BEFORE UPDATE OR DELETE ON "recognition"."competition_criteria"
  FOR EACH ROW EXECUTE FUNCTION "recognition"."reviews_refuse_change"();--> statement-breakpoint
CREATE TRIGGER "competition_entries_append_only" BEFORE UPDATE OR DELETE ON "recognition"."competition_entries"
  FOR EACH ROW EXECUTE FUNCTION "recognition"."reviews_refuse_change"();--> statement-breakpoint
CREATE TRIGGER "competition_judges_append_only" BEFORE UPDATE OR DELETE ON "recognition"."competition_judges"
  FOR EACH ROW EXECUTE FUNCTION "recognition"."reviews_refuse_change"();--> statement-breakpoint
CREATE TRIGGER "competition_scores_append_only" BEFORE UPDATE OR DELETE ON "recognition"."competition_scores"
  FOR EACH ROW EXECUTE FUNCTION "recognition"."reviews_refuse_change"();--> statement-breakpoint
CREATE TRIGGER "competition_scores_no_truncate" BEFORE TRUNCATE ON "recognition"."competition_scores"
  FOR EACH STATEMENT EXECUTE FUNCTION "recognition"."reviews_refuse_change"();--> statement-breakpoint
CREATE TRIGGER "competition_results_append_only" BEFORE UPDATE OR DELETE ON "recognition"."competition_results"
  FOR EACH ROW EXECUTE FUNCTION "recognition"."reviews_refuse_change"();--> statement-breakpoint
CREATE TRIGGER "competition_results_no_truncate" BEFORE TRUNCATE ON "recognition"."competition_results"
  FOR EACH STATEMENT EXECUTE FUNCTION "recognition"."reviews_refuse_change"();--> statement-breakpoint
CREATE TRIGGER "competition_stages_no_delete" BEFORE DELETE ON "recognition"."competition_stages"
  FOR EACH ROW EXECUTE FUNCTION "recognition"."reviews_refuse_change"();--> statement-breakpoint
-- A stage opens once and closes once: a closed stage is never reopened or changed, an opened one never unopened.
CREATE FUNCTION "recognition"."competition_stages_check_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.closed_at IS NOT NULL
     OR (OLD.opened_at IS NOT NULL AND NEW.opened_at IS DISTINCT FROM OLD.opened_at)
     OR NEW.competition_id <> OLD.competition_id OR NEW.stage <> OLD.stage THEN
    RAISE EXCEPTION 'competition % stage % is closed or already open: change refused', OLD.competition_id, OLD.stage
      USING ERRCODE = 'check_violation', CONSTRAINT = 'competition_stages_closed_for_good';
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "competition_stages_closed_for_good" BEFORE UPDATE ON "recognition"."competition_stages"
  FOR EACH ROW EXECUTE FUNCTION "recognition"."competition_stages_check_change"();--> statement-breakpoint
-- Applications only while the application stage is open.
CREATE FUNCTION "recognition"."competition_entries_check_open"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT "recognition"."competition_stage_is_open"(NEW.competition_id, 'application') THEN
    RAISE EXCEPTION 'competition % takes no applications now', NEW.competition_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'competition_entries_application_open';
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "competition_entries_application_open" BEFORE INSERT ON "recognition"."competition_entries"
  FOR EACH ROW EXECUTE FUNCTION "recognition"."competition_entries_check_open"();--> statement-breakpoint
-- Judges are assigned to a stage that has not closed (it may not have opened yet).
CREATE FUNCTION "recognition"."competition_judges_check_open"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM "recognition"."competition_stages"
             WHERE competition_id = NEW.competition_id AND stage = NEW.stage AND closed_at IS NOT NULL) THEN
    RAISE EXCEPTION 'competition % stage % is closed: no judge assigned', NEW.competition_id, NEW.stage
      USING ERRCODE = 'check_violation', CONSTRAINT = 'competition_judges_stage_open';
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "competition_judges_stage_open" BEFORE INSERT ON "recognition"."competition_judges"
  FOR EACH ROW EXECUTE FUNCTION "recognition"."competition_judges_check_open"();--> statement-breakpoint
-- A score is given while its stage is open, and never by a judge on the project's owner side: a current member of
-- the owner team, or of any team of the owner organisation (for a team's project, of the team's organisation).
CREATE FUNCTION "recognition"."competition_scores_check"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT "recognition"."competition_stage_is_open"(NEW.competition_id, NEW.stage) THEN
    RAISE EXCEPTION 'competition % stage % is not open: score refused', NEW.competition_id, NEW.stage
      USING ERRCODE = 'check_violation', CONSTRAINT = 'competition_scores_stage_open';
  END IF;
  IF EXISTS (
    SELECT 1
      FROM "recognition"."service_projects" p
      LEFT JOIN "recognition"."known_teams" owner ON owner.team_id = p.owner_team_id
      JOIN "recognition"."team_members" m ON m.person_id = NEW.judge_id AND m.left_at IS NULL
      LEFT JOIN "recognition"."known_teams" t ON t.team_id = m.team_id
     WHERE p.id = NEW.project_id
       AND (m.team_id = p.owner_team_id OR t.organization_id = coalesce(p.owner_organization_id, owner.organization_id))
  ) THEN
    RAISE EXCEPTION 'judge % is on the owner side of project %', NEW.judge_id, NEW.project_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'competition_scores_conflict_of_interest';
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "competition_scores_check" BEFORE INSERT ON "recognition"."competition_scores"
  FOR EACH ROW EXECUTE FUNCTION "recognition"."competition_scores_check"();--> statement-breakpoint
-- Results are written by the close, before the stage's closed_at is set; a closed stage takes none.
CREATE FUNCTION "recognition"."competition_results_check_open"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT "recognition"."competition_stage_is_open"(NEW.competition_id, NEW.stage) THEN
    RAISE EXCEPTION 'competition % stage % is not open: result refused', NEW.competition_id, NEW.stage
      USING ERRCODE = 'check_violation', CONSTRAINT = 'competition_results_stage_open';
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "competition_results_stage_open" BEFORE INSERT ON "recognition"."competition_results"
  FOR EACH ROW EXECUTE FUNCTION "recognition"."competition_results_check_open"();
