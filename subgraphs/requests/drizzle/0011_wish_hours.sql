CREATE TYPE "requests"."wish_hours_status" AS ENUM('claimed', 'confirmed', 'rejected');--> statement-breakpoint
ALTER TABLE "requests"."service_records" DROP CONSTRAINT "service_records_one_basis";--> statement-breakpoint
ALTER TABLE "requests"."micro_wishes" ADD COLUMN "hours_minutes" integer;--> statement-breakpoint
ALTER TABLE "requests"."micro_wishes" ADD COLUMN "hours_status" "requests"."wish_hours_status";--> statement-breakpoint
ALTER TABLE "requests"."micro_wishes" ADD COLUMN "hours_claimed_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "requests"."micro_wishes" ADD COLUMN "hours_decided_by" uuid;--> statement-breakpoint
ALTER TABLE "requests"."micro_wishes" ADD COLUMN "hours_decided_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "requests"."micro_wishes" ADD COLUMN "hours_rejection_reason" text;--> statement-breakpoint
ALTER TABLE "requests"."service_records" ADD COLUMN "wish_id" uuid;--> statement-breakpoint
ALTER TABLE "requests"."service_records" ADD CONSTRAINT "service_records_wish_id_micro_wishes_id_fk" FOREIGN KEY ("wish_id") REFERENCES "requests"."micro_wishes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "service_records_one_per_wish" ON "requests"."service_records" USING btree ("wish_id") WHERE "requests"."service_records"."kind" = 'service' and "requests"."service_records"."corrects_id" is null and "requests"."service_records"."wish_id" is not null;--> statement-breakpoint
ALTER TABLE "requests"."micro_wishes" ADD CONSTRAINT "micro_wishes_hours_claim" CHECK (("requests"."micro_wishes"."hours_status" is null) = ("requests"."micro_wishes"."hours_minutes" is null) and ("requests"."micro_wishes"."hours_status" is null) = ("requests"."micro_wishes"."hours_claimed_at" is null) and ("requests"."micro_wishes"."hours_status" is null or "requests"."micro_wishes"."status" in ('fulfilled', 'thanked')));--> statement-breakpoint
ALTER TABLE "requests"."micro_wishes" ADD CONSTRAINT "micro_wishes_hours_minutes" CHECK ("requests"."micro_wishes"."hours_minutes" between 1 and 1440);--> statement-breakpoint
ALTER TABLE "requests"."micro_wishes" ADD CONSTRAINT "micro_wishes_hours_decision" CHECK (("requests"."micro_wishes"."hours_status" in ('confirmed', 'rejected')) = ("requests"."micro_wishes"."hours_decided_by" is not null and "requests"."micro_wishes"."hours_decided_at" is not null) and ("requests"."micro_wishes"."hours_status" = 'rejected') = ("requests"."micro_wishes"."hours_rejection_reason" is not null));--> statement-breakpoint
ALTER TABLE "requests"."service_records" ADD CONSTRAINT "service_records_one_basis" CHECK (num_nonnulls("requests"."service_records"."request_id", "requests"."service_records"."activity_id", "requests"."service_records"."duty_shift_id", "requests"."service_records"."wish_id") = 1);--> statement-breakpoint
-- A wish's record is the confirmed hours of whoever fulfilled it: the volunteer is the wish's claimant and the hours are confirmed.
CREATE FUNCTION "requests"."service_records_check_wish"() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.wish_id IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM "requests"."micro_wishes" w
     WHERE w.id = NEW.wish_id AND w.claimant_id = NEW.volunteer_id AND w.hours_status = 'confirmed'
  ) THEN
    RAISE EXCEPTION 'a wish''s service record is its fulfiller''s confirmed hours' USING ERRCODE = 'check_violation', CONSTRAINT = 'service_records_wish_confirmed';
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "service_records_check_wish" BEFORE INSERT ON "requests"."service_records"
  FOR EACH ROW EXECUTE FUNCTION "requests"."service_records_check_wish"();
