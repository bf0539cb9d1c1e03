CREATE SCHEMA IF NOT EXISTS "requests";
--> statement-breakpoint
CREATE TYPE "requests"."request_channel" AS ENUM('app', 'mini_program', 'phone', 'walk_in', 'grid_worker', 'device');--> statement-breakpoint
CREATE TYPE "requests"."request_status" AS ENUM('submitted', 'approved', 'rejected', 'dispatched', 'accepted', 'in_service', 'completed', 'rated', 'cancelled');--> statement-breakpoint
CREATE TABLE "requests"."categories" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"priced" boolean DEFAULT false NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "categories_code_format" CHECK ("requests"."categories"."code" ~ '^[a-z][a-z0-9_]*$'),
	CONSTRAINT "categories_name_not_blank" CHECK (length(trim("requests"."categories"."name")) > 0)
);
--> statement-breakpoint
CREATE TABLE "requests"."service_requests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"requester_id" uuid NOT NULL,
	"category_code" text NOT NULL,
	"description" text NOT NULL,
	"channel" "requests"."request_channel" NOT NULL,
	"status" "requests"."request_status" DEFAULT 'submitted' NOT NULL,
	"filed_by" uuid,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "service_requests_description_length" CHECK (char_length(trim("requests"."service_requests"."description")) between 1 and 2000),
	CONSTRAINT "service_requests_filed_by_other" CHECK ("requests"."service_requests"."filed_by" is distinct from "requests"."service_requests"."requester_id"),
	CONSTRAINT "service_requests_grid_worker_files" CHECK ("requests"."service_requests"."channel" <> 'grid_worker' or "requests"."service_requests"."filed_by" is not null)
);
--> statement-breakpoint
ALTER TABLE "requests"."service_requests" ADD CONSTRAINT "service_requests_category_code_categories_code_fk" FOREIGN KEY ("category_code") REFERENCES "requests"."categories"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "service_requests_requester_created_idx" ON "requests"."service_requests" USING btree ("requester_id","created_at","id");--> statement-breakpoint
-- Categories are reference data every install needs, not demo data.
INSERT INTO "requests"."categories" ("code", "name", "priced", "position") VALUES
	('buying_daily_necessities', '买送生活必需品', false, 1),
	('hospital_escort', '送医就医', false, 2),
	('urgent_medicine', '买送急需药品', false, 3),
	('psychological_support', '心理疏导', false, 4),
	('home_repair', '上门维修', true, 5),
	('cleaning', '清洁打扫', false, 6),
	('haircut', '上门理发', false, 7),
	('tutoring', '课业辅导', false, 8),
	('companionship', '陪伴关爱', false, 9),
	('other', '其他', false, 10);
