CREATE TABLE "people"."caseload_caps" (
	"region_id" uuid PRIMARY KEY NOT NULL,
	"cap" integer NOT NULL,
	"set_by" text NOT NULL,
	"set_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "caseload_caps_cap_range" CHECK ("people"."caseload_caps"."cap" between 1 and 100)
);
--> statement-breakpoint
ALTER TABLE "people"."caseload_caps" ADD CONSTRAINT "caseload_caps_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "people"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- A caretaker holds at most the cap of each household given them: the cap of its address or the nearest region above it, twelve by default.
-- The caretaker's person row is locked first, so two assignments to one caretaker at once are counted one after the other.
CREATE FUNCTION "people"."keep_caseload_cap"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  limit_of integer;
  held integer;
BEGIN
  IF NEW.caretaker_id IS NULL OR NEW.caretaker_id IS NOT DISTINCT FROM (CASE WHEN TG_OP = 'UPDATE' THEN OLD.caretaker_id END) THEN
    RETURN NEW;
  END IF;
  PERFORM 1 FROM "people"."persons" WHERE id = NEW.caretaker_id FOR UPDATE;
  SELECT c.cap INTO limit_of
    FROM "people"."regions" r
    JOIN "people"."caseload_caps" c ON c.region_id = r.id OR c.region_id = ANY (r.path)
   WHERE r.id = NEW.address_region_id
   ORDER BY CASE WHEN c.region_id = r.id THEN 0 ELSE 1 END, array_position(r.path, c.region_id) DESC
   LIMIT 1;
  SELECT count(*) INTO held FROM "people"."households" WHERE caretaker_id = NEW.caretaker_id AND id <> NEW.id;
  IF held >= coalesce(limit_of, 12) THEN
    RAISE EXCEPTION 'caretaker % holds % households, the cap', NEW.caretaker_id, held
      USING ERRCODE = 'check_violation', CONSTRAINT = 'households_caseload_cap';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "households_caseload_cap" BEFORE INSERT OR UPDATE OF caretaker_id ON "people"."households"
  FOR EACH ROW EXECUTE FUNCTION "people"."keep_caseload_cap"();
