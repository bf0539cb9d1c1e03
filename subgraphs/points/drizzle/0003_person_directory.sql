CREATE TABLE "points"."directory_persons" (
	"person_id" uuid PRIMARY KEY NOT NULL,
	"registered_at" timestamp (3) with time zone NOT NULL,
	"learned_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- Hand-written: the persons points already serves (account holders and clerks) were registered by people before it
-- announced registrations; they join the directory so that their accounts keep working. From now on only
-- `person.registered` adds persons.
INSERT INTO "points"."directory_persons" ("person_id", "registered_at")
  SELECT "person_id", min("since") FROM (
    SELECT "holder_id" AS "person_id", "opened_at" AS "since" FROM "points"."accounts" WHERE "kind" = 'customer'
    UNION ALL
    SELECT "person_id", "assigned_at" FROM "points"."bank_clerks"
  ) AS "served"
  GROUP BY "person_id"
ON CONFLICT DO NOTHING;
