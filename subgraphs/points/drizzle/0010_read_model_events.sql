ALTER TABLE "points"."merchants" ADD COLUMN "office_id" uuid;--> statement-breakpoint
ALTER TABLE "points"."merchants" ADD COLUMN "office_kind" "points"."bank_unit_kind" GENERATED ALWAYS AS ('savings_office'::points.bank_unit_kind) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "points"."service_records" ADD COLUMN "team_id" uuid;--> statement-breakpoint
ALTER TABLE "points"."merchants" ADD CONSTRAINT "merchants_office_fk" FOREIGN KEY ("office_id","office_kind","bank_id") REFERENCES "points"."bank_units"("id","kind","bank_id") ON DELETE no action ON UPDATE no action;