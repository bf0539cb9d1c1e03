-- The event tables (docs/events.md): points publishes account openings and redemptions (outbox) and applies the
-- requests subgraph's service records and fund charges (inbox). No table of src/db/schema.ts changes; drizzle-kit
-- does not know these tables. The SQL is outboxTableSql('points') and inboxTableSql('points') from @lianxin/shared.
-- Events this subgraph publishes, written in the transaction of the change they describe (transactional outbox).
-- transaction_id orders delivery: a reader takes only rows of transactions older than every one still running,
-- so an event whose transaction commits late is never skipped by a reader that has moved on.
CREATE TABLE "points"."outbox" (
	"transaction_id" xid8 DEFAULT pg_current_xact_id() NOT NULL,
	"position" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
	"id" uuid NOT NULL,
	"type" text NOT NULL,
	"aggregate_type" text NOT NULL,
	"aggregate_id" text NOT NULL,
	"sequence" bigint NOT NULL,
	"payload" jsonb NOT NULL,
	"occurred_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outbox_pkey" PRIMARY KEY ("transaction_id", "position"),
	CONSTRAINT "outbox_id_unique" UNIQUE ("id"),
	CONSTRAINT "outbox_aggregate_sequence_unique" UNIQUE ("aggregate_type", "aggregate_id", "sequence"),
	CONSTRAINT "outbox_sequence_positive" CHECK ("sequence" > 0),
	CONSTRAINT "outbox_type_format" CHECK ("type" ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$'),
	CONSTRAINT "outbox_aggregate_type_format" CHECK ("aggregate_type" ~ '^[a-z][a-z0-9_]*$'),
	CONSTRAINT "outbox_aggregate_id_length" CHECK (length("aggregate_id") BETWEEN 1 AND 200),
	CONSTRAINT "outbox_payload_object" CHECK (jsonb_typeof("payload") = 'object')
);--> statement-breakpoint
-- The last sequence number handed out per aggregate; its row lock orders two transactions appending to one aggregate.
CREATE TABLE "points"."outbox_sequences" (
	"aggregate_type" text NOT NULL,
	"aggregate_id" text NOT NULL,
	"last_sequence" bigint NOT NULL,
	CONSTRAINT "outbox_sequences_pkey" PRIMARY KEY ("aggregate_type", "aggregate_id"),
	CONSTRAINT "outbox_sequences_positive" CHECK ("last_sequence" > 0)
);--> statement-breakpoint
-- How far each relay (outbox → broker) has published, when consumers do not read the outbox directly.
CREATE TABLE "points"."outbox_relays" (
	"name" text PRIMARY KEY NOT NULL,
	"transaction_id" xid8 DEFAULT '0' NOT NULL,
	"position" bigint DEFAULT 0 NOT NULL,
	"relayed_at" timestamp (3) with time zone
);--> statement-breakpoint
-- Events are facts: once written they are neither changed nor removed.
CREATE FUNCTION "points"."outbox_refuse_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'outbox events are append-only (% refused)', TG_OP USING ERRCODE = 'restrict_violation';
END
$$;--> statement-breakpoint
CREATE TRIGGER "outbox_append_only" BEFORE UPDATE OR DELETE ON "points"."outbox" FOR EACH ROW EXECUTE FUNCTION "points"."outbox_refuse_change"();--> statement-breakpoint
-- Every event this subgraph received. The key makes a redelivered event a no-op; its status turns 'applied'
-- in the same transaction as the handler's effect, so an event is applied once or not at all.
CREATE TABLE "points"."inbox" (
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
CREATE INDEX "inbox_pending_idx" ON "points"."inbox" USING btree ("position") WHERE "status" = 'pending';--> statement-breakpoint
CREATE INDEX "inbox_aggregate_idx" ON "points"."inbox" USING btree ("source", "aggregate_type", "aggregate_id", "sequence");--> statement-breakpoint
-- The last sequence applied (or dead-lettered) per aggregate: only the event right after it may be applied next.
CREATE TABLE "points"."inbox_aggregates" (
	"source" text NOT NULL,
	"aggregate_type" text NOT NULL,
	"aggregate_id" text NOT NULL,
	"last_sequence" bigint NOT NULL,
	CONSTRAINT "inbox_aggregates_pkey" PRIMARY KEY ("source", "aggregate_type", "aggregate_id"),
	CONSTRAINT "inbox_aggregates_positive" CHECK ("last_sequence" > 0)
);--> statement-breakpoint
-- How far this consumer has read each producer's outbox (database transport); locked while a batch is received.
CREATE TABLE "points"."inbox_cursors" (
	"source" text PRIMARY KEY NOT NULL,
	"transaction_id" xid8 DEFAULT '0' NOT NULL,
	"position" bigint DEFAULT 0 NOT NULL,
	"received_at" timestamp (3) with time zone
);--> statement-breakpoint
-- Events whose handler kept failing, for platform admins to see and replay. A replay keeps the letter, stamped.
CREATE TABLE "points"."dead_letters" (
	"id" uuid PRIMARY KEY NOT NULL,
	"event_id" uuid NOT NULL REFERENCES "points"."inbox" ("event_id"),
	"error" text NOT NULL,
	"attempts" integer NOT NULL,
	"dead_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"replayed_at" timestamp (3) with time zone,
	"replayed_by" text,
	CONSTRAINT "dead_letters_attempts_positive" CHECK ("attempts" > 0),
	CONSTRAINT "dead_letters_replay_has_author" CHECK (("replayed_at" IS NULL) = ("replayed_by" IS NULL))
);--> statement-breakpoint
CREATE UNIQUE INDEX "dead_letters_one_open_per_event" ON "points"."dead_letters" USING btree ("event_id") WHERE "replayed_at" IS NULL;--> statement-breakpoint
CREATE INDEX "dead_letters_dead_at_idx" ON "points"."dead_letters" USING btree ("dead_at", "id");
