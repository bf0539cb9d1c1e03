CREATE TYPE "points"."granary_donor_kind" AS ENUM('organization', 'person', 'anonymous');--> statement-breakpoint
CREATE TYPE "points"."granary_movement_kind" AS ENUM('receipt', 'handout', 'adjustment');--> statement-breakpoint
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
CREATE TABLE "points"."granaries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"office_id" uuid NOT NULL,
	"office_kind" "points"."bank_unit_kind" GENERATED ALWAYS AS ('savings_office'::points.bank_unit_kind) STORED NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	CONSTRAINT "granaries_name_length" CHECK (char_length(trim("points"."granaries"."name")) between 1 and 100)
);
--> statement-breakpoint
CREATE TABLE "points"."granary_goods" (
	"id" uuid PRIMARY KEY NOT NULL,
	"granary_id" uuid NOT NULL,
	"name" text NOT NULL,
	"unit" text NOT NULL,
	"stock" bigint DEFAULT 0 NOT NULL,
	"lines" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	CONSTRAINT "granary_goods_stock_not_negative" CHECK ("points"."granary_goods"."stock" >= 0),
	CONSTRAINT "granary_goods_lines_not_negative" CHECK ("points"."granary_goods"."lines" >= 0),
	CONSTRAINT "granary_goods_name_length" CHECK (char_length(trim("points"."granary_goods"."name")) between 1 and 100),
	CONSTRAINT "granary_goods_unit_length" CHECK (char_length(trim("points"."granary_goods"."unit")) between 1 and 20)
);
--> statement-breakpoint
CREATE TABLE "points"."granary_handout_reads" (
	"id" uuid PRIMARY KEY NOT NULL,
	"granary_id" uuid NOT NULL,
	"household_ids" uuid[] NOT NULL,
	"viewer_subject" text NOT NULL,
	"viewer_person_id" uuid,
	"trace_id" text NOT NULL,
	"read_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "granary_handout_reads_some_household" CHECK (cardinality("points"."granary_handout_reads"."household_ids") > 0)
);
--> statement-breakpoint
CREATE TABLE "points"."granary_movements" (
	"id" uuid PRIMARY KEY NOT NULL,
	"goods_id" uuid NOT NULL,
	"granary_id" uuid NOT NULL,
	"line" bigint NOT NULL,
	"kind" "points"."granary_movement_kind" NOT NULL,
	"quantity" bigint NOT NULL,
	"stock_after" bigint NOT NULL,
	"donor_kind" "points"."granary_donor_kind",
	"donor_organization_id" uuid,
	"donor_person_id" uuid,
	"household_id" uuid,
	"reason" text,
	"note" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	CONSTRAINT "granary_movements_line_positive" CHECK ("points"."granary_movements"."line" > 0),
	CONSTRAINT "granary_movements_stock_after_not_negative" CHECK ("points"."granary_movements"."stock_after" >= 0),
	CONSTRAINT "granary_movements_shape" CHECK (("points"."granary_movements"."kind" = 'receipt' and "points"."granary_movements"."quantity" > 0 and "points"."granary_movements"."household_id" is null and "points"."granary_movements"."reason" is null and "points"."granary_movements"."donor_kind" is not null
            and ("points"."granary_movements"."donor_kind" = 'organization') = ("points"."granary_movements"."donor_organization_id" is not null)
            and ("points"."granary_movements"."donor_kind" = 'person') = ("points"."granary_movements"."donor_person_id" is not null))
        or ("points"."granary_movements"."kind" = 'handout' and "points"."granary_movements"."quantity" < 0 and "points"."granary_movements"."household_id" is not null and "points"."granary_movements"."reason" is not null
            and "points"."granary_movements"."donor_kind" is null and "points"."granary_movements"."donor_organization_id" is null and "points"."granary_movements"."donor_person_id" is null)
        or ("points"."granary_movements"."kind" = 'adjustment' and "points"."granary_movements"."quantity" <> 0 and "points"."granary_movements"."household_id" is null and "points"."granary_movements"."reason" is not null
            and "points"."granary_movements"."donor_kind" is null and "points"."granary_movements"."donor_organization_id" is null and "points"."granary_movements"."donor_person_id" is null)),
	CONSTRAINT "granary_movements_reason_length" CHECK ("points"."granary_movements"."reason" is null or char_length(trim("points"."granary_movements"."reason")) between 1 and 500),
	CONSTRAINT "granary_movements_note_length" CHECK ("points"."granary_movements"."note" is null or char_length(trim("points"."granary_movements"."note")) between 1 and 500)
);
--> statement-breakpoint
ALTER TABLE "points"."donations" ADD CONSTRAINT "donations_recipient_account_id_accounts_id_fk" FOREIGN KEY ("recipient_account_id") REFERENCES "points"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points"."donations" ADD CONSTRAINT "donations_fund_id_funds_id_fk" FOREIGN KEY ("fund_id") REFERENCES "points"."funds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points"."donations" ADD CONSTRAINT "donations_transfer_id_transfers_id_fk" FOREIGN KEY ("transfer_id") REFERENCES "points"."transfers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points"."donations" ADD CONSTRAINT "donations_donor_account_fk" FOREIGN KEY ("donor_account_id","donor_holder_id","donor_office_id") REFERENCES "points"."accounts"("id","holder_id","office_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points"."granaries" ADD CONSTRAINT "granaries_office_fk" FOREIGN KEY ("office_id","office_kind") REFERENCES "points"."bank_units"("id","kind") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points"."granary_goods" ADD CONSTRAINT "granary_goods_granary_id_granaries_id_fk" FOREIGN KEY ("granary_id") REFERENCES "points"."granaries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points"."granary_handout_reads" ADD CONSTRAINT "granary_handout_reads_granary_id_granaries_id_fk" FOREIGN KEY ("granary_id") REFERENCES "points"."granaries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points"."granary_movements" ADD CONSTRAINT "granary_movements_goods_id_granary_goods_id_fk" FOREIGN KEY ("goods_id") REFERENCES "points"."granary_goods"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points"."granary_movements" ADD CONSTRAINT "granary_movements_granary_id_granaries_id_fk" FOREIGN KEY ("granary_id") REFERENCES "points"."granaries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "donations_one_per_transfer" ON "points"."donations" USING btree ("transfer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "donations_donor_key" ON "points"."donations" USING btree ("donor_account_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "donations_donor_idx" ON "points"."donations" USING btree ("donor_account_id","donated_at");--> statement-breakpoint
CREATE INDEX "donations_recipient_idx" ON "points"."donations" USING btree ("recipient_account_id");--> statement-breakpoint
CREATE UNIQUE INDEX "granaries_office_name" ON "points"."granaries" USING btree ("office_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "granary_goods_granary_name" ON "points"."granary_goods" USING btree ("granary_id","name");--> statement-breakpoint
CREATE INDEX "granary_handout_reads_granary_idx" ON "points"."granary_handout_reads" USING btree ("granary_id","read_at");--> statement-breakpoint
CREATE UNIQUE INDEX "granary_movements_line" ON "points"."granary_movements" USING btree ("goods_id","line");--> statement-breakpoint
CREATE INDEX "granary_movements_granary_idx" ON "points"."granary_movements" USING btree ("granary_id","created_at","id");--> statement-breakpoint
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
--> statement-breakpoint
-- Hand-written: the granaries' stock ledger is append-only, like the points ledger.
CREATE TRIGGER "granary_movements_append_only" BEFORE UPDATE OR DELETE ON "points"."granary_movements"
  FOR EACH ROW EXECUTE FUNCTION "points"."refuse_ledger_change"();--> statement-breakpoint
CREATE TRIGGER "granary_movements_no_truncate" BEFORE TRUNCATE ON "points"."granary_movements"
  FOR EACH STATEMENT EXECUTE FUNCTION "points"."refuse_ledger_change"();--> statement-breakpoint
-- A movement is its goods' next line: its goods moved by exactly its quantity to exactly its stock_after, in its granary.
-- The goods row is updated first (under its lock), so the row read here is the one the movement describes.
CREATE FUNCTION "points"."check_granary_movement"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM "points"."granary_goods" g
    WHERE g."id" = NEW.goods_id AND g."granary_id" = NEW.granary_id AND g."stock" = NEW.stock_after AND g."lines" = NEW.line
  ) OR NEW.stock_after - NEW.quantity <> COALESCE((
    SELECT m."stock_after" FROM "points"."granary_movements" m WHERE m."goods_id" = NEW.goods_id AND m."line" = NEW.line - 1
  ), 0) THEN
    RAISE EXCEPTION 'granary movement % does not follow its goods'' stock', NEW.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'granary_movements_follow_stock';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "granary_movements_follow_stock" BEFORE INSERT ON "points"."granary_movements"
  FOR EACH ROW EXECUTE FUNCTION "points"."check_granary_movement"();--> statement-breakpoint
-- The stock changes only with a movement: at commit, each goods row's stock and line count are its movements' sum and count.
CREATE FUNCTION "points"."check_granary_stock"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  held bigint;
  counted bigint;
  total bigint;
  made bigint;
BEGIN
  -- The row as it stands at commit, not as this (possibly earlier) event saw it.
  SELECT g."stock", g."lines" INTO held, counted FROM "points"."granary_goods" g WHERE g."id" = NEW.id;
  SELECT COALESCE(SUM(m."quantity"), 0), COUNT(*) INTO total, made FROM "points"."granary_movements" m WHERE m."goods_id" = NEW.id;
  IF held <> total OR counted <> made THEN
    RAISE EXCEPTION 'goods % hold % in % lines, which their movements do not make', NEW.id, held, counted
      USING ERRCODE = 'check_violation', CONSTRAINT = 'granary_goods_stock_is_movements';
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "granary_goods_stock_is_movements" AFTER INSERT OR UPDATE ON "points"."granary_goods"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "points"."check_granary_stock"();
--> statement-breakpoint
CREATE TRIGGER "granary_handout_reads_append_only" BEFORE UPDATE OR DELETE ON "points"."granary_handout_reads"
  FOR EACH ROW EXECUTE FUNCTION "points"."refuse_ledger_change"();--> statement-breakpoint
CREATE TRIGGER "granary_handout_reads_no_truncate" BEFORE TRUNCATE ON "points"."granary_handout_reads"
  FOR EACH STATEMENT EXECUTE FUNCTION "points"."refuse_ledger_change"();
