CREATE TABLE "requests"."service_hour_months" (
	"region_id" uuid NOT NULL,
	"month" date NOT NULL,
	"minutes" bigint NOT NULL,
	"records" integer NOT NULL,
	"volunteers" integer NOT NULL,
	CONSTRAINT "service_hour_months_pk" PRIMARY KEY("region_id","month")
);
--> statement-breakpoint
CREATE TABLE "requests"."service_hour_volunteers" (
	"region_id" uuid NOT NULL,
	"month" date NOT NULL,
	"volunteer_id" uuid NOT NULL,
	"standing" integer NOT NULL,
	CONSTRAINT "service_hour_volunteers_pk" PRIMARY KEY("region_id","month","volunteer_id")
);
--> statement-breakpoint
CREATE TABLE "requests"."service_hours_unfolded" (
	"record_id" uuid PRIMARY KEY NOT NULL
);
--> statement-breakpoint
ALTER TABLE "requests"."service_hours_unfolded" ADD CONSTRAINT "service_hours_unfolded_record_id_service_records_id_fk" FOREIGN KEY ("record_id") REFERENCES "requests"."service_records"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
-- What a set of service records adds to the rollups, a row per region and month each counts under: its minutes and
-- one record (a reversal: minus one) where it lies, and one standing service (a reversal: minus one) where the service
-- it counts lies (a reversal: the service it undoes), so that a volunteer counts where their unreversed service does,
-- as serviceHourStats counts them. A record counts under every region of its path, under the nil id (every record),
-- in its Beijing month and in all months ('-infinity').
CREATE FUNCTION "requests"."service_hour_facts"(record_ids uuid[])
RETURNS TABLE (region_id uuid, month date, volunteer_id uuid, minutes bigint, records integer, standing integer)
LANGUAGE sql STABLE AS $$
  SELECT k.region_id, m.month, r.volunteer_id, r.minutes::bigint, CASE r.kind WHEN 'service' THEN 1 ELSE -1 END, 0
    FROM "requests"."service_records" r
    CROSS JOIN LATERAL (SELECT DISTINCT unnest(r.region_path || '00000000-0000-0000-0000-000000000000'::uuid)) AS k(region_id)
    CROSS JOIN LATERAL (VALUES (date_trunc('month', r.served_at AT TIME ZONE 'Asia/Shanghai')::date), ('-infinity'::date)) AS m(month)
   WHERE r.id = ANY(record_ids)
  UNION ALL
  SELECT k.region_id, m.month, s.volunteer_id, 0::bigint, 0, CASE r.kind WHEN 'service' THEN 1 ELSE -1 END
    FROM "requests"."service_records" r
    JOIN "requests"."service_records" s ON s.id = coalesce(r.reverses_id, r.id)
    CROSS JOIN LATERAL (SELECT DISTINCT unnest(s.region_path || '00000000-0000-0000-0000-000000000000'::uuid)) AS k(region_id)
    CROSS JOIN LATERAL (VALUES (date_trunc('month', s.served_at AT TIME ZONE 'Asia/Shanghai')::date), ('-infinity'::date)) AS m(month)
   WHERE r.id = ANY(record_ids)
$$;--> statement-breakpoint
-- Folds up to `batch` queued records into the rollups and takes them off the queue, in one statement (so in one
-- transaction with the caller's): a volunteer enters a month's count when their standing there turns positive and
-- leaves it when it returns to zero or below. Rows are written in key order, and queued records taken with SKIP
-- LOCKED, so two folds at once neither deadlock nor fold a record twice. Returns how many records it folded.
CREATE FUNCTION "requests"."fold_service_hours"(batch integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  ids uuid[];
BEGIN
  WITH taken AS (
    DELETE FROM "requests"."service_hours_unfolded"
     WHERE record_id IN (SELECT record_id FROM "requests"."service_hours_unfolded" ORDER BY record_id LIMIT batch FOR UPDATE SKIP LOCKED)
    RETURNING record_id
  )
  SELECT array_agg(record_id) INTO ids FROM taken;
  IF ids IS NULL THEN
    RETURN 0;
  END IF;
  WITH facts AS (
    SELECT * FROM "requests"."service_hour_facts"(ids)
  ), changes AS (
    SELECT f.region_id, f.month, f.volunteer_id, sum(f.standing)::integer AS change
      FROM facts f GROUP BY 1, 2, 3 HAVING sum(f.standing) <> 0
  ), members AS (
    INSERT INTO "requests"."service_hour_volunteers" AS v (region_id, month, volunteer_id, standing)
    SELECT c.region_id, c.month, c.volunteer_id, c.change FROM changes c ORDER BY 1, 2, 3
    ON CONFLICT (region_id, month, volunteer_id) DO UPDATE SET standing = v.standing + excluded.standing
    RETURNING v.region_id, v.month, v.volunteer_id, v.standing
  ), entered AS (
    SELECT m.region_id, m.month,
           sum(CASE WHEN m.standing > 0 AND m.standing - c.change <= 0 THEN 1
                    WHEN m.standing <= 0 AND m.standing - c.change > 0 THEN -1 ELSE 0 END)::integer AS volunteers
      FROM members m JOIN changes c USING (region_id, month, volunteer_id) GROUP BY 1, 2
  )
  INSERT INTO "requests"."service_hour_months" AS t (region_id, month, minutes, records, volunteers)
  SELECT g.region_id, g.month, sum(g.minutes), sum(g.records), sum(g.volunteers)
    FROM (SELECT f.region_id, f.month, f.minutes, f.records, 0 AS volunteers FROM facts f
          UNION ALL SELECT e.region_id, e.month, 0, 0, e.volunteers FROM entered e) AS g
   GROUP BY 1, 2 ORDER BY 1, 2
  ON CONFLICT (region_id, month) DO UPDATE
    SET minutes = t.minutes + excluded.minutes, records = t.records + excluded.records, volunteers = t.volunteers + excluded.volunteers;
  RETURN cardinality(ids);
END
$$;--> statement-breakpoint
-- Every record written is queued for the fold, by whichever code path writes it.
CREATE FUNCTION "requests"."queue_service_hours"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "requests"."service_hours_unfolded" (record_id) SELECT id FROM added;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "service_records_queue_hours" AFTER INSERT ON "requests"."service_records"
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION "requests"."queue_service_hours"();--> statement-breakpoint
-- Records written before this migration are folded by the job like any other.
INSERT INTO "requests"."service_hours_unfolded" (record_id) SELECT id FROM "requests"."service_records";
