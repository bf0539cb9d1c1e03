CREATE TABLE "recognition"."badge_revocations" (
	"award_id" uuid PRIMARY KEY NOT NULL,
	"revoked_by" text NOT NULL,
	"reason" text NOT NULL,
	"revoked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "badge_revocations_reason_not_blank" CHECK (length(trim("recognition"."badge_revocations"."reason")) > 0)
);
--> statement-breakpoint
CREATE TABLE "recognition"."badge_rules" (
	"id" uuid PRIMARY KEY NOT NULL,
	"badge_code" text NOT NULL,
	"kind" text NOT NULL,
	"min_count" integer,
	"min_minutes" integer,
	"min_average_hundredths" integer,
	"window_days" integer,
	"period" text,
	"region_id" uuid,
	"bank_id" uuid,
	"valid_from" date NOT NULL,
	"valid_to" date,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone,
	"retired_by" text,
	"retire_reason" text,
	"backfill_done_at" timestamp with time zone,
	"backfill_cursor" uuid,
	"backfill_persons" integer DEFAULT 0 NOT NULL,
	"backfill_awards" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "badge_rules_kind_known" CHECK ("recognition"."badge_rules"."kind" in ('team_served', 'services', 'activities', 'rating', 'hours', 'admin')),
	CONSTRAINT "badge_rules_period_known" CHECK ("recognition"."badge_rules"."period" is null or "recognition"."badge_rules"."period" in ('month', 'quarter', 'year')),
	CONSTRAINT "badge_rules_one_scope" CHECK ("recognition"."badge_rules"."region_id" is null or "recognition"."badge_rules"."bank_id" is null),
	CONSTRAINT "badge_rules_validity" CHECK ("recognition"."badge_rules"."valid_to" is null or "recognition"."badge_rules"."valid_to" >= "recognition"."badge_rules"."valid_from"),
	CONSTRAINT "badge_rules_parameters" CHECK (case "recognition"."badge_rules"."kind"
        when 'team_served' then "recognition"."badge_rules"."min_count" > 0 and "recognition"."badge_rules"."min_minutes" is null and "recognition"."badge_rules"."min_average_hundredths" is null and "recognition"."badge_rules"."window_days" is null
        when 'services' then "recognition"."badge_rules"."min_count" > 0 and "recognition"."badge_rules"."min_minutes" is null and "recognition"."badge_rules"."min_average_hundredths" is null
          and ("recognition"."badge_rules"."window_days" is null or ("recognition"."badge_rules"."window_days" between 1 and 366 and "recognition"."badge_rules"."period" is null))
        when 'activities' then "recognition"."badge_rules"."min_count" > 0 and "recognition"."badge_rules"."min_minutes" is null and "recognition"."badge_rules"."min_average_hundredths" is null and "recognition"."badge_rules"."window_days" is null
        when 'rating' then "recognition"."badge_rules"."min_count" > 0 and "recognition"."badge_rules"."min_average_hundredths" between 100 and 500 and "recognition"."badge_rules"."min_minutes" is null and "recognition"."badge_rules"."window_days" is null
        when 'hours' then "recognition"."badge_rules"."min_minutes" > 0 and "recognition"."badge_rules"."min_count" is null and "recognition"."badge_rules"."min_average_hundredths" is null and "recognition"."badge_rules"."window_days" is null
        when 'admin' then "recognition"."badge_rules"."min_count" is null and "recognition"."badge_rules"."min_minutes" is null and "recognition"."badge_rules"."min_average_hundredths" is null and "recognition"."badge_rules"."window_days" is null
      end),
	CONSTRAINT "badge_rules_retired_with_reason" CHECK (("recognition"."badge_rules"."retired_at" is null) = ("recognition"."badge_rules"."retire_reason" is null))
);
--> statement-breakpoint
CREATE TABLE "recognition"."team_memberships" (
	"team_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"joined_at" timestamp with time zone NOT NULL,
	CONSTRAINT "team_memberships_pk" PRIMARY KEY("person_id","team_id")
);
--> statement-breakpoint
ALTER TABLE "recognition"."badge_awards" DROP CONSTRAINT "badge_awards_badge_holder_unique";--> statement-breakpoint
ALTER TABLE "recognition"."badge_awards" ADD COLUMN "rule_id" uuid;--> statement-breakpoint
ALTER TABLE "recognition"."badge_awards" ADD COLUMN "period_start" date;--> statement-breakpoint
ALTER TABLE "recognition"."badge_awards" ADD COLUMN "tally" jsonb;--> statement-breakpoint
ALTER TABLE "recognition"."badge_awards" ADD COLUMN "awarded_by" text;--> statement-breakpoint
ALTER TABLE "recognition"."badge_awards" ADD COLUMN "reason" text;--> statement-breakpoint
ALTER TABLE "recognition"."badge_revocations" ADD CONSTRAINT "badge_revocations_award_id_badge_awards_id_fk" FOREIGN KEY ("award_id") REFERENCES "recognition"."badge_awards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recognition"."badge_rules" ADD CONSTRAINT "badge_rules_badge_code_badge_kinds_code_fk" FOREIGN KEY ("badge_code") REFERENCES "recognition"."badge_kinds"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "badge_rules_kind_idx" ON "recognition"."badge_rules" USING btree ("kind") WHERE "recognition"."badge_rules"."retired_at" is null;--> statement-breakpoint
ALTER TABLE "recognition"."badge_awards" ADD CONSTRAINT "badge_awards_rule_id_badge_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "recognition"."badge_rules"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "badge_awards_rule_holder_period_unique" ON "recognition"."badge_awards" USING btree ("rule_id","holder_id",coalesce("period_start", '0001-01-01'::date)) WHERE "recognition"."badge_awards"."rule_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "badge_awards_badge_holder_unique" ON "recognition"."badge_awards" USING btree ("badge_code","holder_id") WHERE "recognition"."badge_awards"."rule_id" is null;--> statement-breakpoint
ALTER TABLE "recognition"."badge_awards" ADD CONSTRAINT "badge_awards_admin_reason" CHECK (("recognition"."badge_awards"."awarded_by" is null) = ("recognition"."badge_awards"."reason" is null));--> statement-breakpoint
-- The rules every install starts with (docs/recognition.md, "Badges"); their backfill runs once the job first ticks.
INSERT INTO "recognition"."badge_kinds" ("code", "name", "description") VALUES
	('team_served', '服务队服务徽章', 'Awarded for joining a volunteer service team and serving with it.');--> statement-breakpoint
UPDATE "recognition"."badge_kinds" SET "description" = 'Awarded for four services or more in one month; earned again each month.' WHERE "code" = 'active_volunteer';--> statement-breakpoint
UPDATE "recognition"."badge_kinds" SET "description" = 'Awarded for an average rating of 4.5 or more over at least ten ratings from the residents served.' WHERE "code" = 'well_rated';--> statement-breakpoint
INSERT INTO "recognition"."badge_rules" ("id", "badge_code", "kind", "min_count", "min_minutes", "min_average_hundredths", "period", "valid_from", "created_by") VALUES
	('0197a000-0000-7000-8000-000000000001', 'team_served', 'team_served', 1, NULL, NULL, NULL, '2020-01-01', 'migration'),
	('0197a000-0000-7000-8000-000000000002', 'active_volunteer', 'services', 4, NULL, NULL, 'month', '2020-01-01', 'migration'),
	('0197a000-0000-7000-8000-000000000003', 'well_rated', 'rating', 10, NULL, 450, NULL, '2020-01-01', 'migration');
