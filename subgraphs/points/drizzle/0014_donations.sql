CREATE TABLE "points"."donations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"donor_account_id" uuid NOT NULL,
	"donor_holder_id" uuid NOT NULL,
	"donor_office_id" uuid NOT NULL,
	"bank_id" uuid NOT NULL,
	"recipient_account_id" uuid,
	"recipient_office_id" uuid,
	"fund_id" uuid,
	"amount" bigint NOT NULL,
	"anonymous" boolean DEFAULT true NOT NULL,
	"note" text,
	"idempotency_key" text NOT NULL,
	"transfer_id" uuid NOT NULL,
	"donated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	CONSTRAINT "donations_amount_positive" CHECK ("points"."donations"."amount" > 0),
	CONSTRAINT "donations_one_target" CHECK (("points"."donations"."recipient_account_id" is null) <> ("points"."donations"."fund_id" is null)),
	CONSTRAINT "donations_recipient_office_iff_recipient" CHECK (("points"."donations"."recipient_account_id" is null) = ("points"."donations"."recipient_office_id" is null)),
	CONSTRAINT "donations_not_to_oneself" CHECK ("points"."donations"."recipient_account_id" is distinct from "points"."donations"."donor_account_id"),
	CONSTRAINT "donations_note_length" CHECK ("points"."donations"."note" is null or char_length(trim("points"."donations"."note")) between 1 and 200),
	CONSTRAINT "donations_key_format" CHECK ("points"."donations"."idempotency_key" ~ '^[!-~]{8,255}$')
);
--> statement-breakpoint
ALTER TABLE "points"."donations" ADD CONSTRAINT "donations_recipient_account_id_accounts_id_fk" FOREIGN KEY ("recipient_account_id") REFERENCES "points"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points"."donations" ADD CONSTRAINT "donations_fund_id_funds_id_fk" FOREIGN KEY ("fund_id") REFERENCES "points"."funds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points"."donations" ADD CONSTRAINT "donations_transfer_id_transfers_id_fk" FOREIGN KEY ("transfer_id") REFERENCES "points"."transfers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points"."donations" ADD CONSTRAINT "donations_donor_account_fk" FOREIGN KEY ("donor_account_id","donor_holder_id","donor_office_id") REFERENCES "points"."accounts"("id","holder_id","office_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "donations_one_per_transfer" ON "points"."donations" USING btree ("transfer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "donations_donor_key" ON "points"."donations" USING btree ("donor_account_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "donations_donor_idx" ON "points"."donations" USING btree ("donor_account_id","donated_at");--> statement-breakpoint
CREATE INDEX "donations_recipient_idx" ON "points"."donations" USING btree ("recipient_account_id");--> statement-breakpoint
-- Hand-written: a donation stands as it was given; a mistaken one is corrected by reversing its transfer.
CREATE TRIGGER "donations_append_only" BEFORE UPDATE OR DELETE ON "points"."donations"
  FOR EACH ROW EXECUTE FUNCTION "points"."refuse_ledger_change"();--> statement-breakpoint
CREATE TRIGGER "donations_no_truncate" BEFORE TRUNCATE ON "points"."donations"
  FOR EACH STATEMENT EXECUTE FUNCTION "points"."refuse_ledger_change"();--> statement-breakpoint
-- A donation is paid by its own transfer: cause 'donation', referring to it, its amount, from the donor's customer
-- account to the recipient's customer account (or to the issuance account for a gift to a fund), and donor,
-- recipient and fund are all of the donation's head bank.
CREATE FUNCTION "points"."check_donation"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM "points"."transfers" t
      JOIN "points"."accounts" d ON d."id" = t."debit_account_id"
      JOIN "points"."bank_units" dof ON dof."id" = d."office_id"
      JOIN "points"."accounts" c ON c."id" = t."credit_account_id"
      LEFT JOIN "points"."bank_units" cof ON cof."id" = c."office_id"
      LEFT JOIN "points"."funds" f ON f."id" = NEW.fund_id
    WHERE t."id" = NEW.transfer_id AND t."cause" = 'donation' AND t."amount" = NEW.amount AND t."reference" = NEW.id::text
      AND d."id" = NEW.donor_account_id AND d."kind" = 'customer' AND dof."bank_id" = NEW.bank_id
      AND ((NEW.recipient_account_id IS NOT NULL AND c."id" = NEW.recipient_account_id AND c."kind" = 'customer'
            AND c."office_id" = NEW.recipient_office_id AND cof."bank_id" = NEW.bank_id)
        OR (NEW.fund_id IS NOT NULL AND c."kind" = 'issuance' AND f."bank_id" = NEW.bank_id))
  ) THEN
    RAISE EXCEPTION 'donation % is not matched by its transfer within one bank', NEW.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'donations_paid_by_their_transfer';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "donations_paid_by_their_transfer" BEFORE INSERT ON "points"."donations"
  FOR EACH ROW EXECUTE FUNCTION "points"."check_donation"();--> statement-breakpoint
-- Points move with cause 'donation' only as a donation's transfer: checked at commit, once both rows are written.
CREATE FUNCTION "points"."check_donation_transfer"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM "points"."donations" WHERE "transfer_id" = NEW.id) THEN
    RAISE EXCEPTION 'transfer % has cause donation but no donation names it', NEW.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'transfers_donation_named';
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "transfers_donation_named" AFTER INSERT ON "points"."transfers"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.cause = 'donation') EXECUTE FUNCTION "points"."check_donation_transfer"();
