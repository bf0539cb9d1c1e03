ALTER TYPE "points"."transfer_cause" ADD VALUE 'debt_repayment';--> statement-breakpoint
ALTER TYPE "points"."transfer_cause" ADD VALUE 'sandbox';--> statement-breakpoint
CREATE TABLE "points"."debt_repayments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"debt_id" uuid NOT NULL,
	"deposit_id" uuid NOT NULL,
	"transfer_id" uuid NOT NULL,
	"amount" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "debt_repayments_one_per_transfer" UNIQUE("transfer_id"),
	CONSTRAINT "debt_repayments_amount_positive" CHECK ("points"."debt_repayments"."amount" > 0)
);
--> statement-breakpoint
CREATE TABLE "points"."debts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"account_id" uuid NOT NULL,
	"reversed_transfer_id" uuid NOT NULL,
	"service_record_id" uuid NOT NULL,
	"reversal_record_id" uuid NOT NULL,
	"amount" bigint NOT NULL,
	"repaid" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	"settled_at" timestamp with time zone,
	CONSTRAINT "debts_one_per_reversed_transfer" UNIQUE("reversed_transfer_id"),
	CONSTRAINT "debts_amount_positive" CHECK ("points"."debts"."amount" > 0),
	CONSTRAINT "debts_repaid_within_amount" CHECK ("points"."debts"."repaid" >= 0 and "points"."debts"."repaid" <= "points"."debts"."amount"),
	CONSTRAINT "debts_settled_iff_repaid" CHECK (("points"."debts"."settled_at" is not null) = ("points"."debts"."repaid" = "points"."debts"."amount"))
);
--> statement-breakpoint
DROP INDEX "points"."accounts_one_issuance";--> statement-breakpoint
ALTER TABLE "points"."merchants" ADD COLUMN "sandbox" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "points"."accounts" ADD COLUMN "sandbox" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "points"."debt_repayments" ADD CONSTRAINT "debt_repayments_debt_id_debts_id_fk" FOREIGN KEY ("debt_id") REFERENCES "points"."debts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points"."debt_repayments" ADD CONSTRAINT "debt_repayments_deposit_id_deposits_id_fk" FOREIGN KEY ("deposit_id") REFERENCES "points"."deposits"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points"."debt_repayments" ADD CONSTRAINT "debt_repayments_transfer_id_transfers_id_fk" FOREIGN KEY ("transfer_id") REFERENCES "points"."transfers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points"."debts" ADD CONSTRAINT "debts_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "points"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points"."debts" ADD CONSTRAINT "debts_reversed_transfer_id_transfers_id_fk" FOREIGN KEY ("reversed_transfer_id") REFERENCES "points"."transfers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "debt_repayments_debt_idx" ON "points"."debt_repayments" USING btree ("debt_id");--> statement-breakpoint
CREATE INDEX "debts_outstanding_idx" ON "points"."debts" USING btree ("account_id","created_at","id") WHERE "points"."debts"."settled_at" is null;--> statement-breakpoint
CREATE INDEX "debts_account_idx" ON "points"."debts" USING btree ("account_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_one_issuance" ON "points"."accounts" USING btree ("kind","sandbox") WHERE kind = 'issuance';--> statement-breakpoint
-- Hand-written below: rules drizzle-kit cannot express.
-- A reversal mirrors the transfer it reverses (accounts swapped), for the transfer's amount less the debt recorded for
-- what the account could not give back (written before the reversal, in its transaction); a sandbox account and a real
-- one never meet in a transfer, and sandbox points are issued by the sandbox issuance account only. The rest is as 0001.
CREATE OR REPLACE FUNCTION "points"."check_transfer"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  original "points"."transfers"%ROWTYPE;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM "points"."accounts" WHERE "id" = NEW.debit_account_id AND "lines" = NEW.debit_line AND "balance" = NEW.debit_balance_after)
     OR NOT EXISTS (SELECT 1 FROM "points"."accounts" WHERE "id" = NEW.credit_account_id AND "lines" = NEW.credit_line AND "balance" = NEW.credit_balance_after) THEN
    RAISE EXCEPTION 'transfer % does not match its accounts: lines and balances after must be those the accounts just reached', NEW.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'transfers_match_accounts';
  END IF;
  -- Sandbox points stay among sandbox accounts: the real books never hold one.
  IF (SELECT "sandbox" FROM "points"."accounts" WHERE "id" = NEW.debit_account_id)
     <> (SELECT "sandbox" FROM "points"."accounts" WHERE "id" = NEW.credit_account_id) THEN
    RAISE EXCEPTION 'transfer % joins a sandbox account to a real one', NEW.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'transfers_sandbox_apart';
  END IF;
  IF NEW.cause = 'sandbox' AND NOT EXISTS (SELECT 1 FROM "points"."accounts" WHERE "id" = NEW.debit_account_id AND "kind" = 'issuance' AND "sandbox") THEN
    RAISE EXCEPTION 'transfer % issues sandbox points from elsewhere than the sandbox issuance account', NEW.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'transfers_sandbox_from_sandbox_issuance';
  END IF;
  IF NEW.reverses_id IS NOT NULL THEN
    SELECT * INTO original FROM "points"."transfers" WHERE "id" = NEW.reverses_id;
    IF NOT FOUND OR original.cause = 'reversal' OR original.debit_account_id <> NEW.credit_account_id
       OR original.credit_account_id <> NEW.debit_account_id
       OR original.amount <> NEW.amount + coalesce((SELECT d.amount FROM "points"."debts" d WHERE d.reversed_transfer_id = NEW.reverses_id), 0) THEN
      RAISE EXCEPTION 'transfer % does not mirror the transfer % it reverses', NEW.id, NEW.reverses_id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'transfers_reversal_mirrors_original';
    END IF;
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
-- A debt is recorded for a deposit not reversed yet, owed by the account the deposit credited, for at most its points,
-- and starts unpaid.
CREATE FUNCTION "points"."check_debt"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  original "points"."transfers"%ROWTYPE;
BEGIN
  SELECT * INTO original FROM "points"."transfers" WHERE "id" = NEW.reversed_transfer_id;
  IF NOT FOUND OR original.cause <> 'service_record' OR original.credit_account_id <> NEW.account_id OR NEW.amount > original.amount
     OR NEW.repaid <> 0 OR NEW.settled_at IS NOT NULL
     OR EXISTS (SELECT 1 FROM "points"."transfers" t WHERE t.reverses_id = NEW.reversed_transfer_id) THEN
    RAISE EXCEPTION 'debt % is not the unpaid shortfall of a deposit not yet reversed', NEW.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'debts_shortfall_of_deposit';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "debts_check" BEFORE INSERT ON "points"."debts"
  FOR EACH ROW EXECUTE FUNCTION "points"."check_debt"();--> statement-breakpoint
-- Only repayment moves a debt: `repaid` grows and `settled_at` is set when it reaches the amount; nothing else changes.
CREATE FUNCTION "points"."debt_only_repaid"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.repaid <= OLD.repaid OR OLD.settled_at IS NOT NULL
     OR (NEW.id, NEW.account_id, NEW.reversed_transfer_id, NEW.service_record_id, NEW.reversal_record_id, NEW.amount, NEW.created_at, NEW.created_by)
        IS DISTINCT FROM (OLD.id, OLD.account_id, OLD.reversed_transfer_id, OLD.service_record_id, OLD.reversal_record_id, OLD.amount, OLD.created_at, OLD.created_by) THEN
    RAISE EXCEPTION 'debt %: only its repayment grows, until it is settled', OLD.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'debts_only_repaid';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "debts_only_repaid" BEFORE UPDATE ON "points"."debts"
  FOR EACH ROW EXECUTE FUNCTION "points"."debt_only_repaid"();--> statement-breakpoint
CREATE TRIGGER "debts_no_delete" BEFORE DELETE ON "points"."debts"
  FOR EACH ROW EXECUTE FUNCTION "points"."refuse_ledger_change"();--> statement-breakpoint
CREATE TRIGGER "debts_no_truncate" BEFORE TRUNCATE ON "points"."debts"
  FOR EACH STATEMENT EXECUTE FUNCTION "points"."refuse_ledger_change"();--> statement-breakpoint
CREATE TRIGGER "debt_repayments_append_only" BEFORE UPDATE OR DELETE ON "points"."debt_repayments"
  FOR EACH ROW EXECUTE FUNCTION "points"."refuse_ledger_change"();--> statement-breakpoint
CREATE TRIGGER "debt_repayments_no_truncate" BEFORE TRUNCATE ON "points"."debt_repayments"
  FOR EACH STATEMENT EXECUTE FUNCTION "points"."refuse_ledger_change"();--> statement-breakpoint
-- A repayment is its transfer (cause debt_repayment, referencing the debt, from the debtor to the issuance account, for
-- its amount) and adds to the debt's `repaid`, whose CHECK refuses more than the debt.
CREATE FUNCTION "points"."apply_debt_repayment"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  debt "points"."debts"%ROWTYPE;
BEGIN
  SELECT * INTO debt FROM "points"."debts" WHERE "id" = NEW.debt_id;
  IF NOT EXISTS (
    SELECT 1 FROM "points"."transfers" t JOIN "points"."accounts" i ON i.id = t.credit_account_id AND i.kind = 'issuance'
     WHERE t.id = NEW.transfer_id AND t.cause = 'debt_repayment' AND t.amount = NEW.amount
       AND t.debit_account_id = debt.account_id AND t.reference = debt.id::text
  ) OR NOT EXISTS (SELECT 1 FROM "points"."deposits" p WHERE p.id = NEW.deposit_id AND p.account_id = debt.account_id) THEN
    RAISE EXCEPTION 'repayment % is not matched by its transfer and deposit', NEW.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'debt_repayments_match_transfer';
  END IF;
  UPDATE "points"."debts"
     SET repaid = repaid + NEW.amount, settled_at = CASE WHEN repaid + NEW.amount = amount THEN NEW.created_at END
   WHERE "id" = NEW.debt_id;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "debt_repayments_apply" AFTER INSERT ON "points"."debt_repayments"
  FOR EACH ROW EXECUTE FUNCTION "points"."apply_debt_repayment"();
--> statement-breakpoint
-- The sandbox issuance account (SANDBOX_ISSUANCE_ACCOUNT_ID in src/db/schema.ts): sandbox points come from it alone. Its
-- passbook number is the last of the block kept for fixed numbers (serial 99999999999), which demo data never reaches.
INSERT INTO "points"."accounts" ("id", "kind", "holder_id", "passbook_number", "balance", "sandbox", "opened_by")
  VALUES ('00000000-0000-7000-8020-000000000001', 'issuance', NULL, '999999999991', 0, true, 'migration');--> statement-breakpoint
-- Whether a merchant or an account is a sandbox one is decided when it is created, never changed after.
CREATE FUNCTION "points"."sandbox_is_fixed"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.sandbox IS DISTINCT FROM OLD.sandbox THEN
    RAISE EXCEPTION 'points.%: % % is % for good', TG_TABLE_NAME, TG_TABLE_NAME, OLD.id, CASE WHEN OLD.sandbox THEN 'a sandbox' ELSE 'real' END
      USING ERRCODE = 'check_violation', CONSTRAINT = TG_TABLE_NAME || '_sandbox_fixed';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "merchants_sandbox_fixed" BEFORE UPDATE ON "points"."merchants"
  FOR EACH ROW EXECUTE FUNCTION "points"."sandbox_is_fixed"();--> statement-breakpoint
CREATE TRIGGER "accounts_sandbox_fixed" BEFORE UPDATE ON "points"."accounts"
  FOR EACH ROW EXECUTE FUNCTION "points"."sandbox_is_fixed"();--> statement-breakpoint
-- A merchant's account is a sandbox one exactly when its merchant is.
CREATE FUNCTION "points"."check_merchant_account_sandbox"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.merchant_id IS NOT NULL AND NEW.sandbox <> (SELECT m.sandbox FROM "points"."merchants" m WHERE m.id = NEW.merchant_id) THEN
    RAISE EXCEPTION 'account % and its merchant % differ in sandbox', NEW.id, NEW.merchant_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'accounts_sandbox_as_merchant';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "accounts_sandbox_as_merchant" BEFORE INSERT ON "points"."accounts"
  FOR EACH ROW EXECUTE FUNCTION "points"."check_merchant_account_sandbox"();--> statement-breakpoint
-- Analysts' figures leave sandbox points out: the views of 0007 without sandbox accounts and merchants.
CREATE OR REPLACE VIEW "points"."analytics_points_flows" AS
  SELECT t.id AS transfer_id, t.cause::text AS cause,
         CASE WHEN s.credit THEN 'in' ELSE 'out' END AS direction,
         t.amount AS points,
         CASE WHEN s.credit THEN t.amount ELSE -t.amount END AS balance_change,
         (t.created_at AT TIME ZONE 'Asia/Shanghai')::date AS moved_day,
         a.office_id, o.parent_id AS branch_id, o.bank_id,
         "points"."analytics_person_key"(a.holder_id) AS holder_key,
         c.merchant_id,
         t.reverses_id AS reverses_transfer_id
    FROM "points"."transfers" t
   CROSS JOIN LATERAL (VALUES (t.debit_account_id, t.credit_account_id, false), (t.credit_account_id, t.debit_account_id, true)) AS s(account_id, other_id, credit)
    JOIN "points"."accounts" a ON a.id = s.account_id AND a.kind = 'customer' AND NOT a.sandbox
    JOIN "points"."bank_units" o ON o.id = a.office_id
    JOIN "points"."accounts" c ON c.id = s.other_id;
--> statement-breakpoint
CREATE OR REPLACE VIEW "points"."analytics_redemptions" AS
  SELECT r.id AS redemption_id, r.merchant_id, m.bank_id, a.office_id,
         r.total_points AS points, r.item_count AS items,
         (r.resolved_at AT TIME ZONE 'Asia/Shanghai')::date AS captured_day
    FROM "points"."redemptions" r
    JOIN "points"."merchants" m ON m.id = r.merchant_id AND NOT m.sandbox
    JOIN "points"."accounts" a ON a.id = r.account_id
   WHERE r.status = 'captured';
--> statement-breakpoint
CREATE OR REPLACE VIEW "points"."analytics_merchants" AS
  SELECT m.id AS merchant_id, m.name, m.kind::text AS kind, m.bank_id, m.active FROM "points"."merchants" m WHERE NOT m.sandbox;
