ALTER TYPE "points"."transfer_cause" ADD VALUE 'refund';--> statement-breakpoint
CREATE TABLE "points"."refund_lines" (
	"refund_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"quantity" integer NOT NULL,
	"unit_points" bigint NOT NULL,
	CONSTRAINT "refund_lines_pk" PRIMARY KEY("refund_id","item_id"),
	CONSTRAINT "refund_lines_quantity_positive" CHECK ("points"."refund_lines"."quantity" > 0),
	CONSTRAINT "refund_lines_price_positive" CHECK ("points"."refund_lines"."unit_points" > 0)
);
--> statement-breakpoint
CREATE TABLE "points"."refunds" (
	"id" uuid PRIMARY KEY NOT NULL,
	"redemption_id" uuid NOT NULL,
	"merchant_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"points" bigint NOT NULL,
	"item_count" integer NOT NULL,
	"reason" text,
	"transfer_id" uuid NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	CONSTRAINT "refunds_one_per_transfer" UNIQUE("transfer_id"),
	CONSTRAINT "refunds_total_positive" CHECK ("points"."refunds"."points" > 0 and "points"."refunds"."item_count" > 0),
	CONSTRAINT "refunds_reason_length" CHECK ("points"."refunds"."reason" is null or (length(trim("points"."refunds"."reason")) > 0 and length("points"."refunds"."reason") <= 200))
);
--> statement-breakpoint
ALTER TABLE "points"."catalog_items" ADD COLUMN "returnable" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "points"."idempotency_keys" ADD COLUMN "refund_id" uuid;--> statement-breakpoint
ALTER TABLE "points"."refund_lines" ADD CONSTRAINT "refund_lines_refund_id_refunds_id_fk" FOREIGN KEY ("refund_id") REFERENCES "points"."refunds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points"."refund_lines" ADD CONSTRAINT "refund_lines_item_id_catalog_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "points"."catalog_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points"."refunds" ADD CONSTRAINT "refunds_redemption_id_redemptions_id_fk" FOREIGN KEY ("redemption_id") REFERENCES "points"."redemptions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points"."refunds" ADD CONSTRAINT "refunds_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "points"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points"."refunds" ADD CONSTRAINT "refunds_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "points"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "refunds_redemption_idx" ON "points"."refunds" USING btree ("redemption_id","created_at","id");--> statement-breakpoint
CREATE INDEX "refunds_merchant_idx" ON "points"."refunds" USING btree ("merchant_id","created_at","id");--> statement-breakpoint
ALTER TABLE "points"."refunds" ADD CONSTRAINT "refunds_transfer_fk" FOREIGN KEY ("transfer_id") REFERENCES "points"."transfers"("id") DEFERRABLE INITIALLY DEFERRED;--> statement-breakpoint
ALTER TABLE "points"."idempotency_keys" ADD CONSTRAINT "idempotency_keys_refund_fk" FOREIGN KEY ("refund_id") REFERENCES "points"."refunds"("id") DEFERRABLE INITIALLY DEFERRED;--> statement-breakpoint
CREATE TRIGGER "refunds_append_only" BEFORE UPDATE OR DELETE ON "points"."refunds"
  FOR EACH ROW EXECUTE FUNCTION "points"."refuse_ledger_change"();--> statement-breakpoint
CREATE TRIGGER "refunds_no_truncate" BEFORE TRUNCATE ON "points"."refunds"
  FOR EACH STATEMENT EXECUTE FUNCTION "points"."refuse_ledger_change"();--> statement-breakpoint
CREATE TRIGGER "refund_lines_append_only" BEFORE UPDATE OR DELETE ON "points"."refund_lines"
  FOR EACH ROW EXECUTE FUNCTION "points"."refuse_ledger_change"();--> statement-breakpoint
CREATE TRIGGER "refund_lines_no_truncate" BEFORE TRUNCATE ON "points"."refund_lines"
  FOR EACH STATEMENT EXECUTE FUNCTION "points"."refuse_ledger_change"();--> statement-breakpoint
-- Never more of a line than was redeemed: the redemption line is locked (FOR UPDATE takes no UPDATE trigger), so of two
-- refunds of one line at once the second waits, then counts the first's units. Volatile, so each query reads what has
-- committed by then.
CREATE FUNCTION "points"."check_refund_line"() RETURNS trigger
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  redeemed record;
  refunded bigint;
BEGIN
  SELECT l."redemption_id", l."quantity", l."unit_points" INTO redeemed
    FROM "points"."refunds" r
    JOIN "points"."redemption_lines" l ON l."redemption_id" = r."redemption_id" AND l."item_id" = NEW."item_id"
    WHERE r."id" = NEW."refund_id"
    FOR UPDATE OF l;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'refund % returns item % its redemption did not take', NEW."refund_id", NEW."item_id"
      USING ERRCODE = 'check_violation', CONSTRAINT = 'refund_lines_of_their_redemption';
  END IF;
  IF redeemed."unit_points" <> NEW."unit_points" THEN
    RAISE EXCEPTION 'refund % pays item % back at % points, not the % it was redeemed at', NEW."refund_id", NEW."item_id", NEW."unit_points", redeemed."unit_points"
      USING ERRCODE = 'check_violation', CONSTRAINT = 'refund_lines_at_redeemed_price';
  END IF;
  SELECT coalesce(sum(rl."quantity"), 0) INTO refunded
    FROM "points"."refund_lines" rl JOIN "points"."refunds" r ON r."id" = rl."refund_id"
    WHERE r."redemption_id" = redeemed."redemption_id" AND rl."item_id" = NEW."item_id";
  IF refunded + NEW."quantity" > redeemed."quantity" THEN
    RAISE EXCEPTION 'refund % would bring item % of redemption % to % refunded units of %', NEW."refund_id", NEW."item_id", redeemed."redemption_id", refunded + NEW."quantity", redeemed."quantity"
      USING ERRCODE = 'check_violation', CONSTRAINT = 'refund_lines_within_redemption';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "refund_lines_within_redemption" BEFORE INSERT ON "points"."refund_lines"
  FOR EACH ROW EXECUTE FUNCTION "points"."check_refund_line"();--> statement-breakpoint
-- At commit: a refund is of a captured redemption of its merchant and customer, totals its lines, and is paid by its one
-- transfer from the merchant's account back to the customer's.
CREATE FUNCTION "points"."check_refund"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM "points"."redemptions" r
    WHERE r."id" = NEW."redemption_id" AND r."status" = 'captured' AND r."merchant_id" = NEW."merchant_id" AND r."account_id" = NEW."account_id"
  ) THEN
    RAISE EXCEPTION 'refund % is not of a captured redemption of its merchant and customer', NEW."id"
      USING ERRCODE = 'check_violation', CONSTRAINT = 'refunds_of_a_captured_redemption';
  END IF;
  IF NOT EXISTS (
    SELECT 1 FROM "points"."refund_lines" l WHERE l."refund_id" = NEW."id"
    HAVING sum(l."quantity" * l."unit_points") = NEW."points" AND sum(l."quantity") = NEW."item_count"
  ) THEN
    RAISE EXCEPTION 'refund % does not total its lines', NEW."id"
      USING ERRCODE = 'check_violation', CONSTRAINT = 'refunds_total_their_lines';
  END IF;
  IF NOT EXISTS (
    SELECT 1 FROM "points"."transfers" t JOIN "points"."accounts" m ON m."id" = t."debit_account_id"
    WHERE t."id" = NEW."transfer_id" AND t."cause"::text = 'refund' AND m."merchant_id" = NEW."merchant_id"
      AND t."credit_account_id" = NEW."account_id" AND t."amount" = NEW."points" AND t."reference" = NEW."id"::text
  ) THEN
    RAISE EXCEPTION 'refund % is not paid back by a matching transfer', NEW."id"
      USING ERRCODE = 'check_violation', CONSTRAINT = 'refunds_paid_by_their_transfer';
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "refunds_paid_by_their_transfer" AFTER INSERT ON "points"."refunds"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "points"."check_refund"();--> statement-breakpoint
-- Points move with cause 'refund' only as a refund's transfer. The cause is compared as text: the enum value is added by
-- this migration and may not be used as a value until it commits.
CREATE FUNCTION "points"."check_refund_transfer"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM "points"."refunds" WHERE "transfer_id" = NEW."id") THEN
    RAISE EXCEPTION 'transfer % has cause refund but no refund names it', NEW."id"
      USING ERRCODE = 'check_violation', CONSTRAINT = 'transfers_refund_of_a_refund';
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "transfers_refund_of_a_refund" AFTER INSERT ON "points"."transfers"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW."cause"::text = 'refund') EXECUTE FUNCTION "points"."check_refund_transfer"();
