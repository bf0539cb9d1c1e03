CREATE TYPE "points"."adjustment_status" AS ENUM('requested', 'approved', 'rejected');--> statement-breakpoint
CREATE TABLE "points"."adjustments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"account_id" uuid NOT NULL,
	"holder_id" uuid NOT NULL,
	"office_id" uuid NOT NULL,
	"amount" bigint NOT NULL,
	"reason" text NOT NULL,
	"status" "points"."adjustment_status" DEFAULT 'requested' NOT NULL,
	"requested_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"requested_by" text NOT NULL,
	"requested_by_person_id" uuid,
	"resolved_at" timestamp (3) with time zone,
	"resolved_by" text,
	"resolved_by_person_id" uuid,
	"rejection_reason" text,
	"transfer_id" uuid,
	CONSTRAINT "adjustments_one_per_transfer" UNIQUE("transfer_id"),
	CONSTRAINT "adjustments_amount_range" CHECK ("points"."adjustments"."amount" between 1 and 10000),
	CONSTRAINT "adjustments_reason_length" CHECK (char_length(trim("points"."adjustments"."reason")) between 1 and 500),
	CONSTRAINT "adjustments_resolved_iff_not_requested" CHECK (("points"."adjustments"."status" = 'requested') = ("points"."adjustments"."resolved_at" is null) and ("points"."adjustments"."status" = 'requested') = ("points"."adjustments"."resolved_by" is null)),
	CONSTRAINT "adjustments_transfer_iff_approved" CHECK (("points"."adjustments"."status" = 'approved') = ("points"."adjustments"."transfer_id" is not null)),
	CONSTRAINT "adjustments_rejection_reason_iff_rejected" CHECK (("points"."adjustments"."status" = 'rejected') = ("points"."adjustments"."rejection_reason" is not null)),
	CONSTRAINT "adjustments_not_for_requester" CHECK ("points"."adjustments"."requested_by_person_id" is null or "points"."adjustments"."requested_by_person_id" <> "points"."adjustments"."holder_id"),
	CONSTRAINT "adjustments_not_for_resolver" CHECK ("points"."adjustments"."resolved_by_person_id" is null or "points"."adjustments"."resolved_by_person_id" <> "points"."adjustments"."holder_id"),
	CONSTRAINT "adjustments_four_eyes" CHECK ("points"."adjustments"."resolved_by" is null or ("points"."adjustments"."resolved_by" <> "points"."adjustments"."requested_by"
        and ("points"."adjustments"."resolved_by_person_id" is null or "points"."adjustments"."requested_by_person_id" is null or "points"."adjustments"."resolved_by_person_id" <> "points"."adjustments"."requested_by_person_id")))
);
--> statement-breakpoint
-- Moved by hand before the foreign key that needs it.
ALTER TABLE "points"."accounts" ADD CONSTRAINT "accounts_id_holder_office" UNIQUE("id","holder_id","office_id");--> statement-breakpoint
ALTER TABLE "points"."adjustments" ADD CONSTRAINT "adjustments_account_fk" FOREIGN KEY ("account_id","holder_id","office_id") REFERENCES "points"."accounts"("id","holder_id","office_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "adjustments_office_idx" ON "points"."adjustments" USING btree ("office_id","status","requested_at","id");--> statement-breakpoint
CREATE INDEX "adjustments_account_idx" ON "points"."adjustments" USING btree ("account_id");--> statement-breakpoint
-- Hand-written below: rules drizzle-kit cannot express.
-- An approval names its transfer before posting it; both are checked at commit.
ALTER TABLE "points"."adjustments" ADD CONSTRAINT "adjustments_transfer_fk" FOREIGN KEY ("transfer_id") REFERENCES "points"."transfers"("id") DEFERRABLE INITIALLY DEFERRED;--> statement-breakpoint
CREATE TRIGGER "adjustments_no_delete" BEFORE DELETE ON "points"."adjustments"
  FOR EACH ROW EXECUTE FUNCTION "points"."refuse_ledger_change"();--> statement-breakpoint
CREATE TRIGGER "adjustments_no_truncate" BEFORE TRUNCATE ON "points"."adjustments"
  FOR EACH STATEMENT EXECUTE FUNCTION "points"."refuse_ledger_change"();--> statement-breakpoint
-- An adjustment resolves once: it leaves 'requested' for approved or rejected, and nothing of the request moves.
CREATE FUNCTION "points"."adjustment_resolves_once"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status <> 'requested' OR NEW.status = 'requested'
     OR (NEW.id, NEW.account_id, NEW.holder_id, NEW.office_id, NEW.amount, NEW.reason, NEW.requested_at, NEW.requested_by, NEW.requested_by_person_id)
        IS DISTINCT FROM (OLD.id, OLD.account_id, OLD.holder_id, OLD.office_id, OLD.amount, OLD.reason, OLD.requested_at, OLD.requested_by, OLD.requested_by_person_id) THEN
    RAISE EXCEPTION 'adjustment % is %: an adjustment resolves once, and only its outcome changes', OLD.id, OLD.status
      USING ERRCODE = 'check_violation', CONSTRAINT = 'adjustments_resolve_once';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "adjustments_resolve_once" BEFORE UPDATE ON "points"."adjustments"
  FOR EACH ROW EXECUTE FUNCTION "points"."adjustment_resolves_once"();--> statement-breakpoint
-- An approved adjustment is paid by its own transfer: from the issuance account to its account, its amount, cause
-- 'adjustment', referring to it. Checked at commit, once the approval and the transfer are both written.
CREATE FUNCTION "points"."check_adjustment_paid"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status = 'approved' AND NOT EXISTS (
    SELECT 1 FROM "points"."transfers" t JOIN "points"."accounts" d ON d."id" = t."debit_account_id"
    WHERE t."id" = NEW.transfer_id AND t."cause" = 'adjustment' AND d."kind" = 'issuance'
      AND t."credit_account_id" = NEW.account_id AND t."amount" = NEW.amount AND t."reference" = NEW.id::text
  ) THEN
    RAISE EXCEPTION 'adjustment % is approved but not paid by a matching transfer', NEW.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'adjustments_paid_by_their_transfer';
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "adjustments_paid_by_their_transfer" AFTER INSERT OR UPDATE ON "points"."adjustments"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.status = 'approved') EXECUTE FUNCTION "points"."check_adjustment_paid"();--> statement-breakpoint
-- Points move with cause 'adjustment' only as an approved adjustment's transfer: no manual credit bypasses dual control.
-- The WHEN clause keeps every other transfer (a redemption, a deposit) free of the check.
CREATE FUNCTION "points"."check_adjustment_transfer"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.cause = 'adjustment' AND NOT EXISTS (
    SELECT 1 FROM "points"."adjustments" WHERE "transfer_id" = NEW.id AND "status" = 'approved'
  ) THEN
    RAISE EXCEPTION 'transfer % has cause adjustment but no approved adjustment names it', NEW.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'transfers_adjustment_approved';
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "transfers_adjustment_approved" AFTER INSERT ON "points"."transfers"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.cause = 'adjustment') EXECUTE FUNCTION "points"."check_adjustment_transfer"();
