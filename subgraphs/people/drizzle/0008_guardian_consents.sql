CREATE TABLE "people"."guardian_consents" (
	"id" uuid PRIMARY KEY NOT NULL,
	"minor_id" uuid NOT NULL,
	"guardian_id" uuid,
	"guardian_name" text,
	"relationship" text NOT NULL,
	"recorded_by" text NOT NULL,
	"recorded_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"revoked_by" text,
	"revoked_at" timestamp (3) with time zone,
	CONSTRAINT "guardian_consents_guardian_named" CHECK (("people"."guardian_consents"."guardian_id" is null) <> ("people"."guardian_consents"."guardian_name" is null)),
	CONSTRAINT "guardian_consents_not_own_guardian" CHECK ("people"."guardian_consents"."guardian_id" is distinct from "people"."guardian_consents"."minor_id"),
	CONSTRAINT "guardian_consents_name_length" CHECK ("people"."guardian_consents"."guardian_name" is null or char_length(trim("people"."guardian_consents"."guardian_name")) between 1 and 50),
	CONSTRAINT "guardian_consents_relationship_length" CHECK (char_length(trim("people"."guardian_consents"."relationship")) between 1 and 20),
	CONSTRAINT "guardian_consents_revoked" CHECK (("people"."guardian_consents"."revoked_at" is null) = ("people"."guardian_consents"."revoked_by" is null) and ("people"."guardian_consents"."revoked_at" is null or "people"."guardian_consents"."revoked_at" >= "people"."guardian_consents"."recorded_at"))
);
--> statement-breakpoint
ALTER TABLE "people"."guardian_consents" ADD CONSTRAINT "guardian_consents_minor_id_persons_id_fk" FOREIGN KEY ("minor_id") REFERENCES "people"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people"."guardian_consents" ADD CONSTRAINT "guardian_consents_guardian_id_persons_id_fk" FOREIGN KEY ("guardian_id") REFERENCES "people"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "guardian_consents_minor_idx" ON "people"."guardian_consents" USING btree ("minor_id","recorded_at");--> statement-breakpoint
CREATE UNIQUE INDEX "guardian_consents_one_in_force" ON "people"."guardian_consents" USING btree ("minor_id") WHERE "people"."guardian_consents"."revoked_at" is null;--> statement-breakpoint
-- A consent is recorded once and may only be revoked: no other change, no deletion.
CREATE FUNCTION "people"."guardian_consents_only_revoked"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'guardian consents are revoked, never deleted' USING ERRCODE = '23514', CONSTRAINT = 'guardian_consents_append_only';
  END IF;
  IF OLD.revoked_at IS NOT NULL OR NEW.revoked_at IS NULL
     OR (NEW.id, NEW.minor_id, NEW.guardian_id, NEW.guardian_name, NEW.relationship, NEW.recorded_by, NEW.recorded_at)
        IS DISTINCT FROM (OLD.id, OLD.minor_id, OLD.guardian_id, OLD.guardian_name, OLD.relationship, OLD.recorded_by, OLD.recorded_at) THEN
    RAISE EXCEPTION 'a guardian consent may only be revoked, once' USING ERRCODE = '23514', CONSTRAINT = 'guardian_consents_append_only';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "guardian_consents_only_revoked" BEFORE UPDATE OR DELETE ON "people"."guardian_consents"
  FOR EACH ROW EXECUTE FUNCTION "people"."guardian_consents_only_revoked"();
