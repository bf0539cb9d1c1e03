CREATE TYPE "points"."central_exchange_decision" AS ENUM('accepted', 'declined');--> statement-breakpoint
CREATE TABLE "points"."central_exchange_recommendation_decisions" (
	"recommendation_id" uuid NOT NULL,
	"decision" "points"."central_exchange_decision" NOT NULL,
	"reason" text,
	"decided_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"decided_by" text NOT NULL,
	"decided_by_person_id" uuid,
	CONSTRAINT "central_exchange_recommendation_decisions_once" PRIMARY KEY("recommendation_id"),
	CONSTRAINT "central_exchange_recommendation_decisions_reason_length" CHECK ("points"."central_exchange_recommendation_decisions"."reason" is null or char_length(trim("points"."central_exchange_recommendation_decisions"."reason")) between 1 and 500)
);
--> statement-breakpoint
CREATE TABLE "points"."central_exchange_recommendations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"bank_id" uuid NOT NULL,
	"bank_kind" "points"."bank_unit_kind" GENERATED ALWAYS AS ('head_bank'::points.bank_unit_kind) STORED NOT NULL,
	"year" integer NOT NULL,
	"account_id" uuid NOT NULL,
	"holder_id" uuid NOT NULL,
	"office_id" uuid NOT NULL,
	"office_kind" "points"."bank_unit_kind" GENERATED ALWAYS AS ('savings_office'::points.bank_unit_kind) STORED NOT NULL,
	"balance" bigint NOT NULL,
	"threshold" bigint NOT NULL,
	"review_id" uuid NOT NULL,
	"ends_at" timestamp (3) with time zone NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	CONSTRAINT "central_exchange_recommendations_once_per_year" UNIQUE("bank_id","year","account_id"),
	CONSTRAINT "central_exchange_recommendations_year_range" CHECK ("points"."central_exchange_recommendations"."year" between 2000 and 2100),
	CONSTRAINT "central_exchange_recommendations_threshold_not_negative" CHECK ("points"."central_exchange_recommendations"."threshold" >= 0),
	CONSTRAINT "central_exchange_recommendations_balance_reaches_threshold" CHECK ("points"."central_exchange_recommendations"."balance" > 0 and "points"."central_exchange_recommendations"."balance" >= "points"."central_exchange_recommendations"."threshold")
);
--> statement-breakpoint
ALTER TABLE "points"."central_exchange_recommendation_decisions" ADD CONSTRAINT "central_exchange_recommendation_decisions_recommendation_fk" FOREIGN KEY ("recommendation_id") REFERENCES "points"."central_exchange_recommendations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points"."central_exchange_recommendations" ADD CONSTRAINT "central_exchange_recommendations_bank_fk" FOREIGN KEY ("bank_id","bank_kind") REFERENCES "points"."bank_units"("id","kind") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points"."central_exchange_recommendations" ADD CONSTRAINT "central_exchange_recommendations_office_fk" FOREIGN KEY ("office_id","office_kind","bank_id") REFERENCES "points"."bank_units"("id","kind","bank_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points"."central_exchange_recommendations" ADD CONSTRAINT "central_exchange_recommendations_account_fk" FOREIGN KEY ("account_id","holder_id","office_id") REFERENCES "points"."accounts"("id","holder_id","office_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "central_exchange_recommendations_list_idx" ON "points"."central_exchange_recommendations" USING btree ("bank_id","year","balance","id");