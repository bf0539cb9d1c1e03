CREATE TABLE "points"."service_records" (
	"id" uuid PRIMARY KEY NOT NULL,
	"volunteer_id" uuid NOT NULL,
	"category_code" text NOT NULL,
	"minutes" integer NOT NULL,
	"place" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"learned_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "service_records_deposit_key" UNIQUE("id","volunteer_id","category_code","minutes"),
	CONSTRAINT "service_records_minutes_range" CHECK ("points"."service_records"."minutes" between 1 and 1440),
	CONSTRAINT "service_records_category_format" CHECK ("points"."service_records"."category_code" ~ '^[a-z][a-z0-9_]{0,62}$')
);
--> statement-breakpoint
CREATE INDEX "service_records_volunteer_idx" ON "points"."service_records" USING btree ("volunteer_id");--> statement-breakpoint
-- Hand-written: records deposited before points kept what it learnt of them become known records, with the details
-- their deposits hold (their places were not kept, so they have none), before deposits must name a known record.
INSERT INTO "points"."service_records" ("id", "volunteer_id", "category_code", "minutes", "learned_at")
  SELECT "service_record_id", "person_id", "category_code", "minutes", "created_at" FROM "points"."deposits"
ON CONFLICT DO NOTHING;--> statement-breakpoint
ALTER TABLE "points"."deposits" ADD CONSTRAINT "deposits_service_record_fk" FOREIGN KEY ("service_record_id","person_id","category_code","minutes") REFERENCES "points"."service_records"("id","volunteer_id","category_code","minutes") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Hand-written: what requests announced is kept as it was announced (a wrong record is reversed by a new one).
CREATE TRIGGER "service_records_append_only" BEFORE UPDATE OR DELETE ON "points"."service_records"
  FOR EACH ROW EXECUTE FUNCTION "points"."refuse_ledger_change"();--> statement-breakpoint
CREATE TRIGGER "service_records_no_truncate" BEFORE TRUNCATE ON "points"."service_records"
  FOR EACH STATEMENT EXECUTE FUNCTION "points"."refuse_ledger_change"();
