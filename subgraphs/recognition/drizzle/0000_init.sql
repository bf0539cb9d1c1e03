CREATE SCHEMA IF NOT EXISTS "recognition";
--> statement-breakpoint
CREATE TABLE "recognition"."badge_awards" (
	"id" uuid PRIMARY KEY NOT NULL,
	"badge_code" text NOT NULL,
	"holder_id" uuid NOT NULL,
	"awarded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "badge_awards_badge_holder_unique" UNIQUE("badge_code","holder_id")
);
--> statement-breakpoint
CREATE TABLE "recognition"."badge_kinds" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text NOT NULL,
	CONSTRAINT "badge_kinds_code_not_blank" CHECK (length(trim("recognition"."badge_kinds"."code")) > 0),
	CONSTRAINT "badge_kinds_name_not_blank" CHECK (length(trim("recognition"."badge_kinds"."name")) > 0),
	CONSTRAINT "badge_kinds_description_not_blank" CHECK (length(trim("recognition"."badge_kinds"."description")) > 0)
);
--> statement-breakpoint
ALTER TABLE "recognition"."badge_awards" ADD CONSTRAINT "badge_awards_badge_code_badge_kinds_code_fk" FOREIGN KEY ("badge_code") REFERENCES "recognition"."badge_kinds"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "badge_awards_holder_awarded_idx" ON "recognition"."badge_awards" USING btree ("holder_id","awarded_at","id");--> statement-breakpoint
INSERT INTO "recognition"."badge_kinds" ("code", "name", "description") VALUES
	('team_joined', '加入服务队徽章', 'Awarded on joining a volunteer service team.'),
	('active_volunteer', '活跃志愿者徽章', 'Awarded for serving frequently.'),
	('well_rated', '群众好评徽章', 'Awarded for consistently high ratings from the residents served.');
