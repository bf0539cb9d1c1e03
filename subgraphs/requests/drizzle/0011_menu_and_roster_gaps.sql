ALTER TABLE "requests"."service_needs" ADD COLUMN "request_id" uuid;--> statement-breakpoint
ALTER TABLE "requests"."service_offers" ADD COLUMN "labour_fen" integer;--> statement-breakpoint
ALTER TABLE "requests"."service_offers" ADD COLUMN "materials_fen" integer;--> statement-breakpoint
ALTER TABLE "requests"."duty_shift_signups" ADD COLUMN "refused_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "requests"."duty_shift_signups" ADD COLUMN "refused_by" uuid;--> statement-breakpoint
ALTER TABLE "requests"."duty_shift_signups" ADD COLUMN "refusal_reason" text;--> statement-breakpoint
ALTER TABLE "requests"."service_needs" ADD CONSTRAINT "service_needs_request_id_service_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "requests"."service_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requests"."service_needs" ADD CONSTRAINT "service_needs_one_request" UNIQUE("request_id");--> statement-breakpoint
ALTER TABLE "requests"."service_needs" ADD CONSTRAINT "service_needs_request_claimed" CHECK ("requests"."service_needs"."request_id" is null or "requests"."service_needs"."claimed_at" is not null);--> statement-breakpoint
ALTER TABLE "requests"."service_offers" ADD CONSTRAINT "service_offers_price_whole" CHECK (("requests"."service_offers"."labour_fen" is null) = ("requests"."service_offers"."materials_fen" is null));--> statement-breakpoint
ALTER TABLE "requests"."service_offers" ADD CONSTRAINT "service_offers_price_range" CHECK ("requests"."service_offers"."labour_fen" between 0 and 10000000 and "requests"."service_offers"."materials_fen" between 0 and 10000000);--> statement-breakpoint
ALTER TABLE "requests"."duty_shift_signups" ADD CONSTRAINT "duty_shift_signups_refusal" CHECK (("requests"."duty_shift_signups"."refused_at" is null) = ("requests"."duty_shift_signups"."refused_by" is null) and ("requests"."duty_shift_signups"."refused_at" is null) = ("requests"."duty_shift_signups"."refusal_reason" is null) and ("requests"."duty_shift_signups"."refused_at" is null or ("requests"."duty_shift_signups"."approved_at" is null and "requests"."duty_shift_signups"."checked_in_at" is not null)));--> statement-breakpoint
ALTER TABLE "requests"."duty_shift_signups" ADD CONSTRAINT "duty_shift_signups_refusal_length" CHECK (char_length(trim("requests"."duty_shift_signups"."refusal_reason")) between 1 and 500);--> statement-breakpoint
-- A retired category takes nothing new: a new request, offer, need, activity or duty post under it (or one moved to it) is refused; rows filed before it was retired stay as they are.
CREATE FUNCTION "requests"."refuse_retired_category"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.category_code IS NOT DISTINCT FROM OLD.category_code THEN
    RETURN NEW;
  END IF;
  IF EXISTS (SELECT 1 FROM "requests"."categories" WHERE code = NEW.category_code AND retired_at IS NOT NULL) THEN
    RAISE EXCEPTION 'category % is retired: nothing new is filed under it (%)', NEW.category_code, TG_TABLE_NAME
      USING ERRCODE = 'check_violation', CONSTRAINT = 'categories_in_use';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "service_requests_category_in_use" BEFORE INSERT OR UPDATE OF category_code ON "requests"."service_requests"
  FOR EACH ROW EXECUTE FUNCTION "requests"."refuse_retired_category"();--> statement-breakpoint
CREATE TRIGGER "service_offers_category_in_use" BEFORE INSERT OR UPDATE OF category_code ON "requests"."service_offers"
  FOR EACH ROW EXECUTE FUNCTION "requests"."refuse_retired_category"();--> statement-breakpoint
CREATE TRIGGER "service_needs_category_in_use" BEFORE INSERT OR UPDATE OF category_code ON "requests"."service_needs"
  FOR EACH ROW EXECUTE FUNCTION "requests"."refuse_retired_category"();--> statement-breakpoint
CREATE TRIGGER "activities_category_in_use" BEFORE INSERT OR UPDATE OF category_code ON "requests"."activities"
  FOR EACH ROW EXECUTE FUNCTION "requests"."refuse_retired_category"();--> statement-breakpoint
CREATE TRIGGER "duty_posts_category_in_use" BEFORE INSERT OR UPDATE OF category_code ON "requests"."duty_posts"
  FOR EACH ROW EXECUTE FUNCTION "requests"."refuse_retired_category"();--> statement-breakpoint
-- An order from the menu keeps to the offer's weekly capacity (as before) and, when it wishes a time, to the offer's windows: Beijing weekday and HH:MM, start inclusive, end exclusive.
CREATE OR REPLACE FUNCTION "requests"."keep_offer_capacity"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  offer record;
  taken integer;
  local_time timestamp;
  wished_time text;
BEGIN
  IF NEW.offer_id IS NULL THEN
    NEW.offer_week := NULL;
    RETURN NEW;
  END IF;
  IF TG_OP = 'UPDATE' AND NEW.offer_id IS NOT DISTINCT FROM OLD.offer_id THEN
    NEW.offer_week := OLD.offer_week;
    RETURN NEW;
  END IF;
  NEW.offer_week := date_trunc('week', (coalesce(NEW.wished_at, NEW.created_at) AT TIME ZONE 'UTC') + interval '8 hours')::date;
  SELECT capacity_per_week, withdrawn_at, windows INTO offer FROM "requests"."service_offers" WHERE id = NEW.offer_id FOR UPDATE;
  IF offer.withdrawn_at IS NOT NULL THEN
    RAISE EXCEPTION 'service offer % is withdrawn', NEW.offer_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'service_offers_open';
  END IF;
  IF NEW.wished_at IS NOT NULL THEN
    local_time := (NEW.wished_at AT TIME ZONE 'UTC') + interval '8 hours';
    wished_time := to_char(local_time, 'HH24:MI');
    IF NOT EXISTS (
      SELECT 1 FROM jsonb_array_elements(offer.windows) AS w
      WHERE (w->>'weekday')::int = extract(isodow FROM local_time)::int AND w->>'start' <= wished_time AND wished_time < w->>'end'
    ) THEN
      RAISE EXCEPTION 'service offer % does not serve at %', NEW.offer_id, local_time
        USING ERRCODE = 'check_violation', CONSTRAINT = 'service_offers_window';
    END IF;
  END IF;
  SELECT count(*) INTO taken FROM "requests"."service_requests"
    WHERE offer_id = NEW.offer_id AND offer_week = NEW.offer_week AND status NOT IN ('cancelled', 'rejected');
  IF taken >= offer.capacity_per_week THEN
    RAISE EXCEPTION 'service offer % is full for the week of %', NEW.offer_id, NEW.offer_week
      USING ERRCODE = 'check_violation', CONSTRAINT = 'service_offers_capacity_per_week';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
-- A claim, and the request it filed, are never changed or taken back.
CREATE OR REPLACE FUNCTION "requests"."keep_need_claim"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.claimed_at IS NOT NULL AND (NEW.claimed_at, NEW.claimed_by_team, NEW.claimed_by, NEW.request_id) IS DISTINCT FROM (OLD.claimed_at, OLD.claimed_by_team, OLD.claimed_by, OLD.request_id) THEN
    RAISE EXCEPTION 'service need % is claimed already', OLD.id
      USING ERRCODE = 'unique_violation', CONSTRAINT = 'service_needs_claimed_once';
  END IF;
  RETURN NEW;
END
$$;
