CREATE TABLE "recognition"."office_rating_schemes" (
	"bank_id" uuid PRIMARY KEY NOT NULL,
	"weight_accounts" smallint NOT NULL,
	"weight_hours" smallint NOT NULL,
	"weight_projects" smallint NOT NULL,
	"weight_redeemed" smallint NOT NULL,
	"weight_merchants" smallint NOT NULL,
	"thresholds" smallint[] NOT NULL,
	"quota_1" integer,
	"quota_2" integer,
	"quota_3" integer,
	"quota_4" integer,
	"quota_5" integer,
	"set_by" text NOT NULL,
	"set_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "office_rating_schemes_weights" CHECK ("recognition"."office_rating_schemes"."weight_accounts" >= 0 and "recognition"."office_rating_schemes"."weight_hours" >= 0 and "recognition"."office_rating_schemes"."weight_projects" >= 0 and "recognition"."office_rating_schemes"."weight_redeemed" >= 0 and "recognition"."office_rating_schemes"."weight_merchants" >= 0
        and "recognition"."office_rating_schemes"."weight_accounts" + "recognition"."office_rating_schemes"."weight_hours" + "recognition"."office_rating_schemes"."weight_projects" + "recognition"."office_rating_schemes"."weight_redeemed" + "recognition"."office_rating_schemes"."weight_merchants" = 100),
	CONSTRAINT "office_rating_schemes_thresholds" CHECK (cardinality("recognition"."office_rating_schemes"."thresholds") = 5 and array_position("recognition"."office_rating_schemes"."thresholds", null) is null and "recognition"."office_rating_schemes"."thresholds"[1] >= 0 and "recognition"."office_rating_schemes"."thresholds"[5] <= 100
        and "recognition"."office_rating_schemes"."thresholds"[1] <= "recognition"."office_rating_schemes"."thresholds"[2] and "recognition"."office_rating_schemes"."thresholds"[2] <= "recognition"."office_rating_schemes"."thresholds"[3]
        and "recognition"."office_rating_schemes"."thresholds"[3] <= "recognition"."office_rating_schemes"."thresholds"[4] and "recognition"."office_rating_schemes"."thresholds"[4] <= "recognition"."office_rating_schemes"."thresholds"[5]),
	CONSTRAINT "office_rating_schemes_quotas" CHECK ("recognition"."office_rating_schemes"."quota_1" >= 0 and "recognition"."office_rating_schemes"."quota_2" >= 0 and "recognition"."office_rating_schemes"."quota_3" >= 0 and "recognition"."office_rating_schemes"."quota_4" >= 0 and "recognition"."office_rating_schemes"."quota_5" >= 0)
);
--> statement-breakpoint
CREATE TABLE "recognition"."office_ratings" (
	"review_id" uuid NOT NULL,
	"office_id" uuid NOT NULL,
	"bank_id" uuid NOT NULL,
	"year" smallint NOT NULL,
	"stars" smallint NOT NULL,
	"rank" integer NOT NULL,
	"offices" integer NOT NULL,
	"score_hundredths" integer NOT NULL,
	"indicators" jsonb NOT NULL,
	"explanation" text NOT NULL,
	CONSTRAINT "office_ratings_pk" PRIMARY KEY("review_id","office_id"),
	CONSTRAINT "office_ratings_office_year" UNIQUE("office_id","year"),
	CONSTRAINT "office_ratings_ranges" CHECK ("recognition"."office_ratings"."stars" between 0 and 5 and "recognition"."office_ratings"."rank" between 1 and "recognition"."office_ratings"."offices" and "recognition"."office_ratings"."score_hundredths" between 0 and 10000)
);
--> statement-breakpoint
CREATE TABLE "recognition"."review_cycles" (
	"id" uuid PRIMARY KEY NOT NULL,
	"bank_id" uuid NOT NULL,
	"bucket" text NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"closed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_by" text NOT NULL,
	CONSTRAINT "review_cycles_period" UNIQUE("bank_id","bucket","period_start"),
	CONSTRAINT "review_cycles_period_shape" CHECK (extract(day from "recognition"."review_cycles"."period_start") = 1 and "recognition"."review_cycles"."period_end" = "recognition"."review_cycles"."period_start" + (case "recognition"."review_cycles"."bucket" when 'month' then interval '1 month' when 'quarter' then interval '3 months' else interval '1 year' end)
        and ("recognition"."review_cycles"."bucket" <> 'quarter' or extract(month from "recognition"."review_cycles"."period_start") in (1, 4, 7, 10))
        and ("recognition"."review_cycles"."bucket" <> 'year' or extract(month from "recognition"."review_cycles"."period_start") = 1))
);
--> statement-breakpoint
CREATE TABLE "recognition"."review_rankings" (
	"review_id" uuid NOT NULL,
	"subject" text NOT NULL,
	"kind" text NOT NULL,
	"subject_id" uuid NOT NULL,
	"rank" integer NOT NULL,
	"value" bigint NOT NULL,
	"ratings" integer NOT NULL,
	CONSTRAINT "review_rankings_pk" PRIMARY KEY("review_id","subject","kind","subject_id"),
	CONSTRAINT "review_rankings_rank_positive" CHECK ("recognition"."review_rankings"."rank" >= 1 and "recognition"."review_rankings"."value" >= 0 and "recognition"."review_rankings"."ratings" >= 0)
);
--> statement-breakpoint
ALTER TABLE "recognition"."office_ratings" ADD CONSTRAINT "office_ratings_review_fk" FOREIGN KEY ("review_id") REFERENCES "recognition"."review_cycles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recognition"."review_rankings" ADD CONSTRAINT "review_rankings_review_fk" FOREIGN KEY ("review_id") REFERENCES "recognition"."review_cycles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "review_rankings_board_idx" ON "recognition"."review_rankings" USING btree ("review_id","subject","kind","rank");--> statement-breakpoint
-- A closed review is a record of what was: its cycle, rankings and ratings are never changed or removed.
CREATE FUNCTION "recognition"."reviews_refuse_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'recognition.% is append-only: % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'restrict_violation';
END;
$$;--> statement-breakpoint
CREATE TRIGGER "review_cycles_append_only" BEFORE UPDATE OR DELETE ON "recognition"."review_cycles"
  FOR EACH ROW EXECUTE FUNCTION "recognition"."reviews_refuse_change"();--> statement-breakpoint
CREATE TRIGGER "review_cycles_no_truncate" BEFORE TRUNCATE ON "recognition"."review_cycles"
  FOR EACH STATEMENT EXECUTE FUNCTION "recognition"."reviews_refuse_change"();--> statement-breakpoint
CREATE TRIGGER "review_rankings_append_only" BEFORE UPDATE OR DELETE ON "recognition"."review_rankings"
  FOR EACH ROW EXECUTE FUNCTION "recognition"."reviews_refuse_change"();--> statement-breakpoint
CREATE TRIGGER "review_rankings_no_truncate" BEFORE TRUNCATE ON "recognition"."review_rankings"
  FOR EACH STATEMENT EXECUTE FUNCTION "recognition"."reviews_refuse_change"();--> statement-breakpoint
CREATE TRIGGER "office_ratings_append_only" BEFORE UPDATE OR DELETE ON "recognition"."office_ratings"
  FOR EACH ROW EXECUTE FUNCTION "recognition"."reviews_refuse_change"();--> statement-breakpoint
CREATE TRIGGER "office_ratings_no_truncate" BEFORE TRUNCATE ON "recognition"."office_ratings"
  FOR EACH STATEMENT EXECUTE FUNCTION "recognition"."reviews_refuse_change"();
