CREATE TABLE "points"."clerk_assisted_redemptions" (
	"redemption_id" uuid PRIMARY KEY NOT NULL,
	"account_id" uuid NOT NULL,
	"merchant_id" uuid NOT NULL,
	"clerk" text NOT NULL,
	"clerk_person_id" uuid,
	"identity_checked" boolean NOT NULL,
	"by_payment_code" boolean NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "clerk_assisted_redemptions_identity_or_code" CHECK ("points"."clerk_assisted_redemptions"."identity_checked" or "points"."clerk_assisted_redemptions"."by_payment_code")
);
--> statement-breakpoint
CREATE TABLE "points"."payment_code_secrets" (
	"account_id" uuid PRIMARY KEY NOT NULL,
	"secret" text NOT NULL,
	"counter" bigint NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payment_code_secrets_secret_format" CHECK ("points"."payment_code_secrets"."secret" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "payment_code_secrets_counter_positive" CHECK ("points"."payment_code_secrets"."counter" > 0)
);
--> statement-breakpoint
CREATE TABLE "points"."payment_codes" (
	"code_hash" text PRIMARY KEY NOT NULL,
	"account_id" uuid NOT NULL,
	"counter" bigint NOT NULL,
	"issued_at" timestamp (3) with time zone NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL,
	"used_at" timestamp (3) with time zone,
	"redemption_id" uuid,
	CONSTRAINT "payment_codes_one_per_redemption" UNIQUE("redemption_id"),
	CONSTRAINT "payment_codes_account_counter" UNIQUE("account_id","counter"),
	CONSTRAINT "payment_codes_hash_format" CHECK ("points"."payment_codes"."code_hash" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "payment_codes_expiry_after_issue" CHECK ("points"."payment_codes"."expires_at" > "points"."payment_codes"."issued_at"),
	CONSTRAINT "payment_codes_used_with_redemption" CHECK (("points"."payment_codes"."used_at" is null) = ("points"."payment_codes"."redemption_id" is null)),
	CONSTRAINT "payment_codes_used_before_expiry" CHECK ("points"."payment_codes"."used_at" is null or ("points"."payment_codes"."used_at" >= "points"."payment_codes"."issued_at" and "points"."payment_codes"."used_at" < "points"."payment_codes"."expires_at"))
);
--> statement-breakpoint
ALTER TABLE "points"."merchants" ADD COLUMN "accepts_passbook_numbers" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "points"."clerk_assisted_redemptions" ADD CONSTRAINT "clerk_assisted_redemptions_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "points"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points"."clerk_assisted_redemptions" ADD CONSTRAINT "clerk_assisted_redemptions_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "points"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points"."payment_code_secrets" ADD CONSTRAINT "payment_code_secrets_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "points"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points"."payment_codes" ADD CONSTRAINT "payment_codes_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "points"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "clerk_assisted_redemptions_merchant_idx" ON "points"."clerk_assisted_redemptions" USING btree ("merchant_id","created_at");--> statement-breakpoint
CREATE INDEX "payment_codes_expires_idx" ON "points"."payment_codes" USING btree ("expires_at");--> statement-breakpoint
-- Hand-written: the redemption a code paid for, and the one a clerk made, are written later in the same transaction.
ALTER TABLE "points"."payment_codes" ADD CONSTRAINT "payment_codes_redemption_fk" FOREIGN KEY ("redemption_id") REFERENCES "points"."redemptions"("id") DEFERRABLE INITIALLY DEFERRED;--> statement-breakpoint
ALTER TABLE "points"."clerk_assisted_redemptions" ADD CONSTRAINT "clerk_assisted_redemptions_redemption_fk" FOREIGN KEY ("redemption_id") REFERENCES "points"."redemptions"("id") DEFERRABLE INITIALLY DEFERRED;--> statement-breakpoint
-- A code is consumed once: the only change allowed is setting used_at and redemption_id on an unused code; a secret's
-- counter only moves forwards. Deleting (the purge of expired codes) stays allowed.
CREATE OR REPLACE FUNCTION "points"."check_payment_code_use"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.used_at IS NOT NULL OR NEW.used_at IS NULL
     OR NEW.code_hash <> OLD.code_hash OR NEW.account_id <> OLD.account_id OR NEW.counter <> OLD.counter
     OR NEW.issued_at <> OLD.issued_at OR NEW.expires_at <> OLD.expires_at THEN
    RAISE EXCEPTION 'points.payment_codes: a code is consumed once and never otherwise changed'
      USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "payment_codes_consumed_once" BEFORE UPDATE ON "points"."payment_codes"
  FOR EACH ROW EXECUTE FUNCTION "points"."check_payment_code_use"();--> statement-breakpoint
CREATE OR REPLACE FUNCTION "points"."check_payment_code_counter"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.counter <= OLD.counter OR NEW.secret <> OLD.secret OR NEW.account_id <> OLD.account_id THEN
    RAISE EXCEPTION 'points.payment_code_secrets: the counter only moves forwards and the secret never changes'
      USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "payment_code_secrets_forwards" BEFORE UPDATE ON "points"."payment_code_secrets"
  FOR EACH ROW EXECUTE FUNCTION "points"."check_payment_code_counter"();--> statement-breakpoint
CREATE TRIGGER "clerk_assisted_redemptions_append_only" BEFORE UPDATE OR DELETE ON "points"."clerk_assisted_redemptions"
  FOR EACH ROW EXECUTE FUNCTION "points"."refuse_ledger_change"();--> statement-breakpoint
CREATE TRIGGER "clerk_assisted_redemptions_no_truncate" BEFORE TRUNCATE ON "points"."clerk_assisted_redemptions"
  FOR EACH STATEMENT EXECUTE FUNCTION "points"."refuse_ledger_change"();
