/**
 * The tables of the event mechanism, as SQL a subgraph's own migration
 * includes (each subgraph owns its Postgres schema, so each creates its own
 * outbox or inbox), and the small SQL helpers the event modules share.
 */
import { sql, type SQL } from 'drizzle-orm';

/** Postgres schema names the event tables may live in: plain lower-case identifiers, safe to quote into DDL. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Returns `name` when it is a schema name the event tables accept; throws otherwise (a programming error). */
export function checkSchemaName(name: string): string {
  if (!SCHEMA_NAME.test(name)) throw new Error(`events: "${name}" is not a plain lower-case Postgres schema name`);
  return name;
}

/** `"<schema>".<table>`, for statements on a schema chosen at run time. */
export function table(schema: string, name: string): SQL {
  return sql`${sql.identifier(checkSchemaName(schema))}.${sql.identifier(name)}`;
}

/** A timestamptz as the ISO text `Date.toISOString()` writes, the same from both drivers. */
export function isoTime(column: SQL): SQL {
  return sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/** What separates statements in a drizzle-kit migration file. */
export const STATEMENT_BREAKPOINT = '--> statement-breakpoint';

/** Splits migration SQL (as `outboxTableSql` writes it) into statements. */
export function migrationStatements(text: string): string[] {
  return text
    .split(STATEMENT_BREAKPOINT)
    .map((statement) => statement.trim())
    .filter((statement) => statement.replace(/^--.*$/gm, '').trim() !== '');
}

const join = (statements: string[]): string => `${statements.map((statement) => statement.trim()).join(`${STATEMENT_BREAKPOINT}\n`)}${STATEMENT_BREAKPOINT}\n`;

/** Event types are `<aggregate>.<what happened>`, e.g. `service_record.created`. */
export const EVENT_TYPE_PATTERN = '^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$';
/** Aggregate types are snake_case nouns, e.g. `service_record`. */
export const AGGREGATE_TYPE_PATTERN = '^[a-z][a-z0-9_]*$';

/**
 * The producer's tables, for its migration: `outbox` (the events, written in
 * the transaction of the change), `outbox_sequences` (the last sequence of
 * each aggregate) and `outbox_relays` (how far each relay to a broker got).
 */
export function outboxTableSql(schema: string): string {
  const s = `"${checkSchemaName(schema)}"`;
  return join([
    `-- Events this subgraph publishes, written in the transaction of the change they describe (transactional outbox).
-- transaction_id orders delivery: a reader takes only rows of transactions older than every one still running,
-- so an event whose transaction commits late is never skipped by a reader that has moved on.
CREATE TABLE ${s}."outbox" (
	"transaction_id" xid8 DEFAULT pg_current_xact_id() NOT NULL,
	"position" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
	"id" uuid NOT NULL,
	"type" text NOT NULL,
	"aggregate_type" text NOT NULL,
	"aggregate_id" text NOT NULL,
	"sequence" bigint NOT NULL,
	"payload" jsonb NOT NULL,
	"occurred_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outbox_pkey" PRIMARY KEY ("transaction_id", "position"),
	CONSTRAINT "outbox_id_unique" UNIQUE ("id"),
	CONSTRAINT "outbox_aggregate_sequence_unique" UNIQUE ("aggregate_type", "aggregate_id", "sequence"),
	CONSTRAINT "outbox_sequence_positive" CHECK ("sequence" > 0),
	CONSTRAINT "outbox_type_format" CHECK ("type" ~ '${EVENT_TYPE_PATTERN}'),
	CONSTRAINT "outbox_aggregate_type_format" CHECK ("aggregate_type" ~ '${AGGREGATE_TYPE_PATTERN}'),
	CONSTRAINT "outbox_aggregate_id_length" CHECK (length("aggregate_id") BETWEEN 1 AND 200),
	CONSTRAINT "outbox_payload_object" CHECK (jsonb_typeof("payload") = 'object')
);`,
    `-- The last sequence number handed out per aggregate; its row lock orders two transactions appending to one aggregate.
CREATE TABLE ${s}."outbox_sequences" (
	"aggregate_type" text NOT NULL,
	"aggregate_id" text NOT NULL,
	"last_sequence" bigint NOT NULL,
	CONSTRAINT "outbox_sequences_pkey" PRIMARY KEY ("aggregate_type", "aggregate_id"),
	CONSTRAINT "outbox_sequences_positive" CHECK ("last_sequence" > 0)
);`,
    `-- How far each relay (outbox → broker) has published, when consumers do not read the outbox directly.
CREATE TABLE ${s}."outbox_relays" (
	"name" text PRIMARY KEY NOT NULL,
	"transaction_id" xid8 DEFAULT '0' NOT NULL,
	"position" bigint DEFAULT 0 NOT NULL,
	"relayed_at" timestamp (3) with time zone
);`,
    `-- Events are facts: once written they are neither changed nor removed.
CREATE FUNCTION ${s}."outbox_refuse_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'outbox events are append-only (% refused)', TG_OP USING ERRCODE = 'restrict_violation';
END
$$;`,
    `CREATE TRIGGER "outbox_append_only" BEFORE UPDATE OR DELETE ON ${s}."outbox" FOR EACH ROW EXECUTE FUNCTION ${s}."outbox_refuse_change"();`,
  ]);
}

/**
 * The consumer's tables, for its migration: `inbox` (every event received,
 * keyed by event id, with its delivery state), `inbox_aggregates` (the last
 * sequence applied per aggregate, for ordering), `inbox_cursors` (how far the
 * database transport has read each producer's outbox) and `dead_letters`.
 */
export function inboxTableSql(schema: string): string {
  const s = `"${checkSchemaName(schema)}"`;
  return join([
    `-- Every event this subgraph received. The key makes a redelivered event a no-op; its status turns 'applied'
-- in the same transaction as the handler's effect, so an event is applied once or not at all.
CREATE TABLE ${s}."inbox" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"position" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
	"source" text NOT NULL,
	"type" text NOT NULL,
	"aggregate_type" text NOT NULL,
	"aggregate_id" text NOT NULL,
	"sequence" bigint NOT NULL,
	"payload" jsonb NOT NULL,
	"occurred_at" timestamp (3) with time zone NOT NULL,
	"received_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"applied_at" timestamp (3) with time zone,
	CONSTRAINT "inbox_status_known" CHECK ("status" IN ('pending', 'applied', 'dead')),
	CONSTRAINT "inbox_applied_at_iff_applied" CHECK (("status" = 'applied') = ("applied_at" IS NOT NULL)),
	CONSTRAINT "inbox_dead_has_error" CHECK ("status" <> 'dead' OR "last_error" IS NOT NULL),
	CONSTRAINT "inbox_attempts_not_negative" CHECK ("attempts" >= 0),
	CONSTRAINT "inbox_sequence_positive" CHECK ("sequence" > 0)
);`,
    `CREATE INDEX "inbox_pending_idx" ON ${s}."inbox" USING btree ("position") WHERE "status" = 'pending';`,
    `CREATE INDEX "inbox_aggregate_idx" ON ${s}."inbox" USING btree ("source", "aggregate_type", "aggregate_id", "sequence");`,
    `-- The last sequence applied (or dead-lettered) per aggregate: only the event right after it may be applied next.
CREATE TABLE ${s}."inbox_aggregates" (
	"source" text NOT NULL,
	"aggregate_type" text NOT NULL,
	"aggregate_id" text NOT NULL,
	"last_sequence" bigint NOT NULL,
	CONSTRAINT "inbox_aggregates_pkey" PRIMARY KEY ("source", "aggregate_type", "aggregate_id"),
	CONSTRAINT "inbox_aggregates_positive" CHECK ("last_sequence" > 0)
);`,
    `-- How far this consumer has read each producer's outbox (database transport); locked while a batch is received.
CREATE TABLE ${s}."inbox_cursors" (
	"source" text PRIMARY KEY NOT NULL,
	"transaction_id" xid8 DEFAULT '0' NOT NULL,
	"position" bigint DEFAULT 0 NOT NULL,
	"received_at" timestamp (3) with time zone
);`,
    `-- Events whose handler kept failing, for platform admins to see and replay. A replay keeps the letter, stamped.
CREATE TABLE ${s}."dead_letters" (
	"id" uuid PRIMARY KEY NOT NULL,
	"event_id" uuid NOT NULL REFERENCES ${s}."inbox" ("event_id"),
	"error" text NOT NULL,
	"attempts" integer NOT NULL,
	"dead_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"replayed_at" timestamp (3) with time zone,
	"replayed_by" text,
	CONSTRAINT "dead_letters_attempts_positive" CHECK ("attempts" > 0),
	CONSTRAINT "dead_letters_replay_has_author" CHECK (("replayed_at" IS NULL) = ("replayed_by" IS NULL))
);`,
    `CREATE UNIQUE INDEX "dead_letters_one_open_per_event" ON ${s}."dead_letters" USING btree ("event_id") WHERE "replayed_at" IS NULL;`,
    `CREATE INDEX "dead_letters_dead_at_idx" ON ${s}."dead_letters" USING btree ("dead_at", "id");`,
  ]);
}
