/**
 * The consumer side. Events are first received into the consumer's inbox
 * (keyed by event id, so a redelivery is a no-op), then applied in the
 * transaction that marks them applied, one aggregate's events in sequence
 * order, failures retried with backoff and, after the last attempt,
 * dead-lettered so the events behind them flow on. A batch is first applied
 * whole, as most are; if any handler fails, that attempt rolls back and the
 * batch is applied again with each handler in a savepoint, so the failure is
 * recorded against its own event and the others still apply.
 */
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Database, Transaction } from '../db.js';
import { newId } from '../ids.js';
import type { Logger } from '../logger.js';
import { envelopeOf, type EventColumns, type EventEnvelope } from './outbox.js';
import { retryDelayMs, retryPolicy, type RetryPolicy } from './retry.js';
import { rowsOf } from '../sql.js';
import { checkSchemaName, isoTime, table } from './tables.js';
import type { EventTransport } from './transport.js';

/** An event as its handler sees it. */
export interface ReceivedEvent extends EventEnvelope {
  /** 1 on the first try, 2 on the first retry… */
  attempt: number;
}

/**
 * Applies one event. It runs inside the transaction that marks the event
 * applied, so everything it writes must go through `tx` (on the embedded
 * database, a statement on another handle would wait for this transaction
 * forever). Throwing rolls its writes back and schedules a retry. One
 * attempt may run a handler twice, the first time rolled back (when another
 * event of its batch failed), so it must not act outside `tx`.
 */
export type EventHandler = (tx: Transaction, event: ReceivedEvent) => Promise<void>;

/** Thrown by a handler for an event no retry can fix (e.g. a payload of the wrong shape): it is dead-lettered at once. */
export class UnprocessableEventError extends Error {
  override readonly name = 'UnprocessableEventError';
}

/** A handler whose event payload is checked by `schema` first; a payload that does not fit is unprocessable. */
export function withPayload<T>(schema: z.ZodType<T>, handler: (tx: Transaction, event: Omit<ReceivedEvent, 'payload'> & { payload: T }) => Promise<void>): EventHandler {
  return async (tx, event) => {
    const parsed = schema.safeParse(event.payload);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new UnprocessableEventError(`payload of ${event.type}: ${issue?.path.join('.') || 'payload'}: ${issue?.message ?? 'invalid'}`);
    }
    await handler(tx, { ...event, payload: parsed.data });
  };
}

/** A consumer: where its tables are, what it handles, and how it retries. */
export interface EventConsumer {
  /** The consumer's own Postgres schema, holding its inbox, cursors and dead letters. */
  schema: string;
  /**
   * Handlers by source (the producer's schema) and event type. Every event of
   * a listed source is received; one whose type has no handler is recorded
   * as applied without effect, in its place in its aggregate's order.
   */
  handlers: Readonly<Record<string, Readonly<Record<string, EventHandler>>>>;
  retry: RetryPolicy;
}

export function defineConsumer(definition: { schema: string; handlers: Record<string, Record<string, EventHandler>>; retry?: Partial<RetryPolicy> }): EventConsumer {
  checkSchemaName(definition.schema);
  for (const source of Object.keys(definition.handlers)) checkSchemaName(source);
  return { schema: definition.schema, handlers: definition.handlers, retry: retryPolicy(definition.retry) };
}

/** What one pass did. */
export interface ConsumeReport {
  /** Events newly stored in the inbox (redeliveries not counted). */
  received: number;
  /** Events whose handler succeeded. */
  applied: number;
  /** Events of a type this consumer has no handler for, recorded as applied. */
  skipped: number;
  /** Failed attempts that will be retried. */
  failed: number;
  /** Events that failed for the last time and went to the dead letters. */
  deadLettered: number;
}

export interface ConsumeOptions {
  db: Database;
  consumer: EventConsumer;
  transport: EventTransport;
  /** Events per transaction, received or applied. */
  batchSize?: number;
  logger?: Logger;
  /** Source of jitter; tests may fix it. */
  random?: () => number;
}

export const DEFAULT_BATCH_SIZE = 50;

/** Receives from every source, then applies what is due: one pass of a runner. */
export async function consumeOnce(options: ConsumeOptions): Promise<ConsumeReport> {
  const received = await receiveEvents(options);
  const report = await applyEvents(options);
  return { ...report, received };
}

/** Stores the next batch of each source's events in the inbox; returns how many were new. */
export async function receiveEvents({ db, consumer, transport, batchSize = DEFAULT_BATCH_SIZE }: ConsumeOptions): Promise<number> {
  let received = 0;
  for (const source of Object.keys(consumer.handlers)) {
    const feed = transport.feed(consumer.schema, source);
    if (!(await feed.hasWaiting(db))) continue;
    let settle: (() => Promise<void>) | undefined;
    received += await db.transaction(async (tx) => {
      const batch = await feed.fetch(tx, batchSize);
      if (!batch) return 0;
      const stored = await storeInInbox(tx, consumer.schema, source, batch.events);
      await batch.acknowledge(tx);
      settle = batch.settle;
      return stored;
    });
    await settle?.();
  }
  return received;
}

/** One multi-row insert; an event already in the inbox (a redelivery) is left as it is. */
async function storeInInbox(tx: Transaction, schema: string, source: string, events: readonly EventEnvelope[]): Promise<number> {
  // A broker may hand the same event twice in one batch; one row each.
  const unique = [...new Map(events.map((event) => [event.id, event])).values()];
  if (unique.length === 0) return 0;
  const values = sql.join(
    unique.map(
      (event) =>
        sql`(${event.id}::uuid, ${source}::text, ${event.type}::text, ${event.aggregateType}::text, ${event.aggregateId}::text,
             ${event.sequence}::bigint, ${JSON.stringify(event.payload)}::jsonb, ${event.occurredAt.toISOString()}::timestamptz)`,
    ),
    sql`, `,
  );
  const stored = await rowsOf<{ event_id: string }>(
    tx,
    sql`insert into ${table(schema, 'inbox')} (event_id, source, type, aggregate_type, aggregate_id, sequence, payload, occurred_at)
        values ${values}
        on conflict (event_id) do nothing
        returning event_id`,
  );
  return stored.length;
}

interface DueRow extends EventColumns {
  id: string;
  source: string;
  attempts: number;
}

/**
 * Inbox events that may be applied now: pending, past their retry time, and
 * next in their aggregate's order — the one after the last applied, or one
 * already passed (a replayed dead letter).
 */
function dueCondition() {
  return sql`i.status = 'pending' and i.next_attempt_at <= now()
    and (i.sequence = coalesce(a.last_sequence, 0) + 1 or i.sequence <= a.last_sequence)`;
}

function fromInbox(schema: string) {
  return sql`${table(schema, 'inbox')} i
    left join ${table(schema, 'inbox_aggregates')} a
      on a.source = i.source and a.aggregate_type = i.aggregate_type and a.aggregate_id = i.aggregate_id`;
}

/** Whether some inbox event is due; lock-free, so an idle consumer costs one read. */
async function hasDueEvents(db: Database, schema: string): Promise<boolean> {
  const [row] = await rowsOf<{ due: boolean }>(db, sql`select exists (select 1 from ${fromInbox(schema)} where ${dueCondition()}) as due`);
  return row?.due === true;
}

/**
 * Claims up to `limit` due events, oldest first. `SKIP LOCKED` leaves events
 * another instance is applying to it; at most one event per aggregate is due
 * at a time, so one aggregate's events are never applied side by side.
 */
function claimDueEvents(tx: Transaction, schema: string, limit: number): Promise<DueRow[]> {
  return rowsOf<DueRow>(
    tx,
    sql`select i.event_id::text as id, i.source, i.type, i.aggregate_type, i.aggregate_id, i.sequence::text as sequence,
          i.payload::text as payload, ${isoTime(sql`i.occurred_at`)} as occurred_at, i.attempts
        from ${fromInbox(schema)}
        where ${dueCondition()}
        order by i.position
        limit ${limit}
        for update of i skip locked`,
  );
}

/** Records `eventIds` as applied and their aggregates as having reached them, in one statement. */
async function markAllApplied(tx: Transaction, schema: string, eventIds: readonly string[]): Promise<void> {
  if (eventIds.length === 0) return;
  const ids = sql.join(
    eventIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  await tx.execute(
    sql`with done as (
          update ${table(schema, 'inbox')} set status = 'applied', applied_at = now(), attempts = attempts + 1, last_error = null
          where event_id in (${ids}) and status = 'pending'
          returning source, aggregate_type, aggregate_id, sequence
        )
        insert into ${table(schema, 'inbox_aggregates')} as a (source, aggregate_type, aggregate_id, last_sequence)
        -- One row per aggregate: replayed dead letters of one aggregate may be due together.
        select source, aggregate_type, aggregate_id, max(sequence) from done group by source, aggregate_type, aggregate_id
        on conflict (source, aggregate_type, aggregate_id) do update set last_sequence = greatest(a.last_sequence, excluded.last_sequence)`,
  );
}

async function markForRetry(tx: Transaction, schema: string, eventId: string, error: string, delayMs: number): Promise<void> {
  await tx.execute(
    sql`update ${table(schema, 'inbox')}
        set attempts = attempts + 1, last_error = ${error}, next_attempt_at = now() + ${delayMs}::int * interval '1 millisecond'
        where event_id = ${eventId}::uuid`,
  );
}

/** Moves `eventId` to the dead letters and lets its aggregate's later events pass it, in one statement. */
async function markDead(tx: Transaction, schema: string, eventId: string, error: string): Promise<void> {
  await tx.execute(
    sql`with dead as (
          update ${table(schema, 'inbox')} set status = 'dead', attempts = attempts + 1, last_error = ${error}
          where event_id = ${eventId}::uuid and status = 'pending'
          returning event_id, source, aggregate_type, aggregate_id, sequence, attempts
        ), letter as (
          insert into ${table(schema, 'dead_letters')} (id, event_id, error, attempts)
          select ${newId()}::uuid, event_id, ${error}, attempts from dead
        )
        insert into ${table(schema, 'inbox_aggregates')} as a (source, aggregate_type, aggregate_id, last_sequence)
        select source, aggregate_type, aggregate_id, sequence from dead
        on conflict (source, aggregate_type, aggregate_id) do update set last_sequence = greatest(a.last_sequence, excluded.last_sequence)`,
  );
}

/** The message a dead letter keeps: the innermost cause (a driver error, not drizzle's wrapper quoting the statement and its values). */
export function describeFailure(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 4; depth += 1) {
    const cause = current instanceof Error ? current.cause : undefined;
    if (!(cause instanceof Error)) break;
    current = cause;
  }
  const text = current instanceof Error ? `${current.name}: ${current.message}` : String(current);
  return text.length > 2000 ? `${text.slice(0, 1997)}...` : text;
}

/** A handler failed while a batch was applied whole: that attempt rolls back and the batch goes one event at a time. */
class BatchFailed extends Error {
  override readonly name = 'BatchFailed';
}

type ApplyReport = Omit<ConsumeReport, 'received'>;

function eventOf(row: DueRow): ReceivedEvent {
  return { ...envelopeOf(row.id, row.source, row), attempt: row.attempts + 1 };
}

/**
 * Applies a batch whole: every handler on the transaction itself and one
 * statement to mark them all applied, instead of a savepoint, its release
 * and a mark per event. Null when a handler failed (nothing of the attempt
 * stays).
 */
async function applyBatchWhole(db: Database, consumer: EventConsumer, batchSize: number): Promise<ApplyReport | null> {
  try {
    return await db.transaction(async (tx) => {
      const report = { applied: 0, skipped: 0, failed: 0, deadLettered: 0 };
      const rows = await claimDueEvents(tx, consumer.schema, batchSize);
      for (const row of rows) {
        const event = eventOf(row);
        const handler = consumer.handlers[event.source]?.[event.type];
        if (!handler) {
          report.skipped += 1;
          continue;
        }
        try {
          await handler(tx, event);
        } catch {
          throw new BatchFailed();
        }
        report.applied += 1;
      }
      await markAllApplied(
        tx,
        consumer.schema,
        rows.map((row) => row.id),
      );
      return report;
    });
  } catch (error) {
    if (error instanceof BatchFailed) return null;
    throw error;
  }
}

/** Applies the due events of the inbox, one transaction per batch; returns what happened to them. */
export async function applyEvents({ db, consumer, batchSize = DEFAULT_BATCH_SIZE, logger, random }: ConsumeOptions): Promise<ApplyReport> {
  const { schema, retry } = consumer;
  if (!(await hasDueEvents(db, schema))) return { applied: 0, skipped: 0, failed: 0, deadLettered: 0 };
  const whole = await applyBatchWhole(db, consumer, batchSize);
  if (whole) return whole;
  const report = { applied: 0, skipped: 0, failed: 0, deadLettered: 0 };
  await db.transaction(async (tx) => {
    for (const row of await claimDueEvents(tx, schema, batchSize)) {
      const event = eventOf(row);
      const handler = consumer.handlers[event.source]?.[event.type];
      try {
        // A savepoint: a failing handler's writes roll back, the claim and the failure record stay.
        if (handler) await tx.transaction((savepoint) => handler(savepoint, event));
      } catch (error) {
        const failure = describeFailure(error);
        const context = { eventId: event.id, type: event.type, source: event.source, attempt: event.attempt, error: failure };
        if (error instanceof UnprocessableEventError || event.attempt >= retry.maxAttempts) {
          await markDead(tx, schema, event.id, failure);
          report.deadLettered += 1;
          logger?.error(context, 'event dead-lettered');
        } else {
          const delayMs = retryDelayMs(retry, event.attempt, random);
          await markForRetry(tx, schema, event.id, failure, delayMs);
          report.failed += 1;
          logger?.warn({ ...context, retryInMs: delayMs }, 'event handler failed; will retry');
        }
        continue;
      }
      await markAllApplied(tx, schema, [event.id]);
      if (handler) report.applied += 1;
      else report.skipped += 1;
    }
  });
  return report;
}
