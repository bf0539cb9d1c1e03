/**
 * The producer side: an event is appended to the producer's own outbox inside
 * the transaction of the change it describes, so it exists exactly when the
 * change does. Readers (the database transport, a relay) take events in the
 * order their transactions became visible.
 */
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Executor, Transaction } from '../db.js';
import { newId } from '../ids.js';
import { rowsOf } from '../sql.js';
import { AGGREGATE_TYPE_PATTERN, EVENT_TYPE_PATTERN, checkSchemaName, isoTime, table } from './tables.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** An event's payload: a JSON object, so fields can be added later without breaking consumers. */
export type JsonObject = { [key: string]: JsonValue };

/** An event as it travels: what the producer wrote, plus where it came from. */
export interface EventEnvelope {
  /** UUIDv7, unique across all producers: the inbox key. */
  id: string;
  /** The producer: its Postgres schema, which is also the subgraph's name. */
  source: string;
  /** `<aggregate>.<what happened>`, e.g. `service_record.created`. */
  type: string;
  aggregateType: string;
  aggregateId: string;
  /** 1, 2, 3… per aggregate: consumers apply one aggregate's events in this order. */
  sequence: number;
  payload: JsonObject;
  occurredAt: Date;
}

/** What a producer says happened. */
export interface NewEvent<TPayload extends JsonObject = JsonObject> {
  type: string;
  aggregateType: string;
  aggregateId: string;
  payload: TPayload;
  /** When it happened; the transaction's time when omitted. */
  occurredAt?: Date;
  /** A fixed id (e.g. derived from the change's own id); a new UUIDv7 when omitted. */
  id?: string;
}

const newEventSchema = z.object({
  type: z.string().regex(new RegExp(EVENT_TYPE_PATTERN), 'must look like aggregate.what_happened'),
  aggregateType: z.string().regex(new RegExp(AGGREGATE_TYPE_PATTERN), 'must be a snake_case noun'),
  aggregateId: z.string().min(1).max(200),
  payload: z.record(z.string(), z.json()),
  occurredAt: z.date().optional(),
  id: z.uuid().optional(),
});

/** The events one producer publishes: each type with its aggregate type and payload shape. */
export type EventCatalogue = Record<string, { aggregate: string; payload: JsonObject }>;

/** `appendEvent` for one producer, typed by its catalogue: each event type takes only its own aggregate type and payload. */
export type OutboxPublisher<E extends EventCatalogue> = <T extends keyof E & string>(
  tx: Transaction,
  type: T,
  aggregateType: E[T]['aggregate'],
  aggregateId: string,
  payload: E[T]['payload'],
  occurredAt?: Date,
) => Promise<void>;

/**
 * The publisher of the producer whose outbox is in `schema`. Declaring the
 * catalogue as type aliases (not interfaces) keeps payloads JSON objects.
 */
export function outboxPublisher<E extends EventCatalogue>(schema: string): OutboxPublisher<E> {
  checkSchemaName(schema);
  return async (tx, type, aggregateType, aggregateId, payload, occurredAt) => {
    await appendEvent(tx, schema, { type, aggregateType, aggregateId, payload, ...(occurredAt ? { occurredAt } : {}) });
  };
}

/**
 * Appends `event` to `<schema>.outbox` in the caller's transaction, with the
 * aggregate's next sequence number. One statement; two transactions appending
 * to the same aggregate are ordered by the sequence row's lock.
 */
export async function appendEvent<TPayload extends JsonObject>(tx: Transaction, schema: string, event: NewEvent<TPayload>): Promise<EventEnvelope> {
  const parsed = newEventSchema.safeParse(event);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`events: cannot append ${event.type}: ${issue?.path.join('.') ?? 'event'} ${issue?.message ?? 'is invalid'}`);
  }
  const id = event.id ?? newId();
  const [row] = await rowsOf<{ sequence: string; occurred_at: string }>(
    tx,
    sql`with next as (
          insert into ${table(schema, 'outbox_sequences')} as s (aggregate_type, aggregate_id, last_sequence)
          values (${event.aggregateType}::text, ${event.aggregateId}::text, 1)
          on conflict (aggregate_type, aggregate_id) do update set last_sequence = s.last_sequence + 1
          returning last_sequence
        )
        insert into ${table(schema, 'outbox')} (id, type, aggregate_type, aggregate_id, sequence, payload, occurred_at)
        select ${id}::uuid, ${event.type}::text, ${event.aggregateType}::text, ${event.aggregateId}::text, next.last_sequence,
          ${JSON.stringify(event.payload)}::jsonb, coalesce(${event.occurredAt?.toISOString() ?? null}::timestamptz, now())
        from next
        returning sequence::text as sequence, ${isoTime(sql`occurred_at`)} as occurred_at`,
  );
  if (!row) throw new Error('events: the outbox insert returned no row');
  return {
    id,
    source: schema,
    type: event.type,
    aggregateType: event.aggregateType,
    aggregateId: event.aggregateId,
    sequence: Number(row.sequence),
    payload: event.payload,
    occurredAt: new Date(row.occurred_at),
  };
}

/**
 * A place in an outbox: the (transaction id, position) of the last event
 * read. Transaction ids are xid8 and positions bigint, both kept as text.
 */
export interface OutboxPosition {
  transactionId: string;
  position: string;
}

/** Before the first event of any outbox. */
export const OUTBOX_START: OutboxPosition = { transactionId: '0', position: '0' };

/** The columns an event is read back from, in the outbox, the inbox and the dead letters alike (as text). */
export interface EventColumns {
  type: string;
  aggregate_type: string;
  aggregate_id: string;
  sequence: string;
  payload: string;
  occurred_at: string;
}

/** An event read back from any of the event tables. */
export function envelopeOf(id: string, source: string, row: EventColumns): EventEnvelope {
  return {
    id,
    source,
    type: row.type,
    aggregateType: row.aggregate_type,
    aggregateId: row.aggregate_id,
    sequence: Number(row.sequence),
    payload: JSON.parse(row.payload) as JsonObject,
    occurredAt: new Date(row.occurred_at),
  };
}

interface OutboxRow extends EventColumns {
  id: string;
  transaction_id: string;
  position: string;
}

/**
 * Up to `limit` events of `<schema>.outbox` after `after`, in the order
 * their transactions became visible, and the position of the last one.
 *
 * Positions come from a sequence, so a transaction that took position 10 can
 * commit after one that took 11; a reader that moved past 11 would never see
 * 10. Only rows of transactions older than every transaction still running
 * (`pg_snapshot_xmin`) are read, ordered by transaction id first: whatever
 * commits later sorts after what was read.
 */
export async function readOutbox(db: Executor, schema: string, after: OutboxPosition, limit: number): Promise<{ events: EventEnvelope[]; last: OutboxPosition | null }> {
  const rows = await rowsOf<OutboxRow>(
    db,
    sql`select id::text as id, type, aggregate_type, aggregate_id, sequence::text as sequence, payload::text as payload,
          ${isoTime(sql`occurred_at`)} as occurred_at, transaction_id::text as transaction_id, position::text as position
        from ${table(schema, 'outbox')} o
        where (o.transaction_id, o.position) > (${after.transactionId}::xid8, ${after.position}::bigint)
          and o.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
        -- Qualified: the bare names would sort by the text columns of the same names in the select list.
        order by o.transaction_id, o.position
        limit ${limit}`,
  );
  const events = rows.map((row) => envelopeOf(row.id, schema, row));
  const tail = rows.at(-1);
  return { events, last: tail ? { transactionId: tail.transaction_id, position: tail.position } : null };
}

/**
 * Whether `<schema>.outbox` holds a readable event after `after`; one cheap
 * statement that locks nothing. With `readable: false`, any committed event
 * after it counts, also one `readOutbox` holds back while an older
 * transaction of the cluster still runs.
 */
export async function outboxHasEventsAfter(db: Executor, schema: string, after: SqlPosition, options: { readable: boolean } = { readable: true }): Promise<boolean> {
  const [row] = await rowsOf<{ waiting: boolean }>(
    db,
    sql`select exists (
          select 1 from ${table(checkSchemaName(schema), 'outbox')}
          where (transaction_id, position) > (${after.transactionId}, ${after.position})
            ${options.readable ? sql`and transaction_id < pg_snapshot_xmin(pg_current_snapshot())` : sql``}
        ) as waiting`,
  );
  return row?.waiting === true;
}

/** A position given as SQL expressions (e.g. subqueries reading a cursor row). */
export interface SqlPosition {
  transactionId: SQL;
  position: SQL;
}
