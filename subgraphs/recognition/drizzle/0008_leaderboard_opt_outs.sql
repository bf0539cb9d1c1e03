CREATE TABLE "recognition"."leaderboard_opt_outs" (
	"person_id" uuid PRIMARY KEY NOT NULL,
	"opted_out" boolean NOT NULL,
	"changed_at" timestamp with time zone NOT NULL
);
