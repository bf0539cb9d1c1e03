CREATE TYPE "points"."statement_line_kind" AS ENUM('redemption', 'refund');--> statement-breakpoint
CREATE TYPE "points"."statement_status" AS ENUM('closed', 'confirmed', 'paid');--> statement-breakpoint
CREATE TABLE "points"."settlement_dispute_resolutions" (
	"dispute_id" uuid PRIMARY KEY NOT NULL,
	"resolution" text NOT NULL,
	"resolved_at" timestamp (3) with time zone NOT NULL,
	"resolved_by" text NOT NULL,
	CONSTRAINT "settlement_dispute_resolutions_length" CHECK (length(trim("points"."settlement_dispute_resolutions"."resolution")) between 1 and 500)
);
--> statement-breakpoint
CREATE TABLE "points"."settlement_disputes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"line_id" uuid NOT NULL,
	"statement_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"opened_at" timestamp (3) with time zone NOT NULL,
	"opened_by" text NOT NULL,
	CONSTRAINT "settlement_disputes_reason_length" CHECK (length(trim("points"."settlement_disputes"."reason")) between 1 and 500)
);
--> statement-breakpoint
CREATE TABLE "points"."settlement_lines" (
	"id" uuid PRIMARY KEY NOT NULL,
	"statement_id" uuid NOT NULL,
	"kind" "points"."statement_line_kind" NOT NULL,
	"redemption_id" uuid NOT NULL,
	"refund_id" uuid,
	"account_id" uuid NOT NULL,
	"at" timestamp (3) with time zone NOT NULL,
	"item_count" integer NOT NULL,
	"points" bigint NOT NULL,
	CONSTRAINT "settlement_lines_kind" CHECK (("points"."settlement_lines"."kind" = 'redemption' and "points"."settlement_lines"."refund_id" is null and "points"."settlement_lines"."points" > 0)
        or ("points"."settlement_lines"."kind" = 'refund' and "points"."settlement_lines"."refund_id" is not null and "points"."settlement_lines"."points" < 0)),
	CONSTRAINT "settlement_lines_items_positive" CHECK ("points"."settlement_lines"."item_count" > 0)
);
--> statement-breakpoint
CREATE TABLE "points"."settlement_statement_steps" (
	"statement_id" uuid NOT NULL,
	"status" "points"."statement_status" NOT NULL,
	"at" timestamp (3) with time zone NOT NULL,
	"by" text NOT NULL,
	"payment_reference" text,
	CONSTRAINT "settlement_statement_steps_pk" PRIMARY KEY("statement_id","status"),
	CONSTRAINT "settlement_statement_steps_reference" CHECK (("points"."settlement_statement_steps"."status" = 'paid') = ("points"."settlement_statement_steps"."payment_reference" is not null) and ("points"."settlement_statement_steps"."payment_reference" is null or length(trim("points"."settlement_statement_steps"."payment_reference")) between 1 and 100))
);
--> statement-breakpoint
CREATE TABLE "points"."settlement_statements" (
	"id" uuid PRIMARY KEY NOT NULL,
	"merchant_id" uuid NOT NULL,
	"bank_id" uuid NOT NULL,
	"period_from" date NOT NULL,
	"period_to" date NOT NULL,
	"redemption_count" integer NOT NULL,
	"refund_count" integer NOT NULL,
	"points" bigint NOT NULL,
	"refunded_points" bigint NOT NULL,
	"net_points" bigint NOT NULL,
	"fen_per_point" integer NOT NULL,
	"amount_fen" bigint NOT NULL,
	"closed_at" timestamp (3) with time zone NOT NULL,
	"closed_by" text NOT NULL,
	CONSTRAINT "settlement_statements_one_per_month" UNIQUE("merchant_id","period_from"),
	CONSTRAINT "settlement_statements_month" CHECK (extract(day from "points"."settlement_statements"."period_from") = 1 and "points"."settlement_statements"."period_to" = ("points"."settlement_statements"."period_from" + interval '1 month' - interval '1 day')::date),
	CONSTRAINT "settlement_statements_totals" CHECK ("points"."settlement_statements"."redemption_count" >= 0 and "points"."settlement_statements"."refund_count" >= 0 and "points"."settlement_statements"."points" >= 0 and "points"."settlement_statements"."refunded_points" >= 0
        and "points"."settlement_statements"."net_points" = "points"."settlement_statements"."points" - "points"."settlement_statements"."refunded_points" and "points"."settlement_statements"."fen_per_point" >= 0 and "points"."settlement_statements"."amount_fen" = "points"."settlement_statements"."net_points" * "points"."settlement_statements"."fen_per_point")
);
--> statement-breakpoint
ALTER TABLE "points"."bank_units" ADD COLUMN "fen_per_point" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "points"."settlement_dispute_resolutions" ADD CONSTRAINT "settlement_dispute_resolutions_dispute_id_settlement_disputes_id_fk" FOREIGN KEY ("dispute_id") REFERENCES "points"."settlement_disputes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points"."settlement_disputes" ADD CONSTRAINT "settlement_disputes_line_id_settlement_lines_id_fk" FOREIGN KEY ("line_id") REFERENCES "points"."settlement_lines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points"."settlement_disputes" ADD CONSTRAINT "settlement_disputes_statement_id_settlement_statements_id_fk" FOREIGN KEY ("statement_id") REFERENCES "points"."settlement_statements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points"."settlement_lines" ADD CONSTRAINT "settlement_lines_statement_id_settlement_statements_id_fk" FOREIGN KEY ("statement_id") REFERENCES "points"."settlement_statements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points"."settlement_lines" ADD CONSTRAINT "settlement_lines_redemption_id_redemptions_id_fk" FOREIGN KEY ("redemption_id") REFERENCES "points"."redemptions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points"."settlement_lines" ADD CONSTRAINT "settlement_lines_refund_id_refunds_id_fk" FOREIGN KEY ("refund_id") REFERENCES "points"."refunds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points"."settlement_lines" ADD CONSTRAINT "settlement_lines_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "points"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points"."settlement_statement_steps" ADD CONSTRAINT "settlement_statement_steps_statement_id_settlement_statements_id_fk" FOREIGN KEY ("statement_id") REFERENCES "points"."settlement_statements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points"."settlement_statements" ADD CONSTRAINT "settlement_statements_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "points"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points"."settlement_statements" ADD CONSTRAINT "settlement_statements_bank_id_bank_units_id_fk" FOREIGN KEY ("bank_id") REFERENCES "points"."bank_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "settlement_disputes_statement_idx" ON "points"."settlement_disputes" USING btree ("statement_id","opened_at","id");--> statement-breakpoint
CREATE INDEX "settlement_disputes_line_idx" ON "points"."settlement_disputes" USING btree ("line_id");--> statement-breakpoint
CREATE UNIQUE INDEX "settlement_lines_one_per_capture" ON "points"."settlement_lines" USING btree ("redemption_id") WHERE "points"."settlement_lines"."kind" = 'redemption';--> statement-breakpoint
CREATE UNIQUE INDEX "settlement_lines_one_per_refund" ON "points"."settlement_lines" USING btree ("refund_id");--> statement-breakpoint
CREATE INDEX "settlement_lines_statement_idx" ON "points"."settlement_lines" USING btree ("statement_id","at","id");--> statement-breakpoint
CREATE INDEX "settlement_statements_merchant_idx" ON "points"."settlement_statements" USING btree ("merchant_id","period_from","id");--> statement-breakpoint
ALTER TABLE "points"."bank_units" ADD CONSTRAINT "bank_units_fen_per_point_of_head_banks" CHECK ("points"."bank_units"."fen_per_point" between 0 and 100000 and ("points"."bank_units"."fen_per_point" = 0 or "points"."bank_units"."kind" = 'head_bank'));--> statement-breakpoint
CREATE TRIGGER "settlement_statements_append_only" BEFORE UPDATE OR DELETE ON "points"."settlement_statements"
  FOR EACH ROW EXECUTE FUNCTION "points"."refuse_ledger_change"();--> statement-breakpoint
CREATE TRIGGER "settlement_statements_no_truncate" BEFORE TRUNCATE ON "points"."settlement_statements"
  FOR EACH STATEMENT EXECUTE FUNCTION "points"."refuse_ledger_change"();--> statement-breakpoint
CREATE TRIGGER "settlement_statement_steps_append_only" BEFORE UPDATE OR DELETE ON "points"."settlement_statement_steps"
  FOR EACH ROW EXECUTE FUNCTION "points"."refuse_ledger_change"();--> statement-breakpoint
CREATE TRIGGER "settlement_statement_steps_no_truncate" BEFORE TRUNCATE ON "points"."settlement_statement_steps"
  FOR EACH STATEMENT EXECUTE FUNCTION "points"."refuse_ledger_change"();--> statement-breakpoint
CREATE TRIGGER "settlement_lines_append_only" BEFORE UPDATE OR DELETE ON "points"."settlement_lines"
  FOR EACH ROW EXECUTE FUNCTION "points"."refuse_ledger_change"();--> statement-breakpoint
CREATE TRIGGER "settlement_lines_no_truncate" BEFORE TRUNCATE ON "points"."settlement_lines"
  FOR EACH STATEMENT EXECUTE FUNCTION "points"."refuse_ledger_change"();--> statement-breakpoint
CREATE TRIGGER "settlement_disputes_append_only" BEFORE UPDATE OR DELETE ON "points"."settlement_disputes"
  FOR EACH ROW EXECUTE FUNCTION "points"."refuse_ledger_change"();--> statement-breakpoint
CREATE TRIGGER "settlement_disputes_no_truncate" BEFORE TRUNCATE ON "points"."settlement_disputes"
  FOR EACH STATEMENT EXECUTE FUNCTION "points"."refuse_ledger_change"();--> statement-breakpoint
CREATE TRIGGER "settlement_dispute_resolutions_append_only" BEFORE UPDATE OR DELETE ON "points"."settlement_dispute_resolutions"
  FOR EACH ROW EXECUTE FUNCTION "points"."refuse_ledger_change"();--> statement-breakpoint
CREATE TRIGGER "settlement_dispute_resolutions_no_truncate" BEFORE TRUNCATE ON "points"."settlement_dispute_resolutions"
  FOR EACH STATEMENT EXECUTE FUNCTION "points"."refuse_ledger_change"();--> statement-breakpoint
-- A line copies its source: a capture or a refund of the statement's merchant, made before the end of the statement's
-- month (Beijing time, UTC+8 all year), with its time, customer, items and points (negative for a refund).
CREATE FUNCTION "points"."check_settlement_line"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  statement record;
BEGIN
  SELECT s."merchant_id", (s."period_to" + 1)::timestamp AT TIME ZONE INTERVAL '+08:00' AS "ends",
      EXISTS (SELECT 1 FROM "points"."settlement_statement_steps" t WHERE t."statement_id" = s."id" AND t."status" = 'closed') AS "closed"
    INTO statement
    FROM "points"."settlement_statements" s WHERE s."id" = NEW."statement_id";
  -- Lines are written by the close, before its closing step: once closed, a statement takes no more.
  IF statement."closed" THEN
    RAISE EXCEPTION 'statement % is closed: its lines are frozen', NEW."statement_id"
      USING ERRCODE = 'check_violation', CONSTRAINT = 'settlement_lines_frozen';
  END IF;
  IF NEW."at" >= statement."ends" THEN
    RAISE EXCEPTION 'line of % at % is after the end of its statement''s month', NEW."redemption_id", NEW."at"
      USING ERRCODE = 'check_violation', CONSTRAINT = 'settlement_lines_within_period';
  END IF;
  IF NEW."kind" = 'redemption' AND NOT EXISTS (
    SELECT 1 FROM "points"."redemptions" r
    WHERE r."id" = NEW."redemption_id" AND r."status" = 'captured' AND r."merchant_id" = statement."merchant_id"
      AND r."resolved_at" = NEW."at" AND r."account_id" = NEW."account_id" AND r."total_points" = NEW."points" AND r."item_count" = NEW."item_count"
  ) OR NEW."kind" = 'refund' AND NOT EXISTS (
    SELECT 1 FROM "points"."refunds" f
    WHERE f."id" = NEW."refund_id" AND f."redemption_id" = NEW."redemption_id" AND f."merchant_id" = statement."merchant_id"
      AND f."created_at" = NEW."at" AND f."account_id" = NEW."account_id" AND -f."points" = NEW."points" AND f."item_count" = NEW."item_count"
  ) THEN
    RAISE EXCEPTION 'line of % does not copy a % of the statement''s merchant', NEW."redemption_id", NEW."kind"
      USING ERRCODE = 'check_violation', CONSTRAINT = 'settlement_lines_copy_their_source';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "settlement_lines_copy_their_source" BEFORE INSERT ON "points"."settlement_lines"
  FOR EACH ROW EXECUTE FUNCTION "points"."check_settlement_line"();--> statement-breakpoint
-- At commit: a statement totals its lines and has its closing step.
CREATE FUNCTION "points"."check_settlement_statement"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  statement record;
  totals record;
BEGIN
  SELECT * INTO statement FROM "points"."settlement_statements" WHERE "id" = NEW."id";
  SELECT count(*) FILTER (WHERE l."kind" = 'redemption') AS "redemptions", count(*) FILTER (WHERE l."kind" = 'refund') AS "refunds",
      coalesce(sum(l."points") FILTER (WHERE l."kind" = 'redemption'), 0) AS "points",
      coalesce(-sum(l."points") FILTER (WHERE l."kind" = 'refund'), 0) AS "refunded"
    INTO totals FROM "points"."settlement_lines" l WHERE l."statement_id" = statement."id";
  IF totals."redemptions" <> statement."redemption_count" OR totals."refunds" <> statement."refund_count"
    OR totals."points" <> statement."points" OR totals."refunded" <> statement."refunded_points" THEN
    RAISE EXCEPTION 'statement % does not total its lines', statement."id"
      USING ERRCODE = 'check_violation', CONSTRAINT = 'settlement_statements_total_their_lines';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM "points"."settlement_statement_steps" t WHERE t."statement_id" = statement."id" AND t."status" = 'closed') THEN
    RAISE EXCEPTION 'statement % has no closing step', statement."id"
      USING ERRCODE = 'check_violation', CONSTRAINT = 'settlement_statements_closed';
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "settlement_statements_total_their_lines" AFTER INSERT ON "points"."settlement_statements"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "points"."check_settlement_statement"();--> statement-breakpoint
-- Steps in order, each once (the primary key): closed with the statement, confirmed after closed, paid after confirmed,
-- and neither while a dispute of the statement is unresolved. The statement's row is locked, so a dispute and a step of
-- one statement queue on it.
CREATE FUNCTION "points"."check_settlement_step"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  previous "points"."statement_status";
BEGIN
  PERFORM 1 FROM "points"."settlement_statements" WHERE "id" = NEW."statement_id" FOR UPDATE;
  previous := CASE NEW."status" WHEN 'confirmed' THEN 'closed' WHEN 'paid' THEN 'confirmed' END;
  IF previous IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM "points"."settlement_statement_steps" WHERE "statement_id" = NEW."statement_id" AND "status" = previous
  ) THEN
    RAISE EXCEPTION 'statement % cannot be % before it is %', NEW."statement_id", NEW."status", previous
      USING ERRCODE = 'check_violation', CONSTRAINT = 'settlement_statement_steps_in_order';
  END IF;
  IF NEW."status" <> 'closed' AND EXISTS (
    SELECT 1 FROM "points"."settlement_disputes" d
    WHERE d."statement_id" = NEW."statement_id" AND NOT EXISTS (SELECT 1 FROM "points"."settlement_dispute_resolutions" r WHERE r."dispute_id" = d."id")
  ) THEN
    RAISE EXCEPTION 'statement % has an unresolved dispute', NEW."statement_id"
      USING ERRCODE = 'check_violation', CONSTRAINT = 'settlement_statement_steps_undisputed';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "settlement_statement_steps_in_order" BEFORE INSERT ON "points"."settlement_statement_steps"
  FOR EACH ROW EXECUTE FUNCTION "points"."check_settlement_step"();--> statement-breakpoint
-- A dispute is of a line of its statement, while the statement is closed and not yet confirmed.
CREATE FUNCTION "points"."check_settlement_dispute"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM "points"."settlement_statements" WHERE "id" = NEW."statement_id" FOR UPDATE;
  IF NOT EXISTS (SELECT 1 FROM "points"."settlement_lines" WHERE "id" = NEW."line_id" AND "statement_id" = NEW."statement_id")
    OR EXISTS (SELECT 1 FROM "points"."settlement_statement_steps" WHERE "statement_id" = NEW."statement_id" AND "status" = 'confirmed') THEN
    RAISE EXCEPTION 'dispute % is not of a line of a closed, unconfirmed statement', NEW."id"
      USING ERRCODE = 'check_violation', CONSTRAINT = 'settlement_disputes_of_closed_statements';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "settlement_disputes_of_closed_statements" BEFORE INSERT ON "points"."settlement_disputes"
  FOR EACH ROW EXECUTE FUNCTION "points"."check_settlement_dispute"();
