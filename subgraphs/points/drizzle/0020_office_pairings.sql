CREATE TABLE "points"."office_pairings" (
	"id" uuid PRIMARY KEY NOT NULL,
	"bank_id" uuid NOT NULL,
	"city_office_id" uuid NOT NULL,
	"city_office_kind" "points"."bank_unit_kind" GENERATED ALWAYS AS ('savings_office'::points.bank_unit_kind) STORED NOT NULL,
	"rural_office_id" uuid NOT NULL,
	"rural_office_kind" "points"."bank_unit_kind" GENERATED ALWAYS AS ('savings_office'::points.bank_unit_kind) STORED NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	"ended_at" timestamp (3) with time zone,
	"ended_by" text,
	CONSTRAINT "office_pairings_not_self" CHECK ("points"."office_pairings"."city_office_id" <> "points"."office_pairings"."rural_office_id"),
	CONSTRAINT "office_pairings_ended_by_iff_ended" CHECK (("points"."office_pairings"."ended_at" is null) = ("points"."office_pairings"."ended_by" is null))
);
--> statement-breakpoint
ALTER TABLE "points"."office_pairings" ADD CONSTRAINT "office_pairings_city_fk" FOREIGN KEY ("city_office_id","city_office_kind","bank_id") REFERENCES "points"."bank_units"("id","kind","bank_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points"."office_pairings" ADD CONSTRAINT "office_pairings_rural_fk" FOREIGN KEY ("rural_office_id","rural_office_kind","bank_id") REFERENCES "points"."bank_units"("id","kind","bank_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "office_pairings_one_active" ON "points"."office_pairings" USING btree (least("city_office_id", "rural_office_id"),greatest("city_office_id", "rural_office_id")) WHERE ended_at is null;--> statement-breakpoint
CREATE INDEX "office_pairings_city_idx" ON "points"."office_pairings" USING btree ("city_office_id","created_at","id");--> statement-breakpoint
CREATE INDEX "office_pairings_rural_idx" ON "points"."office_pairings" USING btree ("rural_office_id","created_at","id");--> statement-breakpoint
-- A pairing is history: never deleted, and of its columns only the end is ever set, once.
CREATE FUNCTION "points"."check_office_pairing_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'office pairing % is history and is never deleted', OLD."id"
      USING ERRCODE = 'check_violation', CONSTRAINT = 'office_pairings_append_only';
  END IF;
  IF OLD."ended_at" IS NOT NULL
    OR NEW."id" <> OLD."id" OR NEW."bank_id" <> OLD."bank_id"
    OR NEW."city_office_id" <> OLD."city_office_id" OR NEW."rural_office_id" <> OLD."rural_office_id"
    OR NEW."created_at" <> OLD."created_at" OR NEW."created_by" <> OLD."created_by" THEN
    RAISE EXCEPTION 'office pairing % may only be ended, once', OLD."id"
      USING ERRCODE = 'check_violation', CONSTRAINT = 'office_pairings_append_only';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "office_pairings_append_only" BEFORE UPDATE OR DELETE ON "points"."office_pairings"
  FOR EACH ROW EXECUTE FUNCTION "points"."check_office_pairing_change"();--> statement-breakpoint
CREATE TRIGGER "office_pairings_no_truncate" BEFORE TRUNCATE ON "points"."office_pairings"
  FOR EACH STATEMENT EXECUTE FUNCTION "points"."refuse_ledger_change"();
