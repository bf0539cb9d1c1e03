-- De-identified facts for BI tools (docs/analysts.md, "SQL for BI tools"), as requests' 0005 does for its facts: the
-- service and rating facts recognition counts (0003), by region path and Beijing day, with minutes and ratings. A
-- volunteer appears only as a keyed hash with requests' formula, so one audience's keys agree across the schemas.
-- The role is created here too, idempotently, because each subgraph may live in a database (a cluster) of its own.
DO $$
BEGIN
  CREATE ROLE lianxin_analytics NOLOGIN;
EXCEPTION WHEN duplicate_object THEN
  NULL;
END
$$;
--> statement-breakpoint
CREATE FUNCTION "recognition"."analytics_person_key"(person uuid) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN coalesce(current_setting('lianxin.pseudonym_key', true), '') = '' OR person IS NULL THEN NULL
              ELSE encode(sha256(convert_to(current_setting('lianxin.pseudonym_key', true) || ':' || person::text, 'UTF8')), 'hex') END
$$;
--> statement-breakpoint
-- A reversal carries its original's day and negative minutes, so the two cancel in one period; `reversed` marks a
-- service a reversal took back (a volunteer counts for a period only through a service that stands).
CREATE VIEW "recognition"."analytics_service_facts" AS
  SELECT f.service_record_id AS record_id,
         CASE WHEN f.reverses_id IS NULL THEN 'service' ELSE 'reversal' END AS kind,
         f.reverses_id,
         EXISTS (SELECT 1 FROM "recognition"."service_facts" v WHERE v.reverses_id = f.service_record_id) AS reversed,
         "recognition"."analytics_person_key"(f.volunteer_id) AS volunteer_key,
         f.minutes, f.served_on AS served_day, f.category_code,
         f.region_path[cardinality(f.region_path)] AS region_id, f.region_path
    FROM "recognition"."service_facts" f;
--> statement-breakpoint
CREATE VIEW "recognition"."analytics_ratings" AS
  SELECT g.request_id, "recognition"."analytics_person_key"(g.volunteer_id) AS volunteer_key,
         g.score, g.rated_on AS rated_day, g.category_code,
         g.region_path[cardinality(g.region_path)] AS region_id, g.region_path
    FROM "recognition"."rating_facts" g;
--> statement-breakpoint
CREATE VIEW "recognition"."analytics_region_levels" AS
  SELECT l.region_id, l.kind FROM "recognition"."region_levels" l;
--> statement-breakpoint
GRANT USAGE ON SCHEMA "recognition" TO lianxin_analytics;
--> statement-breakpoint
GRANT SELECT ON "recognition"."analytics_service_facts", "recognition"."analytics_ratings", "recognition"."analytics_region_levels" TO lianxin_analytics;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION "recognition"."analytics_person_key"(uuid) TO lianxin_analytics;
