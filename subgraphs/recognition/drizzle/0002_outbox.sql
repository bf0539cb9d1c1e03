-- Hand-written: recognition now publishes events (badge.awarded, docs/events.md) besides consuming them, so it gets an outbox.
-- The tables come from outboxTableSql('recognition') in @lianxin/shared; drizzle-kit does not know them.
-- Events this subgraph publishes, written in the transaction of the change they describe (transactional outbox).
-- transaction_id orders delivery: a reader takes only rows of transactions older than every one still running,
-- so an event whose transaction commits late is never skipped by a reader that has moved on.
CREATE TABLE "recognition"."outbox" (
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
CREATE TABLE "recognition"."outbox_sequences" (
	"aggregate_type" text NOT NULL,
	"aggregate_id" text NOT NULL,
	"last_sequence" bigint NOT NULL,
	CONSTRAINT "outbox_sequences_pkey" PRIMARY KEY ("aggregate_type", "aggregate_id"),
	CONSTRAINT "outbox_sequences_positive" CHECK ("last_sequence" > 0)
);--> statement-breakpoint
-- How far each relay (outbox → broker) has published, when consumers do not read the outbox directly.
CREATE TABLE "recognition"."outbox_relays" (
	"name" text PRIMARY KEY NOT NULL,
	"transaction_id" xid8 DEFAULT '0' NOT NULL,
	"position" bigint DEFAULT 0 NOT NULL,
	"relayed_at" timestamp (3) with time zone
);--> statement-breakpoint
-- Events are facts: once written they are neither changed nor removed.
CREATE FUNCTION "recognition"."outbox_refuse_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'outbox events are append-only (% refused)', TG_OP USING ERRCODE = 'restrict_violation';
END
$$;--> statement-breakpoint
CREATE TRIGGER "outbox_append_only" BEFORE UPDATE OR DELETE ON "recognition"."outbox" FOR EACH ROW EXECUTE FUNCTION "recognition"."outbox_refuse_change"();--> statement-breakpoint
