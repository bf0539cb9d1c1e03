CREATE TABLE "requests"."service_needs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"category_code" text NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"region_id" uuid NOT NULL,
	"region_path" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"published_by" uuid NOT NULL,
	"published_at" timestamp (3) with time zone NOT NULL,
	"claimed_by_team" uuid,
	"claimed_by" uuid,
	"claimed_at" timestamp (3) with time zone,
	CONSTRAINT "service_needs_title_length" CHECK (char_length("requests"."service_needs"."title") between 1 and 100),
	CONSTRAINT "service_needs_description_length" CHECK (char_length("requests"."service_needs"."description") <= 2000),
	CONSTRAINT "service_needs_claim_whole" CHECK (("requests"."service_needs"."claimed_by_team" is null) = ("requests"."service_needs"."claimed_at" is null) and ("requests"."service_needs"."claimed_by" is null) = ("requests"."service_needs"."claimed_at" is null))
);
--> statement-breakpoint
CREATE TABLE "requests"."service_offers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"team_id" uuid NOT NULL,
	"category_code" text NOT NULL,
	"description" text NOT NULL,
	"area_region_ids" uuid[] NOT NULL,
	"windows" jsonb NOT NULL,
	"capacity_per_week" integer NOT NULL,
	"published_by" uuid NOT NULL,
	"published_at" timestamp (3) with time zone NOT NULL,
	"withdrawn_at" timestamp (3) with time zone,
	CONSTRAINT "service_offers_capacity_range" CHECK ("requests"."service_offers"."capacity_per_week" between 1 and 1000),
	CONSTRAINT "service_offers_description_length" CHECK (char_length("requests"."service_offers"."description") between 1 and 1000),
	CONSTRAINT "service_offers_area_not_empty" CHECK (cardinality("requests"."service_offers"."area_region_ids") between 1 and 50),
	CONSTRAINT "service_offers_windows_array" CHECK (jsonb_typeof("requests"."service_offers"."windows") = 'array' and jsonb_array_length("requests"."service_offers"."windows") between 1 and 28)
);
--> statement-breakpoint
ALTER TABLE "requests"."service_requests" ADD COLUMN "offer_id" uuid;--> statement-breakpoint
ALTER TABLE "requests"."service_requests" ADD COLUMN "offer_week" date;--> statement-breakpoint
ALTER TABLE "requests"."service_needs" ADD CONSTRAINT "service_needs_category_code_categories_code_fk" FOREIGN KEY ("category_code") REFERENCES "requests"."categories"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requests"."service_offers" ADD CONSTRAINT "service_offers_category_code_categories_code_fk" FOREIGN KEY ("category_code") REFERENCES "requests"."categories"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "service_needs_published_idx" ON "requests"."service_needs" USING btree ("published_at","id");--> statement-breakpoint
CREATE INDEX "service_offers_published_idx" ON "requests"."service_offers" USING btree ("published_at","id");--> statement-breakpoint
ALTER TABLE "requests"."service_requests" ADD CONSTRAINT "service_requests_offer_id_service_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "requests"."service_offers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "service_requests_offer_week_idx" ON "requests"."service_requests" USING btree ("offer_id","offer_week") WHERE "requests"."service_requests"."offer_id" is not null;--> statement-breakpoint
-- An offer's weekly capacity, held here so that two orders at once cannot both take its last place: the offer row is locked, then the week's orders (all but cancelled and rejected ones) are counted. The week is Monday to Sunday in Beijing (UTC+8, no daylight saving) of the wished time, or of filing when none is wished.
CREATE FUNCTION "requests"."keep_offer_capacity"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  offer record;
  taken integer;
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
  SELECT capacity_per_week, withdrawn_at INTO offer FROM "requests"."service_offers" WHERE id = NEW.offer_id FOR UPDATE;
  IF offer.withdrawn_at IS NOT NULL THEN
    RAISE EXCEPTION 'service offer % is withdrawn', NEW.offer_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'service_offers_open';
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
CREATE TRIGGER "service_requests_offer_capacity" BEFORE INSERT OR UPDATE OF offer_id ON "requests"."service_requests"
  FOR EACH ROW EXECUTE FUNCTION "requests"."keep_offer_capacity"();--> statement-breakpoint
-- A need is claimed once: a claim, once made, is never changed or taken back here.
CREATE FUNCTION "requests"."keep_need_claim"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.claimed_at IS NOT NULL AND (NEW.claimed_at, NEW.claimed_by_team, NEW.claimed_by) IS DISTINCT FROM (OLD.claimed_at, OLD.claimed_by_team, OLD.claimed_by) THEN
    RAISE EXCEPTION 'service need % is claimed already', OLD.id
      USING ERRCODE = 'unique_violation', CONSTRAINT = 'service_needs_claimed_once';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "service_needs_claimed_once" BEFORE UPDATE ON "requests"."service_needs"
  FOR EACH ROW EXECUTE FUNCTION "requests"."keep_need_claim"();
