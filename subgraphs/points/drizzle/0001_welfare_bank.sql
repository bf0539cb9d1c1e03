CREATE TYPE "points"."bank_unit_kind" AS ENUM('head_bank', 'branch', 'savings_office');--> statement-breakpoint
CREATE TYPE "points"."contribution_source" AS ENUM('sponsoring_unit', 'company', 'public', 'residents');--> statement-breakpoint
CREATE TYPE "points"."fund_entry_kind" AS ENUM('contribution', 'disbursement');--> statement-breakpoint
CREATE TYPE "points"."merchant_kind" AS ENUM('alliance', 'central_exchange');--> statement-breakpoint
CREATE TYPE "points"."redemption_status" AS ENUM('held', 'captured', 'voided', 'expired');--> statement-breakpoint
CREATE TYPE "points"."redemption_window" AS ENUM('first_weekend_of_month', 'always_open');--> statement-breakpoint
-- Hand-written: a new enum value cannot be used in the transaction that adds it, and migrations run in one
-- transaction, so account_kind is replaced by a type with every value (constraints naming the old one are rebuilt).
ALTER TABLE "points"."accounts" DROP CONSTRAINT "accounts_holder_iff_customer";--> statement-breakpoint
ALTER TABLE "points"."accounts" DROP CONSTRAINT "accounts_balance_not_negative";--> statement-breakpoint
DROP INDEX "points"."accounts_one_per_holder";--> statement-breakpoint
DROP INDEX "points"."accounts_one_issuance";--> statement-breakpoint
ALTER TYPE "points"."account_kind" RENAME TO "account_kind_0000";--> statement-breakpoint
CREATE TYPE "points"."account_kind" AS ENUM('customer', 'merchant', 'exchange', 'issuance');--> statement-breakpoint
ALTER TABLE "points"."accounts" ALTER COLUMN "kind" TYPE "points"."account_kind" USING "kind"::text::"points"."account_kind";--> statement-breakpoint
DROP TYPE "points"."account_kind_0000";--> statement-breakpoint
ALTER TABLE "points"."accounts" ADD CONSTRAINT "accounts_holder_iff_customer" CHECK (("points"."accounts"."kind" = 'customer') = ("points"."accounts"."holder_id" is not null));--> statement-breakpoint
ALTER TABLE "points"."accounts" ADD CONSTRAINT "accounts_balance_not_negative" CHECK ("points"."accounts"."kind" = 'issuance' or "points"."accounts"."balance" >= 0);--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_one_per_holder" ON "points"."accounts" USING btree ("holder_id") WHERE kind = 'customer';--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_one_issuance" ON "points"."accounts" USING btree ("kind") WHERE kind = 'issuance';--> statement-breakpoint
CREATE TABLE "points"."bank_clerks" (
	"person_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"assigned_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"assigned_by" text NOT NULL,
	CONSTRAINT "bank_clerks_pk" PRIMARY KEY("person_id","unit_id")
);
--> statement-breakpoint
CREATE TABLE "points"."bank_units" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" "points"."bank_unit_kind" NOT NULL,
	"name" text NOT NULL,
	"parent_id" uuid,
	"parent_kind" "points"."bank_unit_kind",
	"bank_id" uuid NOT NULL,
	"region_id" uuid NOT NULL,
	"station_id" uuid,
	"redemption_window" "points"."redemption_window",
	"is_default_office" boolean DEFAULT false NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	CONSTRAINT "bank_units_id_kind" UNIQUE("id","kind"),
	CONSTRAINT "bank_units_id_kind_bank" UNIQUE("id","kind","bank_id"),
	CONSTRAINT "bank_units_name_not_blank" CHECK (length(trim("points"."bank_units"."name")) > 0),
	CONSTRAINT "bank_units_levels" CHECK (("points"."bank_units"."kind" = 'head_bank' and "points"."bank_units"."parent_id" is null and "points"."bank_units"."parent_kind" is null and "points"."bank_units"."bank_id" = "points"."bank_units"."id" and "points"."bank_units"."redemption_window" is not null)
        or ("points"."bank_units"."kind" = 'branch' and "points"."bank_units"."parent_id" is not null and "points"."bank_units"."parent_kind" = 'head_bank' and "points"."bank_units"."redemption_window" is null)
        or ("points"."bank_units"."kind" = 'savings_office' and "points"."bank_units"."parent_id" is not null and "points"."bank_units"."parent_kind" = 'branch' and "points"."bank_units"."redemption_window" is null)),
	CONSTRAINT "bank_units_station_iff_office" CHECK (("points"."bank_units"."kind" = 'savings_office') = ("points"."bank_units"."station_id" is not null)),
	CONSTRAINT "bank_units_default_is_office" CHECK (not "points"."bank_units"."is_default_office" or "points"."bank_units"."kind" = 'savings_office')
);
--> statement-breakpoint
CREATE TABLE "points"."catalog_items" (
	"id" uuid PRIMARY KEY NOT NULL,
	"merchant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"price_points" bigint NOT NULL,
	"stock" integer NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "catalog_items_price_positive" CHECK ("points"."catalog_items"."price_points" > 0),
	CONSTRAINT "catalog_items_stock_not_negative" CHECK ("points"."catalog_items"."stock" >= 0),
	CONSTRAINT "catalog_items_name_not_blank" CHECK (length(trim("points"."catalog_items"."name")) > 0)
);
--> statement-breakpoint
CREATE TABLE "points"."deposit_rules" (
	"bank_id" uuid NOT NULL,
	"bank_kind" "points"."bank_unit_kind" GENERATED ALWAYS AS ('head_bank'::points.bank_unit_kind) STORED NOT NULL,
	"category_code" text NOT NULL,
	"points_per_hour" integer NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_by" text NOT NULL,
	CONSTRAINT "deposit_rules_pk" PRIMARY KEY("bank_id","category_code"),
	CONSTRAINT "deposit_rules_points_per_hour_range" CHECK ("points"."deposit_rules"."points_per_hour" between 1 and 10000),
	CONSTRAINT "deposit_rules_category_format" CHECK ("points"."deposit_rules"."category_code" ~ '^[a-z][a-z0-9_]{0,62}$')
);
--> statement-breakpoint
CREATE TABLE "points"."deposits" (
	"id" uuid PRIMARY KEY NOT NULL,
	"service_record_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"category_code" text NOT NULL,
	"minutes" integer NOT NULL,
	"points_per_hour" integer NOT NULL,
	"amount" bigint NOT NULL,
	"transfer_id" uuid NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	CONSTRAINT "deposits_one_per_service_record" UNIQUE("service_record_id"),
	CONSTRAINT "deposits_one_per_transfer" UNIQUE("transfer_id"),
	CONSTRAINT "deposits_minutes_range" CHECK ("points"."deposits"."minutes" between 1 and 1440),
	CONSTRAINT "deposits_amount_by_rule" CHECK ("points"."deposits"."amount" > 0 and "points"."deposits"."amount" = ("points"."deposits"."minutes" * "points"."deposits"."points_per_hour") / 60)
);
--> statement-breakpoint
CREATE TABLE "points"."fund_entries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"fund_id" uuid NOT NULL,
	"line" bigint NOT NULL,
	"kind" "points"."fund_entry_kind" NOT NULL,
	"amount" bigint NOT NULL,
	"balance_after" bigint NOT NULL,
	"source" "points"."contribution_source",
	"contributor" text,
	"service_request_id" uuid,
	"memo" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	CONSTRAINT "fund_entries_amount_positive" CHECK ("points"."fund_entries"."amount" > 0),
	CONSTRAINT "fund_entries_balance_not_negative" CHECK ("points"."fund_entries"."balance_after" >= 0),
	CONSTRAINT "fund_entries_line_positive" CHECK ("points"."fund_entries"."line" > 0),
	CONSTRAINT "fund_entries_shape" CHECK (("points"."fund_entries"."kind" = 'contribution' and "points"."fund_entries"."source" is not null and "points"."fund_entries"."service_request_id" is null)
        or ("points"."fund_entries"."kind" = 'disbursement' and "points"."fund_entries"."source" is null and "points"."fund_entries"."contributor" is null and "points"."fund_entries"."service_request_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "points"."funds" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"bank_id" uuid NOT NULL,
	"bank_kind" "points"."bank_unit_kind" GENERATED ALWAYS AS ('head_bank'::points.bank_unit_kind) STORED NOT NULL,
	"balance" bigint DEFAULT 0 NOT NULL,
	"entries" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	CONSTRAINT "funds_balance_not_negative" CHECK ("points"."funds"."balance" >= 0),
	CONSTRAINT "funds_entries_not_negative" CHECK ("points"."funds"."entries" >= 0),
	CONSTRAINT "funds_name_not_blank" CHECK (length(trim("points"."funds"."name")) > 0)
);
--> statement-breakpoint
CREATE TABLE "points"."idempotency_keys" (
	"merchant_id" uuid NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"redemption_id" uuid NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_pk" PRIMARY KEY("merchant_id","key"),
	CONSTRAINT "idempotency_keys_key_format" CHECK ("points"."idempotency_keys"."key" ~ '^[!-~]{8,255}$'),
	CONSTRAINT "idempotency_keys_hash_format" CHECK ("points"."idempotency_keys"."request_hash" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE TABLE "points"."merchants" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" "points"."merchant_kind" NOT NULL,
	"name" text NOT NULL,
	"organization_id" uuid,
	"bank_id" uuid NOT NULL,
	"bank_kind" "points"."bank_unit_kind" GENERATED ALWAYS AS ('head_bank'::points.bank_unit_kind) STORED NOT NULL,
	"always_open" boolean DEFAULT false NOT NULL,
	"minimum_balance" bigint DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	CONSTRAINT "merchants_organization_iff_alliance" CHECK (("points"."merchants"."kind" = 'alliance') = ("points"."merchants"."organization_id" is not null)),
	CONSTRAINT "merchants_minimum_balance_not_negative" CHECK ("points"."merchants"."minimum_balance" >= 0),
	CONSTRAINT "merchants_name_not_blank" CHECK (length(trim("points"."merchants"."name")) > 0)
);
--> statement-breakpoint
CREATE TABLE "points"."redemption_lines" (
	"redemption_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"name" text NOT NULL,
	"quantity" integer NOT NULL,
	"unit_points" bigint NOT NULL,
	CONSTRAINT "redemption_lines_pk" PRIMARY KEY("redemption_id","item_id"),
	CONSTRAINT "redemption_lines_quantity_positive" CHECK ("points"."redemption_lines"."quantity" > 0),
	CONSTRAINT "redemption_lines_price_positive" CHECK ("points"."redemption_lines"."unit_points" > 0)
);
--> statement-breakpoint
CREATE TABLE "points"."redemptions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"merchant_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"status" "points"."redemption_status" NOT NULL,
	"total_points" bigint NOT NULL,
	"item_count" integer NOT NULL,
	"held_until" timestamp (3) with time zone,
	"transfer_id" uuid,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	"resolved_at" timestamp (3) with time zone,
	"resolved_by" text,
	CONSTRAINT "redemptions_one_per_transfer" UNIQUE("transfer_id"),
	CONSTRAINT "redemptions_total_positive" CHECK ("points"."redemptions"."total_points" > 0 and "points"."redemptions"."item_count" > 0),
	CONSTRAINT "redemptions_transfer_iff_captured" CHECK (("points"."redemptions"."status" = 'captured') = ("points"."redemptions"."transfer_id" is not null)),
	CONSTRAINT "redemptions_resolved_iff_not_held" CHECK (("points"."redemptions"."status" = 'held') = ("points"."redemptions"."resolved_at" is null)),
	CONSTRAINT "redemptions_hold_has_expiry" CHECK ("points"."redemptions"."held_until" is not null or "points"."redemptions"."status" = 'captured'),
	CONSTRAINT "redemptions_expired_after_expiry" CHECK ("points"."redemptions"."status" <> 'expired' or "points"."redemptions"."resolved_at" >= "points"."redemptions"."held_until")
);
--> statement-breakpoint
DROP INDEX "points"."transfers_debit_idx";--> statement-breakpoint
DROP INDEX "points"."transfers_credit_idx";--> statement-breakpoint
ALTER TABLE "points"."accounts" ADD COLUMN "office_id" uuid;--> statement-breakpoint
ALTER TABLE "points"."accounts" ADD COLUMN "office_kind" "points"."bank_unit_kind" GENERATED ALWAYS AS ('savings_office'::points.bank_unit_kind) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "points"."accounts" ADD COLUMN "merchant_id" uuid;--> statement-breakpoint
ALTER TABLE "points"."accounts" ADD COLUMN "held" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "points"."accounts" ADD COLUMN "lines" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "points"."transfers" ADD COLUMN "note" text;--> statement-breakpoint
ALTER TABLE "points"."transfers" ADD COLUMN "reverses_id" uuid;--> statement-breakpoint
ALTER TABLE "points"."transfers" ADD COLUMN "debit_line" bigint;--> statement-breakpoint
ALTER TABLE "points"."transfers" ADD COLUMN "credit_line" bigint;--> statement-breakpoint
ALTER TABLE "points"."transfers" ADD COLUMN "debit_balance_after" bigint;--> statement-breakpoint
ALTER TABLE "points"."transfers" ADD COLUMN "credit_balance_after" bigint;--> statement-breakpoint
-- Hand-written: transfers written before passbook lines existed get their line numbers and balances after,
-- replayed in the order they were written; the append-only trigger is lifted for this one statement only.
ALTER TABLE "points"."transfers" DISABLE TRIGGER "transfers_append_only";--> statement-breakpoint
WITH "sides" AS (
  SELECT "id" AS "transfer_id", "debit_account_id" AS "account_id", -"amount" AS "delta", "created_at", 'debit' AS "side" FROM "points"."transfers"
  UNION ALL
  SELECT "id", "credit_account_id", "amount", "created_at", 'credit' FROM "points"."transfers"
), "numbered" AS (
  SELECT "transfer_id", "side",
    row_number() OVER "passbook" AS "line",
    sum("delta") OVER "passbook" AS "balance_after"
  FROM "sides"
  WINDOW "passbook" AS (PARTITION BY "account_id" ORDER BY "created_at", "transfer_id" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
)
UPDATE "points"."transfers" AS "t"
  SET "debit_line" = "d"."line", "debit_balance_after" = "d"."balance_after", "credit_line" = "c"."line", "credit_balance_after" = "c"."balance_after"
  FROM "numbered" AS "d", "numbered" AS "c"
  WHERE "d"."transfer_id" = "t"."id" AND "d"."side" = 'debit' AND "c"."transfer_id" = "t"."id" AND "c"."side" = 'credit';--> statement-breakpoint
ALTER TABLE "points"."transfers" ENABLE TRIGGER "transfers_append_only";--> statement-breakpoint
UPDATE "points"."accounts" AS "a"
  SET "lines" = (SELECT count(*) FROM "points"."transfers" WHERE "debit_account_id" = "a"."id" OR "credit_account_id" = "a"."id");--> statement-breakpoint
ALTER TABLE "points"."transfers" ALTER COLUMN "debit_line" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "points"."transfers" ALTER COLUMN "credit_line" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "points"."transfers" ALTER COLUMN "debit_balance_after" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "points"."transfers" ALTER COLUMN "credit_balance_after" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "points"."bank_clerks" ADD CONSTRAINT "bank_clerks_unit_id_bank_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "points"."bank_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points"."bank_units" ADD CONSTRAINT "bank_units_parent_fk" FOREIGN KEY ("parent_id","parent_kind","bank_id") REFERENCES "points"."bank_units"("id","kind","bank_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points"."catalog_items" ADD CONSTRAINT "catalog_items_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "points"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points"."deposit_rules" ADD CONSTRAINT "deposit_rules_bank_fk" FOREIGN KEY ("bank_id","bank_kind") REFERENCES "points"."bank_units"("id","kind") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points"."deposits" ADD CONSTRAINT "deposits_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "points"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points"."fund_entries" ADD CONSTRAINT "fund_entries_fund_id_funds_id_fk" FOREIGN KEY ("fund_id") REFERENCES "points"."funds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points"."funds" ADD CONSTRAINT "funds_bank_fk" FOREIGN KEY ("bank_id","bank_kind") REFERENCES "points"."bank_units"("id","kind") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points"."idempotency_keys" ADD CONSTRAINT "idempotency_keys_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "points"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points"."merchants" ADD CONSTRAINT "merchants_bank_fk" FOREIGN KEY ("bank_id","bank_kind") REFERENCES "points"."bank_units"("id","kind") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points"."redemption_lines" ADD CONSTRAINT "redemption_lines_redemption_id_redemptions_id_fk" FOREIGN KEY ("redemption_id") REFERENCES "points"."redemptions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points"."redemption_lines" ADD CONSTRAINT "redemption_lines_item_id_catalog_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "points"."catalog_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points"."redemptions" ADD CONSTRAINT "redemptions_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "points"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points"."redemptions" ADD CONSTRAINT "redemptions_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "points"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bank_clerks_unit_idx" ON "points"."bank_clerks" USING btree ("unit_id");--> statement-breakpoint
CREATE UNIQUE INDEX "bank_units_parent_name" ON "points"."bank_units" USING btree ("parent_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "bank_units_head_name" ON "points"."bank_units" USING btree ("name") WHERE parent_id is null;--> statement-breakpoint
CREATE UNIQUE INDEX "bank_units_one_default_office" ON "points"."bank_units" USING btree ("is_default_office") WHERE is_default_office;--> statement-breakpoint
CREATE INDEX "bank_units_bank_idx" ON "points"."bank_units" USING btree ("bank_id","kind","name","id");--> statement-breakpoint
CREATE UNIQUE INDEX "catalog_items_merchant_name" ON "points"."catalog_items" USING btree ("merchant_id","name");--> statement-breakpoint
CREATE INDEX "catalog_items_merchant_idx" ON "points"."catalog_items" USING btree ("merchant_id","name","id");--> statement-breakpoint
CREATE INDEX "deposits_account_idx" ON "points"."deposits" USING btree ("account_id","created_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "fund_entries_line" ON "points"."fund_entries" USING btree ("fund_id","line");--> statement-breakpoint
CREATE UNIQUE INDEX "fund_entries_one_disbursement_per_request" ON "points"."fund_entries" USING btree ("service_request_id");--> statement-breakpoint
CREATE UNIQUE INDEX "funds_bank_name" ON "points"."funds" USING btree ("bank_id","name");--> statement-breakpoint
CREATE INDEX "funds_name_idx" ON "points"."funds" USING btree ("name","id");--> statement-breakpoint
CREATE INDEX "idempotency_keys_created_idx" ON "points"."idempotency_keys" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "merchants_one_exchange_per_bank" ON "points"."merchants" USING btree ("bank_id") WHERE kind = 'central_exchange';--> statement-breakpoint
CREATE UNIQUE INDEX "merchants_one_per_organization" ON "points"."merchants" USING btree ("organization_id","bank_id");--> statement-breakpoint
CREATE INDEX "merchants_bank_name_idx" ON "points"."merchants" USING btree ("bank_id","name","id");--> statement-breakpoint
CREATE INDEX "merchants_name_idx" ON "points"."merchants" USING btree ("name","id");--> statement-breakpoint
CREATE INDEX "redemptions_merchant_idx" ON "points"."redemptions" USING btree ("merchant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "redemptions_account_idx" ON "points"."redemptions" USING btree ("account_id","created_at","id");--> statement-breakpoint
CREATE INDEX "redemptions_settlement_idx" ON "points"."redemptions" USING btree ("merchant_id","resolved_at","id") WHERE status = 'captured';--> statement-breakpoint
CREATE INDEX "redemptions_open_holds_idx" ON "points"."redemptions" USING btree ("held_until") WHERE status = 'held';--> statement-breakpoint
CREATE INDEX "redemptions_open_holds_of_account_idx" ON "points"."redemptions" USING btree ("account_id") WHERE status = 'held';--> statement-breakpoint
ALTER TABLE "points"."accounts" ADD CONSTRAINT "accounts_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "points"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points"."accounts" ADD CONSTRAINT "accounts_office_fk" FOREIGN KEY ("office_id","office_kind") REFERENCES "points"."bank_units"("id","kind") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points"."transfers" ADD CONSTRAINT "transfers_reverses_fk" FOREIGN KEY ("reverses_id") REFERENCES "points"."transfers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_one_per_merchant" ON "points"."accounts" USING btree ("merchant_id");--> statement-breakpoint
CREATE INDEX "accounts_office_idx" ON "points"."accounts" USING btree ("office_id","passbook_number");--> statement-breakpoint
CREATE UNIQUE INDEX "transfers_debit_line" ON "points"."transfers" USING btree ("debit_account_id","debit_line");--> statement-breakpoint
CREATE UNIQUE INDEX "transfers_credit_line" ON "points"."transfers" USING btree ("credit_account_id","credit_line");--> statement-breakpoint
ALTER TABLE "points"."transfers" ADD CONSTRAINT "transfers_reversed_once" UNIQUE("reverses_id");--> statement-breakpoint
-- Hand-written: accounts opened before savings offices existed (only development databases loaded with the first demo
-- data set) are placed at the demo's 兴乐社区储蓄所, created here with the demo's fixed ids only when such accounts exist.
-- A fresh database has none, so nothing is inserted there.
INSERT INTO "points"."bank_units" ("id", "kind", "name", "parent_id", "parent_kind", "bank_id", "region_id", "station_id", "redemption_window", "is_default_office", "created_by")
  SELECT v."id"::uuid, v."kind"::"points"."bank_unit_kind", v."name", v."parent_id"::uuid, v."parent_kind"::"points"."bank_unit_kind", '00000000-0000-7000-8016-000000000001'::uuid,
         v."region_id"::uuid, v."station_id"::uuid, v."redemption_window"::"points"."redemption_window", v."is_default_office", 'migration'
  FROM (VALUES
    ('00000000-0000-7000-8016-000000000001', 'head_bank', '新城区公益银行', NULL, NULL, '00000000-0000-7000-8001-000000000003', NULL, 'first_weekend_of_month', false),
    ('00000000-0000-7000-8016-000000000002', 'branch', '西一路街道分行', '00000000-0000-7000-8016-000000000001', 'head_bank', '00000000-0000-7000-8001-000000000004', NULL, NULL, false),
    ('00000000-0000-7000-8016-000000000003', 'savings_office', '兴乐社区储蓄所', '00000000-0000-7000-8016-000000000002', 'branch', '00000000-0000-7000-8001-000000000005', '00000000-0000-7000-802f-000000000005', NULL, true)
  ) AS v("id", "kind", "name", "parent_id", "parent_kind", "region_id", "station_id", "redemption_window", "is_default_office")
  WHERE EXISTS (SELECT 1 FROM "points"."accounts" WHERE "kind" = 'customer');--> statement-breakpoint
UPDATE "points"."accounts" SET "office_id" = '00000000-0000-7000-8016-000000000003' WHERE "kind" = 'customer' AND "office_id" IS NULL;--> statement-breakpoint
ALTER TABLE "points"."accounts" ADD CONSTRAINT "accounts_office_iff_customer" CHECK (("points"."accounts"."kind" = 'customer') = ("points"."accounts"."office_id" is not null));--> statement-breakpoint
ALTER TABLE "points"."accounts" ADD CONSTRAINT "accounts_merchant_iff_merchant" CHECK (("points"."accounts"."kind" in ('merchant', 'exchange')) = ("points"."accounts"."merchant_id" is not null));--> statement-breakpoint
ALTER TABLE "points"."accounts" ADD CONSTRAINT "accounts_held_within_balance" CHECK ("points"."accounts"."held" >= 0 and ("points"."accounts"."held" = 0 or "points"."accounts"."held" <= "points"."accounts"."balance"));--> statement-breakpoint
ALTER TABLE "points"."accounts" ADD CONSTRAINT "accounts_lines_not_negative" CHECK ("points"."accounts"."lines" >= 0);--> statement-breakpoint
ALTER TABLE "points"."transfers" ADD CONSTRAINT "transfers_reversal_iff_reverses" CHECK (("points"."transfers"."cause" = 'reversal') = ("points"."transfers"."reverses_id" is not null));--> statement-breakpoint
ALTER TABLE "points"."transfers" ADD CONSTRAINT "transfers_lines_positive" CHECK ("points"."transfers"."debit_line" > 0 and "points"."transfers"."credit_line" > 0);--> statement-breakpoint
-- Hand-written below: rules drizzle-kit cannot express.
-- Rows written inside one transaction under ids chosen beforehand (an idempotency key names its redemption before the
-- redemption exists; a capture names its transfer before posting it) are checked at commit.
ALTER TABLE "points"."idempotency_keys" ADD CONSTRAINT "idempotency_keys_redemption_fk" FOREIGN KEY ("redemption_id") REFERENCES "points"."redemptions"("id") DEFERRABLE INITIALLY DEFERRED;--> statement-breakpoint
ALTER TABLE "points"."redemptions" ADD CONSTRAINT "redemptions_transfer_fk" FOREIGN KEY ("transfer_id") REFERENCES "points"."transfers"("id") DEFERRABLE INITIALLY DEFERRED;--> statement-breakpoint
ALTER TABLE "points"."deposits" ADD CONSTRAINT "deposits_transfer_fk" FOREIGN KEY ("transfer_id") REFERENCES "points"."transfers"("id") DEFERRABLE INITIALLY DEFERRED;--> statement-breakpoint
-- One refusal for every append-only table: the message names the table.
CREATE OR REPLACE FUNCTION "points"."refuse_ledger_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'points.% is append-only: % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'restrict_violation', HINT = 'Correct an entry with a new, reversing entry.';
END
$$;--> statement-breakpoint
CREATE TRIGGER "deposits_append_only" BEFORE UPDATE OR DELETE ON "points"."deposits"
  FOR EACH ROW EXECUTE FUNCTION "points"."refuse_ledger_change"();--> statement-breakpoint
CREATE TRIGGER "deposits_no_truncate" BEFORE TRUNCATE ON "points"."deposits"
  FOR EACH STATEMENT EXECUTE FUNCTION "points"."refuse_ledger_change"();--> statement-breakpoint
CREATE TRIGGER "redemption_lines_append_only" BEFORE UPDATE OR DELETE ON "points"."redemption_lines"
  FOR EACH ROW EXECUTE FUNCTION "points"."refuse_ledger_change"();--> statement-breakpoint
CREATE TRIGGER "redemption_lines_no_truncate" BEFORE TRUNCATE ON "points"."redemption_lines"
  FOR EACH STATEMENT EXECUTE FUNCTION "points"."refuse_ledger_change"();--> statement-breakpoint
CREATE TRIGGER "fund_entries_append_only" BEFORE UPDATE OR DELETE ON "points"."fund_entries"
  FOR EACH ROW EXECUTE FUNCTION "points"."refuse_ledger_change"();--> statement-breakpoint
CREATE TRIGGER "fund_entries_no_truncate" BEFORE TRUNCATE ON "points"."fund_entries"
  FOR EACH STATEMENT EXECUTE FUNCTION "points"."refuse_ledger_change"();--> statement-breakpoint
CREATE TRIGGER "redemptions_no_delete" BEFORE DELETE ON "points"."redemptions"
  FOR EACH ROW EXECUTE FUNCTION "points"."refuse_ledger_change"();--> statement-breakpoint
CREATE TRIGGER "redemptions_no_truncate" BEFORE TRUNCATE ON "points"."redemptions"
  FOR EACH STATEMENT EXECUTE FUNCTION "points"."refuse_ledger_change"();--> statement-breakpoint
-- A redemption changes once: a hold leaves 'held' for captured, voided or expired, and nothing else about it moves.
CREATE FUNCTION "points"."redemption_resolves_once"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status <> 'held' OR NEW.status = 'held'
     OR (NEW.id, NEW.merchant_id, NEW.account_id, NEW.total_points, NEW.item_count, NEW.held_until, NEW.created_at, NEW.created_by)
        IS DISTINCT FROM (OLD.id, OLD.merchant_id, OLD.account_id, OLD.total_points, OLD.item_count, OLD.held_until, OLD.created_at, OLD.created_by) THEN
    RAISE EXCEPTION 'redemption % is %: a hold resolves once, and only its outcome changes', OLD.id, OLD.status
      USING ERRCODE = 'check_violation', CONSTRAINT = 'redemptions_resolve_once';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "redemptions_resolve_once" BEFORE UPDATE ON "points"."redemptions"
  FOR EACH ROW EXECUTE FUNCTION "points"."redemption_resolves_once"();--> statement-breakpoint
-- A transfer is a passbook line of both its accounts: written right after they move, with their new line number and
-- balance. A reversal mirrors the transfer it reverses (accounts swapped, same amount), and a reversal is not reversed.
-- AFTER INSERT, so the row's own CHECKs speak first.
CREATE FUNCTION "points"."check_transfer"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  original "points"."transfers"%ROWTYPE;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM "points"."accounts" WHERE "id" = NEW.debit_account_id AND "lines" = NEW.debit_line AND "balance" = NEW.debit_balance_after)
     OR NOT EXISTS (SELECT 1 FROM "points"."accounts" WHERE "id" = NEW.credit_account_id AND "lines" = NEW.credit_line AND "balance" = NEW.credit_balance_after) THEN
    RAISE EXCEPTION 'transfer % does not match its accounts: lines and balances after must be those the accounts just reached', NEW.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'transfers_match_accounts';
  END IF;
  IF NEW.reverses_id IS NOT NULL THEN
    SELECT * INTO original FROM "points"."transfers" WHERE "id" = NEW.reverses_id;
    IF NOT FOUND OR original.cause = 'reversal' OR original.debit_account_id <> NEW.credit_account_id
       OR original.credit_account_id <> NEW.debit_account_id OR original.amount <> NEW.amount THEN
      RAISE EXCEPTION 'transfer % does not mirror the transfer % it reverses', NEW.id, NEW.reverses_id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'transfers_reversal_mirrors_original';
    END IF;
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "transfers_check" AFTER INSERT ON "points"."transfers"
  FOR EACH ROW EXECUTE FUNCTION "points"."check_transfer"();--> statement-breakpoint
-- A fund statement line is written right after the fund moves, with its new line number and balance.
CREATE FUNCTION "points"."check_fund_entry"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM "points"."funds" WHERE "id" = NEW.fund_id AND "entries" = NEW.line AND "balance" = NEW.balance_after) THEN
    RAISE EXCEPTION 'fund entry % does not match its fund: line and balance after must be those the fund just reached', NEW.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'fund_entries_match_fund';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "fund_entries_check" AFTER INSERT ON "points"."fund_entries"
  FOR EACH ROW EXECUTE FUNCTION "points"."check_fund_entry"();
