import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'drizzle-orm';
import {
  appendEvent,
  applyEvents,
  createLogger,
  memoryLog,
  consumeOnce,
  countDeadLetters,
  createMemoryBroker,
  databaseTransport,
  defineConsumer,
  drainEvents,
  inboxTableSql,
  listDeadLetters,
  newId,
  openDatabase,
  outboxTableSql,
  readPage,
  receiveEvents,
  relayOnce,
  replayDeadLetter,
  retryDelayMs,
  retryPolicy,
  startEventRunner,
  withPayload,
  type ConsumeOptions,
  type Database,
  type DatabaseHandle,
  type EventConsumer,
  type EventHandler,
  type EventTransport,
  type RetryPolicy,
} from '../src/index.js';
import { createEventTables, waitFor } from '../src/testing/index.js';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.js';
import { z } from 'zod';

let testDatabase: TestDatabase;
let handle: DatabaseHandle;
let db: Database;

beforeAll(async () => {
  testDatabase = await createTestDatabase('events');
  handle = await openDatabase({ url: testDatabase.url, poolSize: 8 });
  db = handle.db;
});

afterAll(async () => {
  await handle.close();
  await testDatabase.drop();
});

const rows = async <T>(database: Database, query: ReturnType<typeof sql>): Promise<T[]> => {
  const result: unknown = await database.execute(query);
  return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as T[];
};

/** Counts the statements sent from now on whose text holds `text` (a runner's reads of one schema), until `stop()`. */
function statementsNaming(text: string): { count: () => number; stop: () => void } {
  let count = 0;
  const stop = handle.onStatement((statement) => {
    if (statement.includes(text)) count += 1;
  });
  return { count: () => count, stop };
}

let worlds = 0;

/**
 * A producer schema with an outbox and a consumer schema with an inbox and an
 * `effects` table the handlers write to. `effects` has no unique key on
 * purpose: an event applied twice shows up as two rows.
 */
async function newWorld({ producerMigrated = true } = {}) {
  worlds += 1;
  const producer = `producer_${worlds}`;
  const consumerSchema = `consumer_${worlds}`;
  /** Runs the producer's migration: its schema and outbox. */
  const migrateProducer = () => createEventTables(db, producer, { outbox: true });
  if (producerMigrated) await migrateProducer();
  await createEventTables(db, consumerSchema, { inbox: true });
  await db.execute(
    sql.raw(`create table "${consumerSchema}".effects (
      n bigint generated always as identity primary key,
      event_id uuid not null,
      aggregate_id text not null,
      sequence int not null,
      applied_by text not null
    )`),
  );

  /** A handler that records its event, tagged with who applied it. */
  const recordEffect =
    (by = 'runner', before?: (event: Parameters<EventHandler>[1]) => Promise<void>): EventHandler =>
    async (tx, event) => {
      await before?.(event);
      await tx.execute(
        sql`insert into ${sql.identifier(consumerSchema)}.effects (event_id, aggregate_id, sequence, applied_by)
            values (${event.id}::uuid, ${event.aggregateId}, ${event.sequence}, ${by})`,
      );
    };

  const consumer = (handlers: Record<string, EventHandler>, retry: Partial<RetryPolicy> = {}): EventConsumer =>
    defineConsumer({ schema: consumerSchema, handlers: { [producer]: handlers }, retry: { baseDelayMs: 1, maxDelayMs: 4, ...retry } });

  /**
   * Appends one `thing.happened` event per entry, each in its own transaction, and waits until the last is
   * readable: the outbox is read only behind every transaction of the server still running, and other tests'
   * databases share the server. A test that holds an older transaction open on purpose passes `readable: false`.
   */
  const produce = async (aggregateIds: readonly string[], payload: Record<string, string | number | boolean> = {}, { readable = true } = {}) => {
    const ids: string[] = [];
    for (const aggregateId of aggregateIds) {
      const event = await db.transaction((tx) => appendEvent(tx, producer, { type: 'thing.happened', aggregateType: 'thing', aggregateId, payload }));
      ids.push(event.id);
    }
    const last = ids.at(-1);
    if (readable && last) {
      await waitFor('the produced events are readable', async () => {
        const [row] = await rows<{ readable: boolean }>(
          db,
          sql`select exists (select 1 from ${sql.identifier(producer)}.outbox where id = ${last}::uuid and transaction_id < pg_snapshot_xmin(pg_current_snapshot())) as readable`,
        );
        return row?.readable === true;
      });
    }
    return ids;
  };

  const effects = () =>
    rows<{ event_id: string; aggregate_id: string; sequence: number; applied_by: string }>(
      db,
      sql`select event_id::text as event_id, aggregate_id, sequence, applied_by from ${sql.identifier(consumerSchema)}.effects order by n`,
    );

  const inboxStatus = async (eventId: string) => {
    const [row] = await rows<{ status: string; attempts: number; last_error: string | null }>(
      db,
      sql`select status, attempts, last_error from ${sql.identifier(consumerSchema)}.inbox where event_id = ${eventId}::uuid`,
    );
    return row;
  };

  return { producer, consumerSchema, migrateProducer, recordEffect, consumer, produce, effects, inboxStatus };
}

/** For each aggregate, the sequence numbers in the order their effects were written. */
function sequencesByAggregate(effects: { aggregate_id: string; sequence: number }[]): Map<string, number[]> {
  const byAggregate = new Map<string, number[]>();
  for (const effect of effects) byAggregate.set(effect.aggregate_id, [...(byAggregate.get(effect.aggregate_id) ?? []), effect.sequence]);
  return byAggregate;
}

const ascending = (count: number) => Array.from({ length: count }, (_, index) => index + 1);

/** Runs passes until `condition` holds. */
const consumeUntil = (what: string, options: ConsumeOptions, condition: () => Promise<boolean>) =>
  waitFor(what, async () => {
    await consumeOnce(options);
    return condition();
  });

/** `count` aggregate ids, each used `perAggregate` times, interleaved. */
const interleaved = (prefix: string, aggregates: number, perAggregate: number) =>
  Array.from({ length: aggregates * perAggregate }, (_, index) => `${prefix}-${index % aggregates}`);

describe('the outbox', () => {
  it('appends an event in the caller’s transaction with the next sequence number of its aggregate', async () => {
    const world = await newWorld();
    const appended = await db.transaction(async (tx) => [
      await appendEvent(tx, world.producer, { type: 'thing.happened', aggregateType: 'thing', aggregateId: 'a', payload: { n: 1 } }),
      await appendEvent(tx, world.producer, { type: 'thing.happened', aggregateType: 'thing', aggregateId: 'a', payload: { n: 2 } }),
      await appendEvent(tx, world.producer, { type: 'thing.happened', aggregateType: 'thing', aggregateId: 'b', payload: { n: 3 } }),
      await appendEvent(tx, world.producer, { type: 'other.happened', aggregateType: 'other', aggregateId: 'a', payload: {} }),
    ]);
    expect(appended.map((event) => [event.aggregateType, event.aggregateId, event.sequence])).toEqual([
      ['thing', 'a', 1],
      ['thing', 'a', 2],
      ['thing', 'b', 1],
      ['other', 'a', 1],
    ]);
    expect(appended[0]).toMatchObject({ source: world.producer, type: 'thing.happened', payload: { n: 1 } });
    expect(appended[0]!.occurredAt).toBeInstanceOf(Date);
  });

  it('keeps events as written: no update, no delete', async () => {
    const world = await newWorld();
    await world.produce(['a']);
    await expect(db.execute(sql.raw(`update "${world.producer}".outbox set payload = '{"forged": true}'`))).rejects.toThrow();
    await expect(db.execute(sql.raw(`delete from "${world.producer}".outbox`))).rejects.toThrow();
    const [row] = await rows<{ total: number }>(db, sql.raw(`select count(*)::int as total from "${world.producer}".outbox`));
    expect(row?.total).toBe(1);
  });

  it('refuses an event that is not well formed before it reaches the database', async () => {
    const world = await newWorld();
    const attempt = (event: Parameters<typeof appendEvent>[2]) => db.transaction((tx) => appendEvent(tx, world.producer, event));
    await expect(attempt({ type: 'Happened', aggregateType: 'thing', aggregateId: 'a', payload: {} })).rejects.toThrow(/type/);
    await expect(attempt({ type: 'thing.happened', aggregateType: 'thing', aggregateId: '', payload: {} })).rejects.toThrow(/aggregateId/);
    await expect(attempt({ type: 'thing.happened', aggregateType: 'thing', aggregateId: 'a', payload: {}, id: 'not-a-uuid' })).rejects.toThrow(/id/);
    expect(() => outboxTableSql('Robert"; drop table x; --')).toThrow(/schema name/);
  });

  it('ships its tables as migration SQL in drizzle-kit’s statement format', () => {
    expect(outboxTableSql('requests')).toContain('CREATE TABLE "requests"."outbox"');
    expect(inboxTableSql('points')).toContain('CREATE TABLE "points"."dead_letters"');
    expect(inboxTableSql('points').split('--> statement-breakpoint').length).toBeGreaterThan(5);
  });
});

describe('delivery from the outbox to the inbox', () => {
  it('never delivers an event written in a transaction that rolled back', async () => {
    const world = await newWorld();
    const options = { db, consumer: world.consumer({ 'thing.happened': world.recordEffect() }), transport: databaseTransport() };
    const rolledBack = newId();
    await expect(
      db.transaction(async (tx) => {
        await appendEvent(tx, world.producer, { id: rolledBack, type: 'thing.happened', aggregateType: 'thing', aggregateId: 'a', payload: {} });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const [committed] = await world.produce(['a']);

    await consumeUntil('the committed event', options, async () => (await world.effects()).length > 0);

    expect((await world.effects()).map((effect) => [effect.event_id, effect.sequence])).toEqual([[committed, 1]]);
    expect(await world.inboxStatus(rolledBack)).toBeUndefined();
  });

  it('does not skip an event whose transaction commits after a later event was received', async () => {
    const world = await newWorld();
    const options = { db, consumer: world.consumer({ 'thing.happened': world.recordEffect() }), transport: databaseTransport() };
    // A second connection pool, so the slow producer's transaction stays open while the others run.
    const slowHandle = await openDatabase({ url: testDatabase.url, poolSize: 1 });
    try {
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let appended!: () => void;
      const hasAppended = new Promise<void>((resolve) => (appended = resolve));
      let slowEventId = '';
      const slow = slowHandle.db.transaction(async (tx) => {
        slowEventId = (await appendEvent(tx, world.producer, { type: 'thing.happened', aggregateType: 'thing', aggregateId: 'slow', payload: {} })).id;
        appended();
        await released;
      });
      await hasAppended;
      // This event takes a later position but commits first.
      const [quick] = await world.produce(['quick'], {}, { readable: false });

      await consumeOnce(options);
      expect(await world.effects()).toEqual([]);

      release();
      await slow;
      await consumeUntil('both events', options, async () => (await world.effects()).length === 2);
      expect(new Set((await world.effects()).map((effect) => effect.event_id))).toEqual(new Set([slowEventId, quick]));
    } finally {
      await slowHandle.close();
    }
  });

  it('drains events held back while a transaction elsewhere in the cluster is older than theirs, rather than ending with them unread', async () => {
    const world = await newWorld();
    const options = { db, consumer: world.consumer({ 'thing.happened': world.recordEffect() }), transport: databaseTransport() };
    // A transaction in another database of the same server, begun (with an id) before the event's: it holds the horizon back.
    const elsewhere = await createTestDatabase('elsewhere');
    const other = await openDatabase({ url: elsewhere.url, poolSize: 1 });
    try {
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let begun!: () => void;
      const hasBegun = new Promise<void>((resolve) => (begun = resolve));
      const old = other.db.transaction(async (tx) => {
        await tx.execute(sql`select pg_current_xact_id()`);
        begun();
        await released;
      });
      await hasBegun;
      const [event] = await world.produce(['held'], {}, { readable: false });
      // Committed, but not readable yet: a single pass finds nothing.
      expect((await consumeOnce(options)).received).toBe(0);
      let drained: number | null = null;
      const draining = drainEvents({ consumers: [options] }).then((applied) => (drained = applied));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(drained).toBeNull();
      release();
      await old;
      expect(await draining).toBe(1);
      expect((await world.effects()).map((effect) => effect.event_id)).toEqual([event]);
    } finally {
      await other.close();
      await elsewhere.drop();
    }
  });

  it('receives every event of transactions that each wrote many, across batch boundaries', async () => {
    const world = await newWorld();
    const options = { db, consumer: world.consumer({ 'thing.happened': world.recordEffect() }), transport: databaseTransport(), batchSize: 7 };
    const ids: string[] = [];
    for (let batch = 0; batch < 3; batch += 1) {
      await db.transaction(async (tx) => {
        for (let index = 0; index < 40; index += 1) {
          ids.push((await appendEvent(tx, world.producer, { type: 'thing.happened', aggregateType: 'thing', aggregateId: `many-${index % 4}`, payload: {} })).id);
        }
      });
    }
    // Another transaction open anywhere on the server holds delivery back, so wait rather than count passes.
    let received = 0;
    await waitFor('all 120 events received', async () => {
      received += await receiveEvents(options);
      return received >= 120;
    });
    // Further passes find nothing: no event was lost at a batch boundary, none is received twice.
    for (let pass = 0; pass < 3; pass += 1) received += await receiveEvents(options);
    expect(received).toBe(120);

    await consumeUntil('120 effects', options, async () => (await world.effects()).length >= 120);
    const effects = await world.effects();
    expect(effects.map((effect) => effect.event_id).sort()).toEqual([...ids].sort());
    for (const sequences of sequencesByAggregate(effects).values()) expect(sequences).toEqual(ascending(30));
  });

  it('applies an aggregate’s events in sequence order even when they arrive out of it', async () => {
    const world = await newWorld();
    const options = { db, consumer: world.consumer({ 'thing.happened': world.recordEffect() }), transport: databaseTransport(), batchSize: 1 };
    const slowHandle = await openDatabase({ url: testDatabase.url, poolSize: 1 });
    try {
      let proceed!: () => void;
      const mayProceed = new Promise<void>((resolve) => (proceed = resolve));
      let started!: () => void;
      const hasStarted = new Promise<void>((resolve) => (started = resolve));
      // This transaction starts first (the older transaction id) but appends the aggregate's second event.
      const slow = slowHandle.db.transaction(async (tx) => {
        await appendEvent(tx, world.producer, { type: 'thing.happened', aggregateType: 'thing', aggregateId: 'other', payload: {} });
        started();
        await mayProceed;
        return appendEvent(tx, world.producer, { type: 'thing.happened', aggregateType: 'thing', aggregateId: 'x', payload: {} });
      });
      await hasStarted;
      const [first] = await world.produce(['x'], {}, { readable: false });
      proceed();
      const second = await slow;
      expect(second.sequence).toBe(2);

      // Delivery follows transaction ids, so x's second event is received before its first. Receiving waits behind
      // every transaction running on the shared server, so it is repeated until both have arrived.
      await waitFor('both of x’s events received', async () => {
        await receiveEvents(options);
        const received = await rows<{ n: number }>(db, sql`select count(*)::int as n from ${sql.identifier(world.consumerSchema)}.inbox where aggregate_id = 'x'`);
        return received[0]?.n === 2;
      });
      const [received] = await rows<{ event_id: string }>(
        db,
        sql`select event_id::text as event_id from ${sql.identifier(world.consumerSchema)}.inbox where aggregate_id = 'x' order by position limit 1`,
      );
      expect(received?.event_id).toBe(second.id);

      await consumeUntil('three effects', options, async () => (await world.effects()).length === 3);
      expect((await world.effects()).filter((effect) => effect.aggregate_id === 'x').map((effect) => effect.event_id)).toEqual([first, second.id]);
    } finally {
      await slowHandle.close();
    }
  });

  it('applies 500 events produced while the consumer was stopped exactly once, each aggregate in order', async () => {
    const world = await newWorld();
    const ids = await world.produce(interleaved('backlog', 25, 20));
    expect(ids).toHaveLength(500);
    const runner = startEventRunner({
      db,
      consumer: world.consumer({ 'thing.happened': world.recordEffect() }),
      transport: databaseTransport(),
      pollIntervalMs: 10,
    });
    try {
      await waitFor('500 effects', async () => (await world.effects()).length >= 500);
    } finally {
      await runner.stop();
    }
    const effects = await world.effects();
    expect(effects).toHaveLength(500);
    expect(new Set(effects.map((effect) => effect.event_id))).toEqual(new Set(ids));
    for (const sequences of sequencesByAggregate(effects).values()) expect(sequences).toEqual(ascending(20));
    const [pending] = await rows<{ total: number }>(db, sql.raw(`select count(*)::int as total from "${world.consumerSchema}".inbox where status <> 'applied'`));
    expect(pending?.total).toBe(0);
  });

  it('waits for a producer that has not migrated yet, saying so once as a warning, never as an error', async () => {
    const world = await newWorld({ producerMigrated: false });
    const log = memoryLog();
    const runner = startEventRunner({
      db,
      consumer: world.consumer({ 'thing.happened': world.recordEffect() }),
      transport: databaseTransport(),
      pollIntervalMs: 5,
      maxErrorDelayMs: 20,
      logger: createLogger('consumer', 'debug', log.stream),
    });
    try {
      const waits = () => log.lines.filter((line) => line['msg'] === 'event runner waits for another service to create its tables');
      await waitFor('the runner to wait', async () => waits().length > 0);
      // Several more passes meet the missing table before the producer arrives.
      const passes = statementsNaming(`"${world.producer}"`);
      try {
        await waitFor('several more passes', async () => passes.count() >= 3);
      } finally {
        passes.stop();
      }
      await world.migrateProducer();
      await world.produce(['late']);
      await waitFor('the late event', async () => (await world.effects()).length === 1);
      expect(waits()).toHaveLength(1);
      expect(waits()[0]).toMatchObject({ level: 40, waitingFor: `relation "${world.producer}.outbox" does not exist` });
      expect(log.lines.filter((line) => (line['level'] as number) >= 50)).toEqual([]);
      expect(JSON.stringify(log.lines)).not.toMatch(/select |stack/i);
      expect(log.lines.some((line) => line['msg'] === 'event runner found the tables it was waiting for')).toBe(true);
    } finally {
      await runner.stop();
    }
  });

  it('applies an event delivered twice once: a replayed outbox is skipped by the inbox', async () => {
    const world = await newWorld();
    const options = { db, consumer: world.consumer({ 'thing.happened': world.recordEffect() }), transport: databaseTransport() };
    await world.produce(['a', 'b', 'a']);
    await consumeUntil('three effects', options, async () => (await world.effects()).length === 3);

    // Rewind the cursor as a restored backup would: every event is delivered again.
    await db.execute(sql.raw(`update "${world.consumerSchema}".inbox_cursors set transaction_id = '0', position = 0`));
    expect(await receiveEvents(options)).toBe(0);
    expect(await applyEvents(options)).toEqual({ applied: 0, skipped: 0, failed: 0, deadLettered: 0 });
    expect(await world.effects()).toHaveLength(3);
  });

  it('applies an event a broker delivers twice once', async () => {
    const world = await newWorld();
    const broker = createMemoryBroker();
    const options = { db, consumer: world.consumer({ 'thing.happened': world.recordEffect() }), transport: broker.transport };
    const [id] = await world.produce(['a']);
    await relayOnce({ db, schema: world.producer, publisher: broker.publisher });
    // The relay crashed before it recorded its position: the same event is published again.
    await db.execute(sql.raw(`update "${world.producer}".outbox_relays set transaction_id = '0', position = 0`));
    await relayOnce({ db, schema: world.producer, publisher: broker.publisher });
    expect(broker.messages(world.producer).map((event) => event.id)).toEqual([id, id]);

    await consumeUntil('the effect', options, async () => (await world.effects()).length > 0);
    expect(await consumeOnce(options)).toMatchObject({ received: 0, applied: 0 });
    expect((await world.effects()).map((effect) => effect.event_id)).toEqual([id]);
  });

  it('relays the outbox through a broker to a consumer, in order, nothing lost', async () => {
    const world = await newWorld();
    const broker = createMemoryBroker();
    const options = { db, consumer: world.consumer({ 'thing.happened': world.recordEffect() }), transport: broker.transport, batchSize: 7 };
    const ids = await world.produce(interleaved('relayed', 5, 8));
    while ((await relayOnce({ db, schema: world.producer, publisher: broker.publisher, batchSize: 9 })) > 0);
    expect(broker.messages(world.producer)).toHaveLength(40);

    await consumeUntil('40 effects', options, async () => (await world.effects()).length >= 40);
    const effects = await world.effects();
    expect(effects.map((effect) => effect.event_id).sort()).toEqual([...ids].sort());
    for (const sequences of sequencesByAggregate(effects).values()) expect(sequences).toEqual(ascending(8));
  });

  it('applies a clean batch whole: the handlers’ statements and one to mark them all applied, however many events', async () => {
    const world = await newWorld();
    const options = { db, consumer: world.consumer({ 'thing.happened': world.recordEffect() }), transport: databaseTransport() };
    await world.produce(Array.from({ length: 20 }, (_, index) => `clean-${index % 7}`));
    await receiveEvents(options);
    const statements: string[] = [];
    const stop = handle.onStatement((statement) => statements.push(statement));
    let report: Awaited<ReturnType<typeof applyEvents>>;
    try {
      // Seven aggregates: a pass applies the next event of each.
      report = await applyEvents(options);
    } finally {
      stop();
    }
    expect(report).toEqual({ applied: 7, skipped: 0, failed: 0, deadLettered: 0 });
    const handlerStatements = statements.filter((statement) => statement.includes('.effects'));
    const markStatements = statements.filter((statement) => /update .*inbox.* set status = 'applied'/s.test(statement));
    expect(handlerStatements).toHaveLength(7);
    expect(markStatements).toHaveLength(1);
    // Whether anything is due, the claim, seven handlers, one mark.
    expect(statements).toHaveLength(10);
    await consumeUntil('every event', options, async () => (await world.effects()).length === 20);
    expect([...sequencesByAggregate(await world.effects()).values()].every((sequences) => sequences.join() === ascending(sequences.length).join())).toBe(true);
  });

  it('records an event of a type it has no handler for as applied, in its place in the aggregate’s order', async () => {
    const world = await newWorld();
    const options = { db, consumer: world.consumer({ 'thing.happened': world.recordEffect() }), transport: databaseTransport() };
    const [first] = await world.produce(['a']);
    const ignored = await db.transaction((tx) => appendEvent(tx, world.producer, { type: 'thing.renamed', aggregateType: 'thing', aggregateId: 'a', payload: {} }));
    const [third] = await world.produce(['a']);

    await consumeUntil('two effects', options, async () => (await world.effects()).length === 2);
    expect((await world.effects()).map((effect) => [effect.event_id, effect.sequence])).toEqual([
      [first, 1],
      [third, 3],
    ]);
    expect(await world.inboxStatus(ignored.id)).toMatchObject({ status: 'applied' });
  });
});

describe('failures', () => {
  it('retries a failing event later while other aggregates flow and its own aggregate waits behind it', async () => {
    const world = await newWorld();
    const handler = world.recordEffect('runner', async (event) => {
      if (event.payload['fail'] === true) throw new Error('the ledger is closed');
    });
    // A long backoff: the failed event is not due again during this test.
    const options = { db, consumer: world.consumer({ 'thing.happened': handler }, { baseDelayMs: 3_600_000, maxDelayMs: 3_600_000 }), transport: databaseTransport() };
    const [failing] = await world.produce(['stuck'], { fail: true });
    const [behind] = await world.produce(['stuck']);
    const others = await world.produce(['free-1', 'free-2', 'free-1']);

    await consumeUntil('the other aggregates', options, async () => (await world.effects()).length === 3);
    await consumeOnce(options);

    expect((await world.effects()).map((effect) => effect.event_id)).toEqual(others);
    expect(await world.inboxStatus(failing!)).toEqual({ status: 'pending', attempts: 1, last_error: 'Error: the ledger is closed' });
    expect(await world.inboxStatus(behind!)).toMatchObject({ status: 'pending', attempts: 0 });
    const [due] = await rows<{ wait: number }>(
      db,
      sql`select extract(epoch from next_attempt_at - now())::int as wait from ${sql.identifier(world.consumerSchema)}.inbox where event_id = ${failing}::uuid`,
    );
    expect(due?.wait).toBeGreaterThan(1_700);
  });

  it('dead-letters a poison event after its last attempt and lets the events behind it flow; a replay applies it once it no longer fails', async () => {
    const world = await newWorld();
    // An attempt may run the handler twice (the batch whole, then event by event); it is counted once.
    const poisonAttempts = new Set<number>();
    let cured = false;
    const handler = world.recordEffect('runner', async (event) => {
      if (event.payload['poison'] === true && !cured) {
        poisonAttempts.add(event.attempt);
        throw new Error(`cannot digest attempt ${event.attempt}`);
      }
    });
    const options = { db, consumer: world.consumer({ 'thing.happened': handler }, { maxAttempts: 3 }), transport: databaseTransport() };
    const [poison] = await world.produce(['p'], { poison: true });
    const behind = await world.produce(['p', 'q', 'p', 'q']);

    await consumeUntil('the events behind the poison', options, async () => (await world.effects()).length === 4);

    expect([...poisonAttempts].sort()).toEqual([1, 2, 3]);
    expect(new Set((await world.effects()).map((effect) => effect.event_id))).toEqual(new Set(behind));
    expect(sequencesByAggregate(await world.effects())).toEqual(
      new Map([
        ['q', [1, 2]],
        ['p', [2, 3]],
      ]),
    );
    expect(await world.inboxStatus(poison!)).toMatchObject({ status: 'dead', attempts: 3 });
    expect(await countDeadLetters(db, world.consumerSchema)).toBe(1);
    const [letter, ...more] = await listDeadLetters(db, world.consumerSchema, readPage({}, ['timestamp', 'uuid']));
    expect(more).toEqual([]);
    expect(letter).toMatchObject({
      error: 'Error: cannot digest attempt 3',
      attempts: 3,
      replayedAt: null,
      event: { id: poison, source: world.producer, type: 'thing.happened', aggregateId: 'p', sequence: 1, payload: { poison: true } },
    });

    cured = true;
    const replayed = await replayDeadLetter(db, world.consumerSchema, { id: letter!.id, replayedBy: 'admin-1' });
    expect(replayed).toMatchObject({ ok: true, value: { id: letter!.id, replayedBy: 'admin-1' } });
    await consumeUntil('the replayed event', options, async () => (await world.effects()).length === 5);
    expect((await world.effects()).filter((effect) => effect.event_id === poison)).toHaveLength(1);
    expect(await world.inboxStatus(poison!)).toMatchObject({ status: 'applied', attempts: 1, last_error: null });

    expect(await countDeadLetters(db, world.consumerSchema)).toBe(0);
    expect(await countDeadLetters(db, world.consumerSchema, { includeReplayed: true })).toBe(1);
    const again = await replayDeadLetter(db, world.consumerSchema, { id: letter!.id, replayedBy: 'admin-2' });
    expect(again).toMatchObject({ ok: false, errors: [{ code: 'INVALID_STATE' }] });
    const unknown = await replayDeadLetter(db, world.consumerSchema, { id: newId(), replayedBy: 'admin-1' });
    expect(unknown).toMatchObject({ ok: false, errors: [{ code: 'NOT_FOUND' }] });
  });

  it('dead-letters an event whose payload does not fit its handler at once, without retrying', async () => {
    const world = await newWorld();
    let calls = 0;
    const handler = withPayload(z.object({ hours: z.number().int().positive() }), async (tx, event) => {
      calls += 1;
      await world.recordEffect()(tx, { ...event, payload: { hours: event.payload.hours } });
    });
    const options = { db, consumer: world.consumer({ 'thing.happened': handler }, { maxAttempts: 5 }), transport: databaseTransport() };
    const [malformed] = await world.produce(['a'], { hours: 'two' });
    const [fine] = await world.produce(['a'], { hours: 2 });

    await consumeUntil('the well-formed event', options, async () => (await world.effects()).length === 1);
    expect(calls).toBe(1);
    expect((await world.effects()).map((effect) => effect.event_id)).toEqual([fine]);
    expect(await world.inboxStatus(malformed!)).toMatchObject({ status: 'dead', attempts: 1 });
    const [letter] = await listDeadLetters(db, world.consumerSchema, readPage({ first: 10 }, ['timestamp', 'uuid']));
    expect(letter?.error).toMatch(/^UnprocessableEventError: payload of thing.happened: hours/);
  });

  it('pages through dead letters oldest first', async () => {
    const world = await newWorld();
    const options = {
      db,
      consumer: world.consumer({ 'thing.happened': async () => Promise.reject(new Error('no')) }, { maxAttempts: 1 }),
      transport: databaseTransport(),
    };
    await world.produce(['a', 'b', 'c']);
    await consumeUntil('three dead letters', options, async () => (await countDeadLetters(db, world.consumerSchema)) === 3);
    const first = await listDeadLetters(db, world.consumerSchema, { limit: 2, after: null });
    expect(first).toHaveLength(3); // the extra row tells toConnection there is a next page
    const rest = await listDeadLetters(db, world.consumerSchema, { limit: 2, after: [first[1]!.deadAt.toISOString(), first[1]!.id] });
    expect(rest.map((letter) => letter.id)).toEqual([first[2]!.id]);
  });

  it('computes backoff that doubles up to its cap, with jitter that keeps at least half of it', () => {
    const policy = retryPolicy({ baseDelayMs: 100, maxDelayMs: 1_000 });
    expect([1, 2, 3, 4, 5, 6].map((attempt) => retryDelayMs(policy, attempt, () => 1))).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    expect([1, 2, 3].map((attempt) => retryDelayMs(policy, attempt, () => 0))).toEqual([50, 100, 200]);
    expect(() => retryPolicy({ maxAttempts: 0 })).toThrow(/maxAttempts/);
    expect(() => retryPolicy({ baseDelayMs: 10, maxDelayMs: 5 })).toThrow(/delays/);
  });
});

describe('several consumer instances', () => {
  it('lets an instance pass over the event another instance is applying', async () => {
    const world = await newWorld();
    const otherHandle = await openDatabase({ url: testDatabase.url, poolSize: 2 });
    try {
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let entered!: () => void;
      const hasEntered = new Promise<void>((resolve) => (entered = resolve));
      const blocking = world.recordEffect('first', async (event) => {
        if (event.aggregateId === 'held') {
          entered();
          await released;
        }
      });
      const first = { db, consumer: world.consumer({ 'thing.happened': blocking }), transport: databaseTransport(), batchSize: 1 };
      const second = { db: otherHandle.db, consumer: world.consumer({ 'thing.happened': world.recordEffect('second') }), transport: databaseTransport() };
      const [held, free] = await world.produce(['held', 'free']);
      expect(await receiveEvents({ ...first, batchSize: 10 })).toBe(2);
      const firstPass = applyEvents(first);
      await hasEntered;

      expect(await consumeOnce(second)).toMatchObject({ received: 0, applied: 1 });
      release();
      expect(await firstPass).toMatchObject({ applied: 1 });
      expect(await consumeOnce(second)).toMatchObject({ applied: 0 });

      expect((await world.effects()).map((effect) => [effect.event_id, effect.applied_by])).toEqual([
        [free, 'second'],
        [held, 'first'],
      ]);
    } finally {
      await otherHandle.close();
    }
  });

  it('two runners on separate connection pools apply each of 500 events once, each aggregate in order', async () => {
    const world = await newWorld();
    const otherHandle = await openDatabase({ url: testDatabase.url, poolSize: 4 });
    // Yielding inside the handler lets the other runner's statements interleave with this one's.
    const yieldFirst = async () => new Promise<void>((resolve) => setImmediate(resolve));
    const runners = [
      startEventRunner({
        db,
        consumer: world.consumer({ 'thing.happened': world.recordEffect('a', yieldFirst) }),
        transport: databaseTransport(),
        pollIntervalMs: 5,
        batchSize: 10,
      }),
      startEventRunner({
        db: otherHandle.db,
        consumer: world.consumer({ 'thing.happened': world.recordEffect('b', yieldFirst) }),
        transport: databaseTransport(),
        pollIntervalMs: 5,
        batchSize: 10,
      }),
    ];
    try {
      const ids = await world.produce(interleaved('shared', 20, 25));
      await waitFor('500 effects', async () => (await world.effects()).length >= 500);
      await Promise.all(runners.map((runner) => runner.stop()));
      const effects = await world.effects();
      expect(effects).toHaveLength(500);
      expect(new Set(effects.map((effect) => effect.event_id))).toEqual(new Set(ids));
      for (const sequences of sequencesByAggregate(effects).values()) expect(sequences).toEqual(ascending(25));
    } finally {
      await Promise.all(runners.map((runner) => runner.stop()));
      await otherHandle.close();
    }
  });
});

describe('the runner', () => {
  it('stops only after the pass in flight has committed', async () => {
    const world = await newWorld();
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const hasEntered = new Promise<void>((resolve) => (entered = resolve));
    const runner = startEventRunner({
      db,
      consumer: world.consumer({
        'thing.happened': world.recordEffect('runner', async () => {
          entered();
          await released;
        }),
      }),
      transport: databaseTransport(),
      pollIntervalMs: 5,
    });
    const [id] = await world.produce(['a']);
    runner.wake();
    await hasEntered;

    let stopped = false;
    const stopping = runner.stop().then(() => (stopped = true));
    for (let tick = 0; tick < 20; tick += 1) await new Promise<void>((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect((await world.effects()).map((effect) => effect.event_id)).toEqual([id]);
    expect(await world.inboxStatus(id!)).toMatchObject({ status: 'applied' });
  });

  it('refuses schema names it could not quote safely', () => {
    const transport: EventTransport = databaseTransport();
    expect(() => transport.feed('Consumer', 'producer')).toThrow(/schema name/);
    expect(() => defineConsumer({ schema: 'c', handlers: { 'bad-source': {} } })).toThrow(/schema name/);
  });
});
