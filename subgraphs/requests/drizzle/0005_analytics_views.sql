-- De-identified facts for BI tools (Metabase, Superset) on a read replica: what requests records, with
-- places as region paths and periods as Beijing days, and no personal column. A person appears only as a
-- keyed hash: the key is the reading role's setting `lianxin.pseudonym_key` (ALTER ROLE … SET), so each
-- audience gets its own stable keys and the key is never in the data; without a key the column is null.
-- The views run with their owner's rights: the analytics role reads them and nothing else of the schema.
DO $$
BEGIN
  CREATE ROLE lianxin_analytics NOLOGIN;
EXCEPTION WHEN duplicate_object THEN
  NULL;
END
$$;
--> statement-breakpoint
CREATE FUNCTION "requests"."analytics_person_key"(person uuid) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN coalesce(current_setting('lianxin.pseudonym_key', true), '') = '' OR person IS NULL THEN NULL
              ELSE encode(sha256(convert_to(current_setting('lianxin.pseudonym_key', true) || ':' || person::text, 'UTF8')), 'hex') END
$$;
--> statement-breakpoint
CREATE VIEW "requests"."analytics_service_records" AS
  SELECT r.id AS record_id, r.kind::text AS kind, r.category_code, r.minutes, r.served_at,
         (r.served_at AT TIME ZONE 'Asia/Shanghai')::date AS served_day,
         CASE WHEN r.request_id IS NOT NULL THEN 'request' ELSE 'activity' END AS source,
         r.region_id, r.region_path,
         EXISTS (SELECT 1 FROM "requests"."service_records" v WHERE v.reverses_id = r.id) AS reversed,
         "requests"."analytics_person_key"(r.volunteer_id) AS volunteer_key
    FROM "requests"."service_records" r;
--> statement-breakpoint
CREATE VIEW "requests"."analytics_service_requests" AS
  SELECT q.id AS request_id, q.category_code, q.status::text AS status, q.channel::text AS channel,
         q.created_at, (q.created_at AT TIME ZONE 'Asia/Shanghai')::date AS filed_day,
         q.accepted_at, q.started_at, q.completed_at, q.rating, q.dispatched_team_id,
         q.region_id, q.region_path
    FROM "requests"."service_requests" q;
--> statement-breakpoint
CREATE VIEW "requests"."analytics_micro_wishes" AS
  SELECT w.id AS wish_id, w.status::text AS status, w.created_at, (w.created_at AT TIME ZONE 'Asia/Shanghai')::date AS posted_day,
         w.claimed_at, w.fulfilled_at, w.region_id, w.region_path
    FROM "requests"."micro_wishes" w;
--> statement-breakpoint
CREATE VIEW "requests"."analytics_regions" AS
  SELECT d.id AS region_id, d.parent_id, d.kind, d.path FROM "requests"."directory_regions" d;
--> statement-breakpoint
GRANT USAGE ON SCHEMA "requests" TO lianxin_analytics;
--> statement-breakpoint
GRANT SELECT ON "requests"."analytics_service_records", "requests"."analytics_service_requests", "requests"."analytics_micro_wishes", "requests"."analytics_regions" TO lianxin_analytics;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION "requests"."analytics_person_key"(uuid) TO lianxin_analytics;
