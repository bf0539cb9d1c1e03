-- The directory's persons: who the people subgraph has registered (its person.registered events).
-- Writes for a person not here are refused (docs/requests.md).
CREATE TABLE "requests"."directory_persons" (
	"id" uuid PRIMARY KEY NOT NULL,
	"registered_at" timestamp (3) with time zone NOT NULL
);
