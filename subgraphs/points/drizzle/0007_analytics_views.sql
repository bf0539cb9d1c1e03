-- De-identified facts for BI tools (docs/analysts.md, "SQL for BI tools"), as requests' 0005 does for its facts: what
-- the bank records, with offices and merchants as ids (names in the public units' and merchants' views) and periods as
-- Beijing days, and no personal column: no passbook number, balance, note, reference or contributor. A customer
-- appears only as a keyed hash of the holder with requests' formula, so one audience's keys agree across the schemas.
-- The role is created here too, idempotently, because each subgraph may live in a database (a cluster) of its own.
DO $$
BEGIN
  CREATE ROLE lianxin_analytics NOLOGIN;
EXCEPTION WHEN duplicate_object THEN
  NULL;
END
$$;
--> statement-breakpoint
CREATE FUNCTION "points"."analytics_person_key"(person uuid) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN coalesce(current_setting('lianxin.pseudonym_key', true), '') = '' OR person IS NULL THEN NULL
              ELSE encode(sha256(convert_to(current_setting('lianxin.pseudonym_key', true) || ':' || person::text, 'UTF8')), 'hex') END
$$;
--> statement-breakpoint
-- One row per customer account a transfer touches, as pointsFlowStats counts them: points into ('in') or out of ('out')
-- a passbook, at the savings office the account was opened at, with the merchant on the other side (a redemption's).
CREATE VIEW "points"."analytics_points_flows" AS
  SELECT t.id AS transfer_id, t.cause::text AS cause,
         CASE WHEN s.credit THEN 'in' ELSE 'out' END AS direction,
         t.amount AS points,
         CASE WHEN s.credit THEN t.amount ELSE -t.amount END AS balance_change,
         (t.created_at AT TIME ZONE 'Asia/Shanghai')::date AS moved_day,
         a.office_id, o.parent_id AS branch_id, o.bank_id,
         "points"."analytics_person_key"(a.holder_id) AS holder_key,
         c.merchant_id,
         t.reverses_id AS reverses_transfer_id
    FROM "points"."transfers" t
   CROSS JOIN LATERAL (VALUES (t.debit_account_id, t.credit_account_id, false), (t.credit_account_id, t.debit_account_id, true)) AS s(account_id, other_id, credit)
    JOIN "points"."accounts" a ON a.id = s.account_id AND a.kind = 'customer'
    JOIN "points"."bank_units" o ON o.id = a.office_id
    JOIN "points"."accounts" c ON c.id = s.other_id;
--> statement-breakpoint
-- Captured redemptions (one-phase, or holds captured), on the Beijing day of capture, as a merchant's settlement counts them.
CREATE VIEW "points"."analytics_redemptions" AS
  SELECT r.id AS redemption_id, r.merchant_id, m.bank_id, a.office_id,
         r.total_points AS points, r.item_count AS items,
         (r.resolved_at AT TIME ZONE 'Asia/Shanghai')::date AS captured_day
    FROM "points"."redemptions" r
    JOIN "points"."merchants" m ON m.id = r.merchant_id
    JOIN "points"."accounts" a ON a.id = r.account_id
   WHERE r.status = 'captured';
--> statement-breakpoint
-- The funds' statements, money in fen; never the contributor's name or the memo.
CREATE VIEW "points"."analytics_fund_entries" AS
  SELECT e.id AS entry_id, e.fund_id, f.bank_id, e.kind::text AS kind, e.source::text AS source,
         e.amount AS amount_fen, (e.created_at AT TIME ZONE 'Asia/Shanghai')::date AS entry_day,
         e.service_request_id
    FROM "points"."fund_entries" e
    JOIN "points"."funds" f ON f.id = e.fund_id;
--> statement-breakpoint
-- What is public of the bank, for names: its units (head bank, branches, savings offices), merchants and funds.
CREATE VIEW "points"."analytics_bank_units" AS
  SELECT u.id AS unit_id, u.name, u.kind::text AS kind, u.parent_id, u.bank_id, u.region_id FROM "points"."bank_units" u;
--> statement-breakpoint
CREATE VIEW "points"."analytics_merchants" AS
  SELECT m.id AS merchant_id, m.name, m.kind::text AS kind, m.bank_id, m.active FROM "points"."merchants" m;
--> statement-breakpoint
CREATE VIEW "points"."analytics_funds" AS
  SELECT f.id AS fund_id, f.name, f.bank_id FROM "points"."funds" f;
--> statement-breakpoint
GRANT USAGE ON SCHEMA "points" TO lianxin_analytics;
--> statement-breakpoint
GRANT SELECT ON "points"."analytics_points_flows", "points"."analytics_redemptions", "points"."analytics_fund_entries",
  "points"."analytics_bank_units", "points"."analytics_merchants", "points"."analytics_funds" TO lianxin_analytics;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION "points"."analytics_person_key"(uuid) TO lianxin_analytics;
