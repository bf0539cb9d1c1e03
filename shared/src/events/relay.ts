/**
 * The producer's relay, for when consumers cannot read its outbox (separate
 * databases): it reads the outbox in order and hands each batch to a broker,
 * moving its own position (`<producer>.outbox_relays`) only after the broker
 * took the batch. A crash in between publishes the batch again; consumers'
 * inboxes make that harmless.
 */
import { sql } from 'drizzle-orm';
import type { Database, Transaction } from '../db.js';
import { OUTBOX_START, outboxHasEventsAfter, readOutbox, type OutboxPosition } from './outbox.js';
import { rowsOf } from '../sql.js';
import { checkSchemaName, table } from './tables.js';
import type { EventPublisher } from './transport.js';

export interface RelayOptions {
  db: Database;
  /** The producer's schema, holding its outbox. */
  schema: string;
  publisher: EventPublisher;
  /** Names this relay's position, so one outbox can feed several brokers. */
  name?: string;
  batchSize?: number;
}

/** Publishes the next batch of the outbox; returns how many events went out (0 also when another instance holds the relay). */
export async function relayOnce({ db, schema, publisher, name = 'default', batchSize = 100 }: RelayOptions): Promise<number> {
  checkSchemaName(schema);
  const relays = table(schema, 'outbox_relays');
  const waiting = await outboxHasEventsAfter(db, schema, {
    transactionId: sql`coalesce((select transaction_id from ${relays} where name = ${name}), '0'::xid8)`,
    position: sql`coalesce((select position from ${relays} where name = ${name}), 0)`,
  });
  if (!waiting) return 0;
  return db.transaction(async (tx) => {
    const from = await lockRelay(tx, schema, name);
    if (!from) return 0;
    const { events, last } = await readOutbox(tx, schema, from, batchSize);
    if (!last) return 0;
    // Inside the transaction, so the position moves only if the broker took the batch.
    await publisher.publish(schema, events);
    await tx.execute(sql`update ${relays} set transaction_id = ${last.transactionId}::xid8, position = ${last.position}::bigint, relayed_at = now() where name = ${name}`);
    return events.length;
  });
}

/**
 * Whether the outbox holds committed events past the relay's position that it
 * cannot read yet (it waits for every older transaction of the cluster to
 * end first, as the database transport does).
 */
export async function relayHasHeldBack({ db, schema, name = 'default' }: Pick<RelayOptions, 'db' | 'schema' | 'name'>): Promise<boolean> {
  checkSchemaName(schema);
  const relays = table(schema, 'outbox_relays');
  return outboxHasEventsAfter(
    db,
    schema,
    {
      transactionId: sql`coalesce((select transaction_id from ${relays} where name = ${name}), '0'::xid8)`,
      position: sql`coalesce((select position from ${relays} where name = ${name}), 0)`,
    },
    { readable: false },
  );
}

async function lockRelay(tx: Transaction, schema: string, name: string): Promise<OutboxPosition | null> {
  const relays = table(schema, 'outbox_relays');
  const [held] = await rowsOf<{ transaction_id: string; position: string }>(
    tx,
    sql`select transaction_id::text as transaction_id, position::text as position from ${relays} where name = ${name} for update skip locked`,
  );
  if (held) return { transactionId: held.transaction_id, position: held.position };
  const [created] = await rowsOf<{ name: string }>(tx, sql`insert into ${relays} (name) values (${name}) on conflict (name) do nothing returning name`);
  return created ? OUTBOX_START : null;
}
