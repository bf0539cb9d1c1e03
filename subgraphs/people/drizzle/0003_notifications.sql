CREATE TYPE "people"."notification_kind" AS ENUM('request_dispatched', 'request_accepted', 'request_started', 'request_completed', 'request_rated', 'quote_issued', 'alert_raised', 'points_deposited', 'hold_expiring', 'badge_awarded');--> statement-breakpoint
CREATE TABLE "people"."notifications" (
	"id" uuid PRIMARY KEY NOT NULL,
	"source_event_id" uuid NOT NULL,
	"recipient_id" uuid NOT NULL,
	"kind" "people"."notification_kind" NOT NULL,
	"request_id" uuid,
	"service_record_id" uuid,
	"badge_id" uuid,
	"hold_id" uuid,
	"alert_id" uuid,
	"account_id" uuid,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp (3) with time zone,
	CONSTRAINT "notifications_event_recipient_unique" UNIQUE("source_event_id","recipient_id"),
	CONSTRAINT "notifications_details_object" CHECK (jsonb_typeof("people"."notifications"."details") = 'object'),
	CONSTRAINT "notifications_read_after_created" CHECK ("people"."notifications"."read_at" is null or "people"."notifications"."read_at" >= "people"."notifications"."created_at")
);
--> statement-breakpoint
ALTER TABLE "people"."notifications" ADD CONSTRAINT "notifications_recipient_id_persons_id_fk" FOREIGN KEY ("recipient_id") REFERENCES "people"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "notifications_recipient_created_idx" ON "people"."notifications" USING btree ("recipient_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "notifications_recipient_unread_idx" ON "people"."notifications" USING btree ("recipient_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "people"."notifications"."read_at" is null;--> statement-breakpoint
-- Hand-written: a notification changes once, when it is read; everything else about it is what its event said.
CREATE FUNCTION "people"."notifications_read_once"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF OLD.read_at IS NOT NULL OR (to_jsonb(NEW) - 'read_at') IS DISTINCT FROM (to_jsonb(OLD) - 'read_at') THEN
		RAISE EXCEPTION 'a notification changes only once, when it is read' USING ERRCODE = 'check_violation';
	END IF;
	RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "notifications_read_once" BEFORE UPDATE ON "people"."notifications" FOR EACH ROW EXECUTE FUNCTION "people"."notifications_read_once"();--> statement-breakpoint
-- Every new notification is announced on the channel people_notifications, at commit (NOTIFY is transactional), to the
-- streams held open for its recipient (src/notifications/stream.ts). The payload names the row; the stream reads it.
CREATE FUNCTION "people"."notifications_announce"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('people_notifications', json_build_object('id', NEW.id, 'recipientId', NEW.recipient_id)::text);
	RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "notifications_announce" AFTER INSERT ON "people"."notifications" FOR EACH ROW EXECUTE FUNCTION "people"."notifications_announce"();--> statement-breakpoint
-- Hand-written: people now consumes events (requests, points, recognition) for the notification inbox.
-- The tables come from inboxTableSql('people') in @lianxin/shared; drizzle-kit does not know them.
-- Every event this subgraph received. The key makes a redelivered event a no-op; its status turns 'applied'
-- in the same transaction as the handler's effect, so an event is applied once or not at all.
CREATE TABLE "people"."inbox" (
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
CREATE INDEX "inbox_pending_idx" ON "people"."inbox" USING btree ("position") WHERE "status" = 'pending';--> statement-breakpoint
CREATE INDEX "inbox_aggregate_idx" ON "people"."inbox" USING btree ("source", "aggregate_type", "aggregate_id", "sequence");--> statement-breakpoint
-- The last sequence applied (or dead-lettered) per aggregate: only the event right after it may be applied next.
CREATE TABLE "people"."inbox_aggregates" (
	"source" text NOT NULL,
	"aggregate_type" text NOT NULL,
	"aggregate_id" text NOT NULL,
	"last_sequence" bigint NOT NULL,
	CONSTRAINT "inbox_aggregates_pkey" PRIMARY KEY ("source", "aggregate_type", "aggregate_id"),
	CONSTRAINT "inbox_aggregates_positive" CHECK ("last_sequence" > 0)
);--> statement-breakpoint
-- How far this consumer has read each producer's outbox (database transport); locked while a batch is received.
CREATE TABLE "people"."inbox_cursors" (
	"source" text PRIMARY KEY NOT NULL,
	"transaction_id" xid8 DEFAULT '0' NOT NULL,
	"position" bigint DEFAULT 0 NOT NULL,
	"received_at" timestamp (3) with time zone
);--> statement-breakpoint
-- Events whose handler kept failing, for platform admins to see and replay. A replay keeps the letter, stamped.
CREATE TABLE "people"."dead_letters" (
	"id" uuid PRIMARY KEY NOT NULL,
	"event_id" uuid NOT NULL REFERENCES "people"."inbox" ("event_id"),
	"error" text NOT NULL,
	"attempts" integer NOT NULL,
	"dead_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"replayed_at" timestamp (3) with time zone,
	"replayed_by" text,
	CONSTRAINT "dead_letters_attempts_positive" CHECK ("attempts" > 0),
	CONSTRAINT "dead_letters_replay_has_author" CHECK (("replayed_at" IS NULL) = ("replayed_by" IS NULL))
);--> statement-breakpoint
CREATE UNIQUE INDEX "dead_letters_one_open_per_event" ON "people"."dead_letters" USING btree ("event_id") WHERE "replayed_at" IS NULL;--> statement-breakpoint
CREATE INDEX "dead_letters_dead_at_idx" ON "people"."dead_letters" USING btree ("dead_at", "id");--> statement-breakpoint
