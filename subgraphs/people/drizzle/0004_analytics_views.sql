CREATE TABLE "people"."analytics_household_cells" (
	"total" boolean NOT NULL,
	"community_id" uuid,
	"hardship_level" "people"."hardship_level",
	"households" integer,
	"suppressed" boolean NOT NULL,
	"min_cell" integer NOT NULL,
	"computed_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "analytics_household_cells_key" UNIQUE NULLS NOT DISTINCT("total","community_id","hardship_level"),
	CONSTRAINT "analytics_household_cells_withheld" CHECK (("people"."analytics_household_cells"."households" is null) = "people"."analytics_household_cells"."suppressed"),
	CONSTRAINT "analytics_household_cells_total_has_no_key" CHECK (not "people"."analytics_household_cells"."total" or ("people"."analytics_household_cells"."community_id" is null and "people"."analytics_household_cells"."hardship_level" is null)),
	CONSTRAINT "analytics_household_cells_cell_has_level" CHECK ("people"."analytics_household_cells"."total" or "people"."analytics_household_cells"."hardship_level" is not null)
);
--> statement-breakpoint
DROP INDEX "people"."households_address_idx";--> statement-breakpoint
CREATE INDEX "households_address_hardship_idx" ON "people"."households" USING btree ("address_region_id","hardship_level");--> statement-breakpoint
-- Hand-written: de-identified facts for BI tools (docs/analysts.md, "SQL for BI tools"), as requests' 0005 does for its
-- facts: the role is created here too, idempotently, because each subgraph may live in a database (a cluster) of its own.
-- A person appears only as a keyed hash with requests' formula, so one audience's keys agree across the schemas.
-- Homes are cut at the community: a compound or a building could single a volunteer out. Households are not a view:
-- the cells above, with the small ones withheld, are written by the people subgraph (`rewriteHouseholdCells` in src/stats/service.ts).
DO $$
BEGIN
  CREATE ROLE lianxin_analytics NOLOGIN;
EXCEPTION WHEN duplicate_object THEN
  NULL;
END
$$;
--> statement-breakpoint
CREATE FUNCTION "people"."analytics_person_key"(person uuid) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN coalesce(current_setting('lianxin.pseudonym_key', true), '') = '' OR person IS NULL THEN NULL
              ELSE encode(sha256(convert_to(current_setting('lianxin.pseudonym_key', true) || ':' || person::text, 'UTF8')), 'hex') END
$$;
--> statement-breakpoint
CREATE VIEW "people"."analytics_volunteers" AS
  SELECT "people"."analytics_person_key"(v.person_id) AS volunteer_key,
         (v.registered_at AT TIME ZONE 'Asia/Shanghai')::date AS registered_day,
         v.status = 'active' AS active,
         home.id AS home_region_id,
         coalesce(home.path || home.id, '{}'::uuid[]) AS home_region_path
    FROM "people"."volunteer_profiles" v
    JOIN "people"."persons" p ON p.id = v.person_id
    LEFT JOIN LATERAL (
      -- The deepest region holding the home that is not a dwelling: the community (or the village, the street …).
      SELECT a.id, a.path
        FROM "people"."regions" h
        JOIN "people"."regions" a ON a.id = h.id OR a.id = ANY (h.path)
       WHERE h.id = p.home_region_id AND a.kind NOT IN ('compound', 'building')
       ORDER BY cardinality(a.path) DESC
       LIMIT 1
    ) home ON true;
--> statement-breakpoint
CREATE VIEW "people"."analytics_regions" AS
  SELECT r.id AS region_id, r.parent_id, r.kind::text AS kind, r.name, r.path FROM "people"."regions" r;
--> statement-breakpoint
GRANT USAGE ON SCHEMA "people" TO lianxin_analytics;
--> statement-breakpoint
GRANT SELECT ON "people"."analytics_volunteers", "people"."analytics_regions", "people"."analytics_household_cells" TO lianxin_analytics;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION "people"."analytics_person_key"(uuid) TO lianxin_analytics;
