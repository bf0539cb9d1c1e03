CREATE TYPE "points"."merchant_webhook_event" AS ENUM('hold_expiring', 'hold_lapsed', 'refund_done', 'statement_ready');--> statement-breakpoint
CREATE TYPE "points"."webhook_delivery_status" AS ENUM('queued', 'delivered', 'failed');--> statement-breakpoint
CREATE TABLE "points"."hold_expiry_notices" (
	"redemption_id" uuid PRIMARY KEY NOT NULL,
	"announced_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "points"."merchant_webhooks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"merchant_id" uuid NOT NULL,
	"url" text NOT NULL,
	"events" "points"."merchant_webhook_event"[] NOT NULL,
	"secret" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"deleted_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_by" text NOT NULL,
	CONSTRAINT "merchant_webhooks_url_form" CHECK ("points"."merchant_webhooks"."url" ~ '^https?://' and length("points"."merchant_webhooks"."url") <= 2048),
	CONSTRAINT "merchant_webhooks_some_events" CHECK (cardinality("points"."merchant_webhooks"."events") between 1 and 4),
	CONSTRAINT "merchant_webhooks_secret_length" CHECK (length("points"."merchant_webhooks"."secret") >= 32)
);
--> statement-breakpoint
CREATE TABLE "points"."webhook_deliveries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"endpoint_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"event" "points"."merchant_webhook_event" NOT NULL,
	"body" text NOT NULL,
	"status" "points"."webhook_delivery_status" DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"round_from" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp (3) with time zone,
	"last_status_code" integer,
	"last_error" text,
	"delivered_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_deliveries_once_per_endpoint" UNIQUE("event_id","endpoint_id"),
	CONSTRAINT "webhook_deliveries_round_within_attempts" CHECK ("points"."webhook_deliveries"."round_from" >= 0 and "points"."webhook_deliveries"."round_from" <= "points"."webhook_deliveries"."attempts"),
	CONSTRAINT "webhook_deliveries_queued_iff_next" CHECK (("points"."webhook_deliveries"."status" = 'queued') = ("points"."webhook_deliveries"."next_attempt_at" is not null)),
	CONSTRAINT "webhook_deliveries_delivered_iff_at" CHECK (("points"."webhook_deliveries"."status" = 'delivered') = ("points"."webhook_deliveries"."delivered_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "points"."webhook_delivery_attempts" (
	"delivery_id" uuid NOT NULL,
	"attempt" integer NOT NULL,
	"attempted_at" timestamp (3) with time zone NOT NULL,
	"status_code" integer,
	"error" text,
	CONSTRAINT "webhook_delivery_attempts_pk" PRIMARY KEY("delivery_id","attempt"),
	CONSTRAINT "webhook_delivery_attempts_positive" CHECK ("points"."webhook_delivery_attempts"."attempt" >= 1)
);
--> statement-breakpoint
ALTER TABLE "points"."hold_expiry_notices" ADD CONSTRAINT "hold_expiry_notices_redemption_id_redemptions_id_fk" FOREIGN KEY ("redemption_id") REFERENCES "points"."redemptions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points"."merchant_webhooks" ADD CONSTRAINT "merchant_webhooks_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "points"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points"."webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_endpoint_id_merchant_webhooks_id_fk" FOREIGN KEY ("endpoint_id") REFERENCES "points"."merchant_webhooks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points"."webhook_delivery_attempts" ADD CONSTRAINT "webhook_delivery_attempts_delivery_id_webhook_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "points"."webhook_deliveries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "merchant_webhooks_merchant_idx" ON "points"."merchant_webhooks" USING btree ("merchant_id","created_at","id") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "webhook_deliveries_endpoint_idx" ON "points"."webhook_deliveries" USING btree ("endpoint_id","created_at","id");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_due_idx" ON "points"."webhook_deliveries" USING btree ("next_attempt_at") WHERE status = 'queued';--> statement-breakpoint
-- Hand-written: a merchant has at most five endpoints that are not deleted, whichever path writes them. The
-- merchant's row is locked first, so two registrations at once are counted one after the other.
CREATE FUNCTION "points"."merchant_webhooks_limit"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM "points"."merchants" WHERE "id" = NEW."merchant_id" FOR UPDATE;
  IF (SELECT count(*) FROM "points"."merchant_webhooks" WHERE "merchant_id" = NEW."merchant_id" AND "deleted_at" IS NULL) > 5 THEN
    RAISE EXCEPTION 'a merchant has at most 5 webhook endpoints' USING ERRCODE = 'check_violation', CONSTRAINT = 'merchant_webhooks_limit';
  END IF;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "merchant_webhooks_limit" AFTER INSERT OR UPDATE OF "deleted_at" ON "points"."merchant_webhooks"
  FOR EACH ROW EXECUTE FUNCTION "points"."merchant_webhooks_limit"();--> statement-breakpoint
-- A deleted endpoint stays deleted, and stays its merchant's.
CREATE FUNCTION "points"."merchant_webhooks_keep"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD."deleted_at" IS NOT NULL OR NEW."merchant_id" <> OLD."merchant_id" THEN
    RAISE EXCEPTION 'points.merchant_webhooks: a deleted endpoint, or an endpoint''s merchant, does not change' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "merchant_webhooks_keep" BEFORE UPDATE ON "points"."merchant_webhooks"
  FOR EACH ROW EXECUTE FUNCTION "points"."merchant_webhooks_keep"();--> statement-breakpoint
CREATE TRIGGER "merchant_webhooks_no_delete" BEFORE DELETE ON "points"."merchant_webhooks"
  FOR EACH ROW EXECUTE FUNCTION "points"."refuse_ledger_change"();--> statement-breakpoint
-- The attempts are the delivery log: written once, as each attempt ended.
CREATE TRIGGER "webhook_delivery_attempts_append_only" BEFORE UPDATE OR DELETE ON "points"."webhook_delivery_attempts"
  FOR EACH ROW EXECUTE FUNCTION "points"."refuse_ledger_change"();--> statement-breakpoint
CREATE TRIGGER "webhook_delivery_attempts_no_truncate" BEFORE TRUNCATE ON "points"."webhook_delivery_attempts"
  FOR EACH STATEMENT EXECUTE FUNCTION "points"."refuse_ledger_change"();--> statement-breakpoint
-- A hold is announced as about to lapse once.
CREATE TRIGGER "hold_expiry_notices_append_only" BEFORE UPDATE OR DELETE ON "points"."hold_expiry_notices"
  FOR EACH ROW EXECUTE FUNCTION "points"."refuse_ledger_change"();
