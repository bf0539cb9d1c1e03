/**
 * How events travel from a producer's outbox to a consumer's inbox. The
 * consumer pulls batches through an `EventTransport`; the default one reads
 * the producer's outbox in the consumer's own transaction (one database), and
 * a broker (NATS JetStream, Kafka) fits the same interface when subgraphs get
 * separate databases, fed by a relay in the producer (see relay.ts).
 */
import { sql } from 'drizzle-orm';
import type { Database, Transaction } from '../db.js';
import { OUTBOX_START, outboxHasEventsAfter, readOutbox, type EventEnvelope, type OutboxPosition } from './outbox.js';
import { rowsOf } from '../sql.js';
import { checkSchemaName, table } from './tables.js';

/** A batch of events handed to a consumer. */
export interface ReceivedBatch {
  /** Oldest first; may repeat events already received (delivery is at least once). */
  events: readonly EventEnvelope[];
  /** Runs in the transaction that stores `events` in the inbox, before it commits (the database transport moves its cursor here). */
  acknowledge(tx: Transaction): Promise<void>;
  /** Runs after that transaction committed (a broker acknowledges its messages here). */
  settle: () => Promise<void>;
}

/** One consumer's feed of one producer's events. */
export interface EventFeed {
  /**
   * Takes the next batch, inside the consumer's transaction that will store
   * it; null when another instance of the consumer is taking this feed's
   * batch right now.
   */
  fetch(tx: Transaction, limit: number): Promise<ReceivedBatch | null>;
  /** Whether a fetch may find something; cheap and lock-free, so an idle consumer costs one read per poll. */
  hasWaiting(db: Database): Promise<boolean>;
  /**
   * Whether events are committed after the read position that a fetch does
   * not take yet (the database transport waits for every older transaction
   * of the cluster to end first); absent where nothing is ever held back.
   */
  hasHeldBack?(db: Database): Promise<boolean>;
}

/** Connects consumers to producers' events. */
export interface EventTransport {
  /** The feed of `source`'s events for the consumer whose tables are in schema `consumer`. */
  feed(consumer: string, source: string): EventFeed;
}

/** The producer half of a broker: what a relay hands the outbox's events to. */
export interface EventPublisher {
  /**
   * Stores `events` durably in the broker, in order. May be called again with
   * the same events after a crash; consumers' inboxes make that harmless.
   */
  publish(source: string, events: readonly EventEnvelope[]): Promise<void>;
}

/**
 * The default transport, for subgraphs that share one database: the consumer
 * reads the producer's outbox table directly, and its read position
 * (`<consumer>.inbox_cursors`) moves in the same transaction that stores the
 * events in its inbox, so nothing is received twice or skipped. The cursor
 * row is taken with `FOR UPDATE SKIP LOCKED`: of several instances of one
 * consumer, one receives a batch at a time and the others move on.
 */
export function databaseTransport(): EventTransport {
  return {
    feed(consumer, source) {
      checkSchemaName(consumer);
      checkSchemaName(source);
      const cursors = table(consumer, 'inbox_cursors');
      return {
        async hasWaiting(db) {
          return outboxHasEventsAfter(db, source, {
            transactionId: sql`coalesce((select transaction_id from ${cursors} where source = ${source}), '0'::xid8)`,
            position: sql`coalesce((select position from ${cursors} where source = ${source}), 0)`,
          });
        },
        async hasHeldBack(db) {
          return outboxHasEventsAfter(
            db,
            source,
            {
              transactionId: sql`coalesce((select transaction_id from ${cursors} where source = ${source}), '0'::xid8)`,
              position: sql`coalesce((select position from ${cursors} where source = ${source}), 0)`,
            },
            { readable: false },
          );
        },
        async fetch(tx, limit) {
          const cursor = await lockCursor(tx, consumer, source);
          if (!cursor) return null;
          const { events, last } = await readOutbox(tx, source, cursor, limit);
          return {
            events,
            async acknowledge(inTx) {
              if (!last) return;
              await inTx.execute(
                sql`update ${cursors} set transaction_id = ${last.transactionId}::xid8, position = ${last.position}::bigint, received_at = now()
                    where source = ${source}`,
              );
            },
            settle: async () => undefined,
          };
        },
      };
    },
  };
}

/** Locks this consumer's cursor on `source`, creating it at the outbox's start; null when another instance holds it. */
async function lockCursor(tx: Transaction, consumer: string, source: string): Promise<OutboxPosition | null> {
  const cursors = table(consumer, 'inbox_cursors');
  const select = () =>
    rowsOf<{ transaction_id: string; position: string }>(
      tx,
      sql`select transaction_id::text as transaction_id, position::text as position from ${cursors} where source = ${source} for update skip locked`,
    );
  const [held] = await select();
  if (held) return { transactionId: held.transaction_id, position: held.position };
  // No row, or one another instance holds: a row this transaction inserts is its own until it commits.
  const [created] = await rowsOf<{ source: string }>(tx, sql`insert into ${cursors} (source) values (${source}) on conflict (source) do nothing returning source`);
  return created ? OUTBOX_START : null;
}
