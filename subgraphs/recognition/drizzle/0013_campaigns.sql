CREATE TABLE "recognition"."campaign_categories" (
	"id" uuid PRIMARY KEY NOT NULL,
	"campaign_id" uuid NOT NULL,
	"position" smallint NOT NULL,
	"name" text NOT NULL,
	"subject_kind" text NOT NULL,
	"quota" integer NOT NULL,
	"min_star_level" smallint,
	"min_minutes" integer,
	"region_id" uuid,
	CONSTRAINT "campaign_categories_name_unique" UNIQUE("campaign_id","name"),
	CONSTRAINT "campaign_categories_position_unique" UNIQUE("campaign_id","position"),
	CONSTRAINT "campaign_categories_campaign_kind_key" UNIQUE("id","campaign_id","subject_kind"),
	CONSTRAINT "campaign_categories_quota_key" UNIQUE("id","quota"),
	CONSTRAINT "campaign_categories_subject_kind_known" CHECK ("recognition"."campaign_categories"."subject_kind" in ('volunteer', 'team', 'organization')),
	CONSTRAINT "campaign_categories_quota_range" CHECK ("recognition"."campaign_categories"."quota" between 1 and 1000),
	CONSTRAINT "campaign_categories_min_star_level" CHECK ("recognition"."campaign_categories"."min_star_level" is null or ("recognition"."campaign_categories"."min_star_level" between 1 and 5 and "recognition"."campaign_categories"."subject_kind" = 'volunteer')),
	CONSTRAINT "campaign_categories_min_minutes" CHECK ("recognition"."campaign_categories"."min_minutes" is null or ("recognition"."campaign_categories"."min_minutes" > 0 and "recognition"."campaign_categories"."subject_kind" in ('volunteer', 'team'))),
	CONSTRAINT "campaign_categories_name_not_blank" CHECK (length(trim("recognition"."campaign_categories"."name")) > 0)
);
--> statement-breakpoint
CREATE TABLE "recognition"."campaign_nomination_withdrawals" (
	"nomination_id" uuid PRIMARY KEY NOT NULL,
	"campaign_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"withdrawn_by" text NOT NULL,
	"withdrawn_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaign_nomination_withdrawals_reason_not_blank" CHECK (length(trim("recognition"."campaign_nomination_withdrawals"."reason")) > 0)
);
--> statement-breakpoint
CREATE TABLE "recognition"."campaign_nominations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"campaign_id" uuid NOT NULL,
	"category_id" uuid NOT NULL,
	"subject_kind" text NOT NULL,
	"subject_id" uuid NOT NULL,
	"nominator_kind" text NOT NULL,
	"nominator_person_id" uuid,
	"nominated_by" text NOT NULL,
	"statement" text NOT NULL,
	"display_name" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaign_nominations_subject_unique" UNIQUE("category_id","subject_id"),
	CONSTRAINT "campaign_nominations_category_key" UNIQUE("id","category_id"),
	CONSTRAINT "campaign_nominations_campaign_key" UNIQUE("id","campaign_id"),
	CONSTRAINT "campaign_nominations_nominator_kind_known" CHECK ("recognition"."campaign_nominations"."nominator_kind" in ('admin', 'captain', 'self')),
	CONSTRAINT "campaign_nominations_texts_not_blank" CHECK (length(trim("recognition"."campaign_nominations"."statement")) > 0 and length(trim("recognition"."campaign_nominations"."display_name")) > 0)
);
--> statement-breakpoint
CREATE TABLE "recognition"."campaign_reviewers" (
	"campaign_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"assigned_by" text NOT NULL,
	"assigned_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaign_reviewers_pk" PRIMARY KEY("campaign_id","person_id")
);
--> statement-breakpoint
CREATE TABLE "recognition"."campaign_scores" (
	"nomination_id" uuid NOT NULL,
	"reviewer_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"score" smallint NOT NULL,
	"scored_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaign_scores_pk" PRIMARY KEY("nomination_id","reviewer_id"),
	CONSTRAINT "campaign_scores_range" CHECK ("recognition"."campaign_scores"."score" between 0 and 100)
);
--> statement-breakpoint
CREATE TABLE "recognition"."campaign_stage_changes" (
	"campaign_id" uuid NOT NULL,
	"from_stage" text,
	"to_stage" text NOT NULL,
	"changed_by" text NOT NULL,
	"changed_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaign_stage_changes_pk" PRIMARY KEY("campaign_id","to_stage"),
	CONSTRAINT "campaign_stage_changes_forward" CHECK (array_position(array['draft', 'nominating', 'reviewing', 'published', 'closed'], "recognition"."campaign_stage_changes"."to_stage")
          = coalesce(array_position(array['draft', 'nominating', 'reviewing', 'published', 'closed'], "recognition"."campaign_stage_changes"."from_stage"), 0) + 1)
);
--> statement-breakpoint
CREATE TABLE "recognition"."campaign_winners" (
	"category_id" uuid NOT NULL,
	"slot" integer NOT NULL,
	"quota" integer NOT NULL,
	"campaign_id" uuid NOT NULL,
	"nomination_id" uuid NOT NULL,
	"subject_kind" text NOT NULL,
	"subject_id" uuid NOT NULL,
	"display_name" text NOT NULL,
	"citation" text NOT NULL,
	"score_total" integer NOT NULL,
	"scores" integer NOT NULL,
	"published_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaign_winners_pk" PRIMARY KEY("category_id","slot"),
	CONSTRAINT "campaign_winners_nomination_unique" UNIQUE("nomination_id"),
	CONSTRAINT "campaign_winners_slot_within_quota" CHECK ("recognition"."campaign_winners"."slot" between 1 and "recognition"."campaign_winners"."quota"),
	CONSTRAINT "campaign_winners_texts_not_blank" CHECK (length(trim("recognition"."campaign_winners"."display_name")) > 0 and length(trim("recognition"."campaign_winners"."citation")) > 0)
);
--> statement-breakpoint
CREATE TABLE "recognition"."campaigns" (
	"id" uuid PRIMARY KEY NOT NULL,
	"region_id" uuid NOT NULL,
	"region_chain" uuid[] NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"year" integer NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"self_application" boolean NOT NULL,
	"stage" text DEFAULT 'draft' NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaigns_stage_known" CHECK ("recognition"."campaigns"."stage" in ('draft', 'nominating', 'reviewing', 'published', 'closed')),
	CONSTRAINT "campaigns_year_range" CHECK ("recognition"."campaigns"."year" between 2000 and 2100),
	CONSTRAINT "campaigns_period_months" CHECK (extract(day from "recognition"."campaigns"."period_start") = 1 and extract(day from "recognition"."campaigns"."period_end") = 1 and "recognition"."campaigns"."period_start" < "recognition"."campaigns"."period_end"),
	CONSTRAINT "campaigns_texts_not_blank" CHECK (length(trim("recognition"."campaigns"."title")) > 0 and length(trim("recognition"."campaigns"."description")) > 0),
	CONSTRAINT "campaigns_chain_ends_with_region" CHECK ("recognition"."campaigns"."region_chain"[array_length("recognition"."campaigns"."region_chain", 1)] = "recognition"."campaigns"."region_id")
);
--> statement-breakpoint
CREATE TABLE "recognition"."honour_title_withdrawals" (
	"title_id" uuid PRIMARY KEY NOT NULL,
	"reason" text NOT NULL,
	"withdrawn_by" text NOT NULL,
	"withdrawn_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "honour_title_withdrawals_reason_not_blank" CHECK (length(trim("recognition"."honour_title_withdrawals"."reason")) > 0)
);
--> statement-breakpoint
CREATE TABLE "recognition"."honour_titles" (
	"id" uuid PRIMARY KEY NOT NULL,
	"person_id" uuid NOT NULL,
	"title" text NOT NULL,
	"source" text NOT NULL,
	"awarded_on" date NOT NULL,
	"recorded_by" text NOT NULL,
	"recorded_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "honour_titles_unique" UNIQUE("person_id","title","source","awarded_on"),
	CONSTRAINT "honour_titles_texts_not_blank" CHECK (length(trim("recognition"."honour_titles"."title")) > 0 and length(trim("recognition"."honour_titles"."source")) > 0)
);
--> statement-breakpoint
ALTER TABLE "recognition"."campaign_categories" ADD CONSTRAINT "campaign_categories_campaign_fk" FOREIGN KEY ("campaign_id") REFERENCES "recognition"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recognition"."campaign_nomination_withdrawals" ADD CONSTRAINT "campaign_nomination_withdrawals_nomination_fk" FOREIGN KEY ("nomination_id","campaign_id") REFERENCES "recognition"."campaign_nominations"("id","campaign_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recognition"."campaign_nominations" ADD CONSTRAINT "campaign_nominations_category_fk" FOREIGN KEY ("category_id","campaign_id","subject_kind") REFERENCES "recognition"."campaign_categories"("id","campaign_id","subject_kind") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recognition"."campaign_reviewers" ADD CONSTRAINT "campaign_reviewers_campaign_fk" FOREIGN KEY ("campaign_id") REFERENCES "recognition"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recognition"."campaign_scores" ADD CONSTRAINT "campaign_scores_nomination_fk" FOREIGN KEY ("nomination_id","campaign_id") REFERENCES "recognition"."campaign_nominations"("id","campaign_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recognition"."campaign_scores" ADD CONSTRAINT "campaign_scores_reviewer_fk" FOREIGN KEY ("campaign_id","reviewer_id") REFERENCES "recognition"."campaign_reviewers"("campaign_id","person_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recognition"."campaign_stage_changes" ADD CONSTRAINT "campaign_stage_changes_campaign_fk" FOREIGN KEY ("campaign_id") REFERENCES "recognition"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recognition"."campaign_winners" ADD CONSTRAINT "campaign_winners_quota_fk" FOREIGN KEY ("category_id","quota") REFERENCES "recognition"."campaign_categories"("id","quota") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recognition"."campaign_winners" ADD CONSTRAINT "campaign_winners_nomination_fk" FOREIGN KEY ("nomination_id","category_id") REFERENCES "recognition"."campaign_nominations"("id","category_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recognition"."honour_title_withdrawals" ADD CONSTRAINT "honour_title_withdrawals_title_fk" FOREIGN KEY ("title_id") REFERENCES "recognition"."honour_titles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "campaign_nominations_campaign_idx" ON "recognition"."campaign_nominations" USING btree ("campaign_id","created_at");--> statement-breakpoint
CREATE INDEX "campaign_nominations_nominator_idx" ON "recognition"."campaign_nominations" USING btree ("nominator_person_id");--> statement-breakpoint
CREATE INDEX "campaign_reviewers_person_idx" ON "recognition"."campaign_reviewers" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "campaign_winners_campaign_idx" ON "recognition"."campaign_winners" USING btree ("campaign_id");--> statement-breakpoint
CREATE INDEX "campaign_winners_subject_idx" ON "recognition"."campaign_winners" USING btree ("subject_id");--> statement-breakpoint
CREATE INDEX "campaigns_year_idx" ON "recognition"."campaigns" USING btree ("year","created_at");--> statement-breakpoint
CREATE INDEX "campaigns_region_chain_idx" ON "recognition"."campaigns" USING gin ("region_chain");--> statement-breakpoint
-- Campaigns and honour titles are records: rows are added, never changed or removed (a withdrawal is a row of its own). The reviews' refusal (0010_reviews) refuses changes.
-- A campaign's row changes only by its stage moving one step forward; nothing else of it ever changes.
CREATE FUNCTION "recognition"."campaigns_stage_forward"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  stages text[] := array['draft', 'nominating', 'reviewing', 'published', 'closed'];
BEGIN
  IF (to_jsonb(NEW) - 'stage') IS DISTINCT FROM (to_jsonb(OLD) - 'stage') THEN
    RAISE EXCEPTION 'recognition.campaigns: only the stage of a campaign changes' USING ERRCODE = 'restrict_violation';
  END IF;
  IF array_position(stages, NEW.stage) IS DISTINCT FROM array_position(stages, OLD.stage) + 1 THEN
    RAISE EXCEPTION 'recognition.campaigns: a campaign moves one stage forward at a time (% to % refused)', OLD.stage, NEW.stage
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
-- Rows of a campaign are added only in the stages that take them (the trigger's arguments); a CLOSED campaign takes none.
CREATE FUNCTION "recognition"."campaigns_require_stage"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  current_stage text;
BEGIN
  SELECT stage INTO current_stage FROM "recognition"."campaigns" WHERE id = NEW.campaign_id;
  IF current_stage IS NULL OR NOT (current_stage = ANY (TG_ARGV)) THEN
    RAISE EXCEPTION 'recognition.%: refused while the campaign is %', TG_TABLE_NAME, coalesce(current_stage, 'unknown')
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
-- A withdrawn nomination is neither scored nor a winner.
CREATE FUNCTION "recognition"."campaigns_require_standing_nomination"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM "recognition"."campaign_nomination_withdrawals" WHERE nomination_id = NEW.nomination_id) THEN
    RAISE EXCEPTION 'recognition.%: the nomination was withdrawn', TG_TABLE_NAME USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "campaigns_stage_forward" BEFORE UPDATE ON "recognition"."campaigns"
  FOR EACH ROW EXECUTE FUNCTION "recognition"."campaigns_stage_forward"();--> statement-breakpoint
CREATE TRIGGER "campaigns_no_delete" BEFORE DELETE ON "recognition"."campaigns"
  FOR EACH ROW EXECUTE FUNCTION "recognition"."reviews_refuse_change"();--> statement-breakpoint
CREATE TRIGGER "campaigns_no_truncate" BEFORE TRUNCATE ON "recognition"."campaigns"
  FOR EACH STATEMENT EXECUTE FUNCTION "recognition"."reviews_refuse_change"();--> statement-breakpoint
CREATE TRIGGER "campaign_stage_changes_append_only" BEFORE UPDATE OR DELETE ON "recognition"."campaign_stage_changes"
  FOR EACH ROW EXECUTE FUNCTION "recognition"."reviews_refuse_change"();--> statement-breakpoint
CREATE TRIGGER "campaign_stage_changes_no_truncate" BEFORE TRUNCATE ON "recognition"."campaign_stage_changes"
  FOR EACH STATEMENT EXECUTE FUNCTION "recognition"."reviews_refuse_change"();--> statement-breakpoint
CREATE TRIGGER "campaign_categories_append_only" BEFORE UPDATE OR DELETE ON "recognition"."campaign_categories"
  FOR EACH ROW EXECUTE FUNCTION "recognition"."reviews_refuse_change"();--> statement-breakpoint
CREATE TRIGGER "campaign_categories_no_truncate" BEFORE TRUNCATE ON "recognition"."campaign_categories"
  FOR EACH STATEMENT EXECUTE FUNCTION "recognition"."reviews_refuse_change"();--> statement-breakpoint
CREATE TRIGGER "campaign_categories_stage" BEFORE INSERT ON "recognition"."campaign_categories"
  FOR EACH ROW EXECUTE FUNCTION "recognition"."campaigns_require_stage"('draft');--> statement-breakpoint
CREATE TRIGGER "campaign_reviewers_append_only" BEFORE UPDATE OR DELETE ON "recognition"."campaign_reviewers"
  FOR EACH ROW EXECUTE FUNCTION "recognition"."reviews_refuse_change"();--> statement-breakpoint
CREATE TRIGGER "campaign_reviewers_no_truncate" BEFORE TRUNCATE ON "recognition"."campaign_reviewers"
  FOR EACH STATEMENT EXECUTE FUNCTION "recognition"."reviews_refuse_change"();--> statement-breakpoint
CREATE TRIGGER "campaign_reviewers_stage" BEFORE INSERT ON "recognition"."campaign_reviewers"
  FOR EACH ROW EXECUTE FUNCTION "recognition"."campaigns_require_stage"('draft', 'nominating', 'reviewing');--> statement-breakpoint
CREATE TRIGGER "campaign_nominations_append_only" BEFORE UPDATE OR DELETE ON "recognition"."campaign_nominations"
  FOR EACH ROW EXECUTE FUNCTION "recognition"."reviews_refuse_change"();--> statement-breakpoint
CREATE TRIGGER "campaign_nominations_no_truncate" BEFORE TRUNCATE ON "recognition"."campaign_nominations"
  FOR EACH STATEMENT EXECUTE FUNCTION "recognition"."reviews_refuse_change"();--> statement-breakpoint
CREATE TRIGGER "campaign_nominations_stage" BEFORE INSERT ON "recognition"."campaign_nominations"
  FOR EACH ROW EXECUTE FUNCTION "recognition"."campaigns_require_stage"('nominating');--> statement-breakpoint
CREATE TRIGGER "campaign_nomination_withdrawals_append_only" BEFORE UPDATE OR DELETE ON "recognition"."campaign_nomination_withdrawals"
  FOR EACH ROW EXECUTE FUNCTION "recognition"."reviews_refuse_change"();--> statement-breakpoint
CREATE TRIGGER "campaign_nomination_withdrawals_no_truncate" BEFORE TRUNCATE ON "recognition"."campaign_nomination_withdrawals"
  FOR EACH STATEMENT EXECUTE FUNCTION "recognition"."reviews_refuse_change"();--> statement-breakpoint
CREATE TRIGGER "campaign_nomination_withdrawals_stage" BEFORE INSERT ON "recognition"."campaign_nomination_withdrawals"
  FOR EACH ROW EXECUTE FUNCTION "recognition"."campaigns_require_stage"('nominating');--> statement-breakpoint
CREATE TRIGGER "campaign_scores_append_only" BEFORE UPDATE OR DELETE ON "recognition"."campaign_scores"
  FOR EACH ROW EXECUTE FUNCTION "recognition"."reviews_refuse_change"();--> statement-breakpoint
CREATE TRIGGER "campaign_scores_no_truncate" BEFORE TRUNCATE ON "recognition"."campaign_scores"
  FOR EACH STATEMENT EXECUTE FUNCTION "recognition"."reviews_refuse_change"();--> statement-breakpoint
CREATE TRIGGER "campaign_scores_stage" BEFORE INSERT ON "recognition"."campaign_scores"
  FOR EACH ROW EXECUTE FUNCTION "recognition"."campaigns_require_stage"('reviewing');--> statement-breakpoint
CREATE TRIGGER "campaign_scores_standing" BEFORE INSERT ON "recognition"."campaign_scores"
  FOR EACH ROW EXECUTE FUNCTION "recognition"."campaigns_require_standing_nomination"();--> statement-breakpoint
CREATE TRIGGER "campaign_winners_append_only" BEFORE UPDATE OR DELETE ON "recognition"."campaign_winners"
  FOR EACH ROW EXECUTE FUNCTION "recognition"."reviews_refuse_change"();--> statement-breakpoint
CREATE TRIGGER "campaign_winners_no_truncate" BEFORE TRUNCATE ON "recognition"."campaign_winners"
  FOR EACH STATEMENT EXECUTE FUNCTION "recognition"."reviews_refuse_change"();--> statement-breakpoint
-- Winners are written by the publishing transaction, before it moves the campaign on to PUBLISHED.
CREATE TRIGGER "campaign_winners_stage" BEFORE INSERT ON "recognition"."campaign_winners"
  FOR EACH ROW EXECUTE FUNCTION "recognition"."campaigns_require_stage"('reviewing');--> statement-breakpoint
CREATE TRIGGER "campaign_winners_standing" BEFORE INSERT ON "recognition"."campaign_winners"
  FOR EACH ROW EXECUTE FUNCTION "recognition"."campaigns_require_standing_nomination"();--> statement-breakpoint
CREATE TRIGGER "honour_titles_append_only" BEFORE UPDATE OR DELETE ON "recognition"."honour_titles"
  FOR EACH ROW EXECUTE FUNCTION "recognition"."reviews_refuse_change"();--> statement-breakpoint
CREATE TRIGGER "honour_titles_no_truncate" BEFORE TRUNCATE ON "recognition"."honour_titles"
  FOR EACH STATEMENT EXECUTE FUNCTION "recognition"."reviews_refuse_change"();--> statement-breakpoint
CREATE TRIGGER "honour_title_withdrawals_append_only" BEFORE UPDATE OR DELETE ON "recognition"."honour_title_withdrawals"
  FOR EACH ROW EXECUTE FUNCTION "recognition"."reviews_refuse_change"();--> statement-breakpoint
CREATE TRIGGER "honour_title_withdrawals_no_truncate" BEFORE TRUNCATE ON "recognition"."honour_title_withdrawals"
  FOR EACH STATEMENT EXECUTE FUNCTION "recognition"."reviews_refuse_change"();
