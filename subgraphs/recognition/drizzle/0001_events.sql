CREATE TABLE "recognition"."counted_services" (
	"service_record_id" uuid PRIMARY KEY NOT NULL,
	"person_id" uuid NOT NULL,
	"minutes" integer NOT NULL,
	"counted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reversed_at" timestamp with time zone,
	CONSTRAINT "counted_services_minutes_positive" CHECK ("recognition"."counted_services"."minutes" > 0)
);
--> statement-breakpoint
CREATE TABLE "recognition"."customer_offices" (
	"person_id" uuid PRIMARY KEY NOT NULL,
	"office_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"opened_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "recognition"."office_indicators" (
	"office_id" uuid PRIMARY KEY NOT NULL,
	"bank_id" uuid NOT NULL,
	"accounts_opened" integer DEFAULT 0 NOT NULL,
	"redemptions" integer DEFAULT 0 NOT NULL,
	"points_redeemed" bigint DEFAULT 0 NOT NULL,
	"service_minutes" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "office_indicators_accounts_opened_not_negative" CHECK ("recognition"."office_indicators"."accounts_opened" >= 0),
	CONSTRAINT "office_indicators_redemptions_not_negative" CHECK ("recognition"."office_indicators"."redemptions" >= 0),
	CONSTRAINT "office_indicators_points_redeemed_not_negative" CHECK ("recognition"."office_indicators"."points_redeemed" >= 0),
	CONSTRAINT "office_indicators_service_minutes_not_negative" CHECK ("recognition"."office_indicators"."service_minutes" >= 0)
);
--> statement-breakpoint
CREATE TABLE "recognition"."person_tallies" (
	"person_id" uuid PRIMARY KEY NOT NULL,
	"service_minutes" integer DEFAULT 0 NOT NULL,
	"services" integer DEFAULT 0 NOT NULL,
	"ratings" integer DEFAULT 0 NOT NULL,
	"rating_sum" integer DEFAULT 0 NOT NULL,
	"first_served_at" timestamp with time zone,
	"last_served_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "person_tallies_service_minutes_not_negative" CHECK ("recognition"."person_tallies"."service_minutes" >= 0),
	CONSTRAINT "person_tallies_services_not_negative" CHECK ("recognition"."person_tallies"."services" >= 0),
	CONSTRAINT "person_tallies_ratings_not_negative" CHECK ("recognition"."person_tallies"."ratings" >= 0),
	CONSTRAINT "person_tallies_rating_sum_in_range" CHECK ("recognition"."person_tallies"."rating_sum" between "recognition"."person_tallies"."ratings" and 5 * "recognition"."person_tallies"."ratings"),
	CONSTRAINT "person_tallies_served_span" CHECK (("recognition"."person_tallies"."first_served_at" is null) = ("recognition"."person_tallies"."last_served_at" is null) and "recognition"."person_tallies"."first_served_at" <= "recognition"."person_tallies"."last_served_at")
);
--> statement-breakpoint
ALTER TABLE "recognition"."customer_offices" ADD CONSTRAINT "customer_offices_office_id_office_indicators_office_id_fk" FOREIGN KEY ("office_id") REFERENCES "recognition"."office_indicators"("office_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "customer_offices_office_idx" ON "recognition"."customer_offices" USING btree ("office_id");--> statement-breakpoint
-- The event inbox (inboxTableSql('recognition') from @lianxin/shared, pasted as docs/events.md says): the read model
-- above is fed by the requests, people and points events it receives.
-- Every event this subgraph received. The key makes a redelivered event a no-op; its status turns 'applied'
-- in the same transaction as the handler's effect, so an event is applied once or not at all.
CREATE TABLE "recognition"."inbox" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"position" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
	"source" text NOT NULL,
	"type" text NOT NULL,
	"aggregate_type" text NOT NULL,
	"aggregate_id" text NOT NULL,
	"sequence" bigint NOT NULL,
	"payload" jsonb NOT NULL,
	"occurred_at" timestamp (3) with time zone NOT NULL,
	"received_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"applied_at" timestamp (3) with time zone,
	CONSTRAINT "inbox_status_known" CHECK ("status" IN ('pending', 'applied', 'dead')),
	CONSTRAINT "inbox_applied_at_iff_applied" CHECK (("status" = 'applied') = ("applied_at" IS NOT NULL)),
	CONSTRAINT "inbox_dead_has_error" CHECK ("status" <> 'dead' OR "last_error" IS NOT NULL),
	CONSTRAINT "inbox_attempts_not_negative" CHECK ("attempts" >= 0),
	CONSTRAINT "inbox_sequence_positive" CHECK ("sequence" > 0)
);--> statement-breakpoint
CREATE INDEX "inbox_pending_idx" ON "recognition"."inbox" USING btree ("position") WHERE "status" = 'pending';--> statement-breakpoint
CREATE INDEX "inbox_aggregate_idx" ON "recognition"."inbox" USING btree ("source", "aggregate_type", "aggregate_id", "sequence");--> statement-breakpoint
-- The last sequence applied (or dead-lettered) per aggregate: only the event right after it may be applied next.
CREATE TABLE "recognition"."inbox_aggregates" (
	"source" text NOT NULL,
	"aggregate_type" text NOT NULL,
	"aggregate_id" text NOT NULL,
	"last_sequence" bigint NOT NULL,
	CONSTRAINT "inbox_aggregates_pkey" PRIMARY KEY ("source", "aggregate_type", "aggregate_id"),
	CONSTRAINT "inbox_aggregates_positive" CHECK ("last_sequence" > 0)
);--> statement-breakpoint
-- How far this consumer has read each producer's outbox (database transport); locked while a batch is received.
CREATE TABLE "recognition"."inbox_cursors" (
	"source" text PRIMARY KEY NOT NULL,
	"transaction_id" xid8 DEFAULT '0' NOT NULL,
	"position" bigint DEFAULT 0 NOT NULL,
	"received_at" timestamp (3) with time zone
);--> statement-breakpoint
-- Events whose handler kept failing, for platform admins to see and replay. A replay keeps the letter, stamped.
CREATE TABLE "recognition"."dead_letters" (
	"id" uuid PRIMARY KEY NOT NULL,
	"event_id" uuid NOT NULL REFERENCES "recognition"."inbox" ("event_id"),
	"error" text NOT NULL,
	"attempts" integer NOT NULL,
	"dead_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"replayed_at" timestamp (3) with time zone,
	"replayed_by" text,
	CONSTRAINT "dead_letters_attempts_positive" CHECK ("attempts" > 0),
	CONSTRAINT "dead_letters_replay_has_author" CHECK (("replayed_at" IS NULL) = ("replayed_by" IS NULL))
);--> statement-breakpoint
CREATE UNIQUE INDEX "dead_letters_one_open_per_event" ON "recognition"."dead_letters" USING btree ("event_id") WHERE "replayed_at" IS NULL;--> statement-breakpoint
CREATE INDEX "dead_letters_dead_at_idx" ON "recognition"."dead_letters" USING btree ("dead_at", "id");--> statement-breakpoint
