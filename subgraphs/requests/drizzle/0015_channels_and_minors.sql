ALTER TYPE "requests"."request_channel" ADD VALUE 'wechat_group';--> statement-breakpoint
ALTER TYPE "requests"."request_channel" ADD VALUE 'qq_group';--> statement-breakpoint
ALTER TYPE "requests"."request_channel" ADD VALUE 'courtyard_meeting';--> statement-breakpoint
ALTER TYPE "requests"."request_channel" ADD VALUE 'home_visit';--> statement-breakpoint
ALTER TABLE "requests"."categories" ADD COLUMN "suitable_for_minors" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "requests"."directory_persons" ADD COLUMN "minor" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "requests"."directory_persons" ADD COLUMN "guardian_consent" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "requests"."micro_wishes" ADD COLUMN "channel" "requests"."request_channel" DEFAULT 'app' NOT NULL;--> statement-breakpoint
-- Analysts see how wishes came in, as they see it for requests.
CREATE OR REPLACE VIEW "requests"."analytics_micro_wishes" AS
  SELECT w.id AS wish_id, w.status::text AS status, w.created_at, (w.created_at AT TIME ZONE 'Asia/Shanghai')::date AS posted_day,
         w.claimed_at, w.fulfilled_at, w.region_id, w.region_path, w.channel::text AS channel
    FROM "requests"."micro_wishes" w;
