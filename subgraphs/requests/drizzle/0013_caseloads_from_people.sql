CREATE TABLE "requests"."caseload_visit_requests" (
	"visit_id" uuid NOT NULL,
	"request_id" uuid NOT NULL,
	CONSTRAINT "caseload_visit_requests_pk" PRIMARY KEY("visit_id","request_id")
);
--> statement-breakpoint
ALTER TABLE "requests"."caseload_assignments" DROP CONSTRAINT "caseload_assignments_ended";--> statement-breakpoint
ALTER TABLE "requests"."caseload_assignments" ALTER COLUMN "assigned_by" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "requests"."caseload_visit_requests" ADD CONSTRAINT "caseload_visit_requests_visit_id_caseload_visits_id_fk" FOREIGN KEY ("visit_id") REFERENCES "requests"."caseload_visits"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requests"."caseload_visit_requests" ADD CONSTRAINT "caseload_visit_requests_request_id_service_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "requests"."service_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "caseload_visit_requests_request_unique" ON "requests"."caseload_visit_requests" USING btree ("request_id");--> statement-breakpoint
ALTER TABLE "requests"."caseload_assignments" ADD CONSTRAINT "caseload_assignments_ended_by" CHECK ("requests"."caseload_assignments"."ended_by" is null or "requests"."caseload_assignments"."ended_at" is not null);