CREATE TABLE "recognition"."certificate_applications" (
	"id" uuid PRIMARY KEY NOT NULL,
	"volunteer_id" uuid NOT NULL,
	"period_from" date NOT NULL,
	"period_to" date NOT NULL,
	"purpose" text,
	"applied_by" text NOT NULL,
	"applied_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "certificate_applications_period" CHECK ("recognition"."certificate_applications"."period_from" <= "recognition"."certificate_applications"."period_to"),
	CONSTRAINT "certificate_applications_purpose_length" CHECK (char_length("recognition"."certificate_applications"."purpose") between 1 and 200)
);
--> statement-breakpoint
CREATE TABLE "recognition"."certificate_decisions" (
	"application_id" uuid PRIMARY KEY NOT NULL,
	"outcome" text NOT NULL,
	"reason" text,
	"certificate_id" uuid,
	"decided_by" text NOT NULL,
	"decided_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "certificate_decisions_shape" CHECK (("recognition"."certificate_decisions"."outcome" = 'accepted') = ("recognition"."certificate_decisions"."certificate_id" is not null) and ("recognition"."certificate_decisions"."outcome" = 'refused') = ("recognition"."certificate_decisions"."reason" is not null))
);
--> statement-breakpoint
CREATE TABLE "recognition"."certificate_number_counters" (
	"year" smallint PRIMARY KEY NOT NULL,
	"last_serial" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "recognition"."certificate_review_clearances" (
	"flag_id" uuid PRIMARY KEY NOT NULL,
	"note" text NOT NULL,
	"cleared_by" text NOT NULL,
	"cleared_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "recognition"."certificate_review_flags" (
	"id" uuid PRIMARY KEY NOT NULL,
	"certificate_id" uuid NOT NULL,
	"cause_record_id" uuid NOT NULL,
	"reverses_id" uuid NOT NULL,
	"flagged_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "certificate_review_flags_cause_unique" UNIQUE("certificate_id","cause_record_id")
);
--> statement-breakpoint
CREATE TABLE "recognition"."certificate_revocations" (
	"certificate_id" uuid PRIMARY KEY NOT NULL,
	"reason" text NOT NULL,
	"revoked_by" text NOT NULL,
	"revoked_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "recognition"."certificates" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"year" smallint NOT NULL,
	"serial" integer NOT NULL,
	"code" text NOT NULL,
	"kind" text NOT NULL,
	"subject_kind" text NOT NULL,
	"subject_id" uuid NOT NULL,
	"holder_name" text NOT NULL,
	"title" text NOT NULL,
	"citation" text,
	"issuer" text NOT NULL,
	"period_from" date,
	"period_to" date,
	"minutes" integer,
	"services" integer,
	"content" jsonb,
	"application_id" uuid,
	"source_kind" text,
	"source_id" uuid,
	"issued_by" text NOT NULL,
	"issued_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "certificates_number_unique" UNIQUE("number"),
	CONSTRAINT "certificates_serial_unique" UNIQUE("year","serial"),
	CONSTRAINT "certificates_application_unique" UNIQUE("application_id"),
	CONSTRAINT "certificates_honour_unique" UNIQUE("source_kind","source_id","subject_kind","subject_id","title"),
	CONSTRAINT "certificates_number_format" CHECK ("recognition"."certificates"."number" = 'LX-' || "recognition"."certificates"."year" || '-' || lpad("recognition"."certificates"."serial"::text, greatest(6, char_length("recognition"."certificates"."serial"::text)), '0') and "recognition"."certificates"."serial" >= 1),
	CONSTRAINT "certificates_code_format" CHECK ("recognition"."certificates"."code" ~ '^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$'),
	CONSTRAINT "certificates_kind_shape" CHECK (case "recognition"."certificates"."kind"
        when 'service_record' then "recognition"."certificates"."subject_kind" = 'person' and "recognition"."certificates"."application_id" is not null and "recognition"."certificates"."period_from" <= "recognition"."certificates"."period_to"
          and "recognition"."certificates"."minutes" >= 0 and "recognition"."certificates"."services" >= 0 and "recognition"."certificates"."content" is not null and "recognition"."certificates"."source_kind" is null and "recognition"."certificates"."source_id" is null
        else "recognition"."certificates"."source_kind" is not null and "recognition"."certificates"."source_id" is not null and "recognition"."certificates"."application_id" is null and "recognition"."certificates"."minutes" is null and "recognition"."certificates"."services" is null
      end),
	CONSTRAINT "certificates_texts" CHECK (char_length("recognition"."certificates"."holder_name") between 1 and 100 and char_length("recognition"."certificates"."title") between 1 and 100 and char_length("recognition"."certificates"."issuer") between 1 and 100)
);
--> statement-breakpoint
CREATE TABLE "recognition"."person_display_names" (
	"person_id" uuid PRIMARY KEY NOT NULL,
	"display_name" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "recognition"."certificate_decisions" ADD CONSTRAINT "certificate_decisions_application_fk" FOREIGN KEY ("application_id") REFERENCES "recognition"."certificate_applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recognition"."certificate_decisions" ADD CONSTRAINT "certificate_decisions_certificate_fk" FOREIGN KEY ("certificate_id") REFERENCES "recognition"."certificates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recognition"."certificate_review_clearances" ADD CONSTRAINT "certificate_review_clearances_flag_fk" FOREIGN KEY ("flag_id") REFERENCES "recognition"."certificate_review_flags"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recognition"."certificate_review_flags" ADD CONSTRAINT "certificate_review_flags_certificate_fk" FOREIGN KEY ("certificate_id") REFERENCES "recognition"."certificates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recognition"."certificate_revocations" ADD CONSTRAINT "certificate_revocations_certificate_fk" FOREIGN KEY ("certificate_id") REFERENCES "recognition"."certificates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recognition"."certificates" ADD CONSTRAINT "certificates_application_fk" FOREIGN KEY ("application_id") REFERENCES "recognition"."certificate_applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "certificate_applications_volunteer_idx" ON "recognition"."certificate_applications" USING btree ("volunteer_id","applied_at");--> statement-breakpoint
CREATE INDEX "certificate_applications_applied_idx" ON "recognition"."certificate_applications" USING btree ("applied_at","id");--> statement-breakpoint
CREATE INDEX "certificates_subject_idx" ON "recognition"."certificates" USING btree ("subject_kind","subject_id","issued_at");--> statement-breakpoint
-- Certificates are records of what was stated and decided: applications, decisions, certificates, revocations, review
-- flags and clearances are never changed or removed (the reviews' refusing function names the table and the operation).
CREATE TRIGGER "certificate_applications_append_only" BEFORE UPDATE OR DELETE ON "recognition"."certificate_applications"
  FOR EACH ROW EXECUTE FUNCTION "recognition"."reviews_refuse_change"();--> statement-breakpoint
CREATE TRIGGER "certificate_applications_no_truncate" BEFORE TRUNCATE ON "recognition"."certificate_applications"
  FOR EACH STATEMENT EXECUTE FUNCTION "recognition"."reviews_refuse_change"();--> statement-breakpoint
CREATE TRIGGER "certificate_decisions_append_only" BEFORE UPDATE OR DELETE ON "recognition"."certificate_decisions"
  FOR EACH ROW EXECUTE FUNCTION "recognition"."reviews_refuse_change"();--> statement-breakpoint
CREATE TRIGGER "certificate_decisions_no_truncate" BEFORE TRUNCATE ON "recognition"."certificate_decisions"
  FOR EACH STATEMENT EXECUTE FUNCTION "recognition"."reviews_refuse_change"();--> statement-breakpoint
CREATE TRIGGER "certificates_append_only" BEFORE UPDATE OR DELETE ON "recognition"."certificates"
  FOR EACH ROW EXECUTE FUNCTION "recognition"."reviews_refuse_change"();--> statement-breakpoint
CREATE TRIGGER "certificates_no_truncate" BEFORE TRUNCATE ON "recognition"."certificates"
  FOR EACH STATEMENT EXECUTE FUNCTION "recognition"."reviews_refuse_change"();--> statement-breakpoint
CREATE TRIGGER "certificate_revocations_append_only" BEFORE UPDATE OR DELETE ON "recognition"."certificate_revocations"
  FOR EACH ROW EXECUTE FUNCTION "recognition"."reviews_refuse_change"();--> statement-breakpoint
CREATE TRIGGER "certificate_revocations_no_truncate" BEFORE TRUNCATE ON "recognition"."certificate_revocations"
  FOR EACH STATEMENT EXECUTE FUNCTION "recognition"."reviews_refuse_change"();--> statement-breakpoint
CREATE TRIGGER "certificate_review_flags_append_only" BEFORE UPDATE OR DELETE ON "recognition"."certificate_review_flags"
  FOR EACH ROW EXECUTE FUNCTION "recognition"."reviews_refuse_change"();--> statement-breakpoint
CREATE TRIGGER "certificate_review_flags_no_truncate" BEFORE TRUNCATE ON "recognition"."certificate_review_flags"
  FOR EACH STATEMENT EXECUTE FUNCTION "recognition"."reviews_refuse_change"();--> statement-breakpoint
CREATE TRIGGER "certificate_review_clearances_append_only" BEFORE UPDATE OR DELETE ON "recognition"."certificate_review_clearances"
  FOR EACH ROW EXECUTE FUNCTION "recognition"."reviews_refuse_change"();--> statement-breakpoint
CREATE TRIGGER "certificate_review_clearances_no_truncate" BEFORE TRUNCATE ON "recognition"."certificate_review_clearances"
  FOR EACH STATEMENT EXECUTE FUNCTION "recognition"."reviews_refuse_change"();
