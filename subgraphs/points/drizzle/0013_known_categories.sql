CREATE TABLE "points"."known_categories" (
	"code" text PRIMARY KEY NOT NULL,
	"learnt_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "known_categories_code_format" CHECK ("points"."known_categories"."code" ~ '^[a-z][a-z0-9_]{0,62}$')
);
