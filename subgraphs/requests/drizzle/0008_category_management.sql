ALTER TABLE "requests"."categories" ADD COLUMN "description" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "requests"."categories" ADD COLUMN "retired_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "requests"."categories" ADD CONSTRAINT "categories_description_length" CHECK (char_length("requests"."categories"."description") <= 500);--> statement-breakpoint
-- A category's code is what requests, records, activities and points' deposit rules hold: it never changes and a category is never deleted (retired instead, for good).
CREATE FUNCTION "requests"."keep_category_identity"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'requests.categories are retired, never deleted: % refused', OLD.code
      USING ERRCODE = 'restrict_violation';
  END IF;
  IF NEW.code IS DISTINCT FROM OLD.code THEN
    RAISE EXCEPTION 'requests.categories codes never change: % refused', OLD.code
      USING ERRCODE = 'restrict_violation';
  END IF;
  IF OLD.retired_at IS NOT NULL AND NEW.retired_at IS DISTINCT FROM OLD.retired_at THEN
    RAISE EXCEPTION 'requests.categories retirement is final: % refused', OLD.code
      USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "categories_identity_kept" BEFORE UPDATE OR DELETE ON "requests"."categories"
  FOR EACH ROW EXECUTE FUNCTION "requests"."keep_category_identity"();
