CREATE TYPE "points"."deposit_decision_status" AS ENUM('no_account', 'no_rule', 'too_short', 'reversed');--> statement-breakpoint
CREATE TABLE "points"."deposit_decisions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"service_record_id" uuid NOT NULL,
	"status" "points"."deposit_decision_status" NOT NULL,
	"reason" text NOT NULL,
	"points_per_hour" integer,
	"decided_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"decided_by" text NOT NULL,
	CONSTRAINT "deposit_decisions_once_per_status" UNIQUE("service_record_id","status"),
	CONSTRAINT "deposit_decisions_rate_iff_too_short" CHECK (("points"."deposit_decisions"."status" = 'too_short') = ("points"."deposit_decisions"."points_per_hour" is not null)),
	CONSTRAINT "deposit_decisions_rate_positive" CHECK ("points"."deposit_decisions"."points_per_hour" is null or "points"."deposit_decisions"."points_per_hour" > 0),
	CONSTRAINT "deposit_decisions_reason_length" CHECK (char_length(trim("points"."deposit_decisions"."reason")) between 1 and 500)
);
--> statement-breakpoint
ALTER TABLE "points"."deposit_decisions" ADD CONSTRAINT "deposit_decisions_service_record_id_service_records_id_fk" FOREIGN KEY ("service_record_id") REFERENCES "points"."service_records"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Hand-written: a decision stands as it was made; what follows it (a deposit by staff, a reversal) is a row of its own.
CREATE TRIGGER "deposit_decisions_append_only" BEFORE UPDATE OR DELETE ON "points"."deposit_decisions"
  FOR EACH ROW EXECUTE FUNCTION "points"."refuse_ledger_change"();--> statement-breakpoint
CREATE TRIGGER "deposit_decisions_no_truncate" BEFORE TRUNCATE ON "points"."deposit_decisions"
  FOR EACH STATEMENT EXECUTE FUNCTION "points"."refuse_ledger_change"();
