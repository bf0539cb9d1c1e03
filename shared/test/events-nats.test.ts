/**
 * The NATS JetStream transport on a real nats-server (this file's own, so it
 * can be killed and restarted) and a real Postgres: the relay publishes a
 * producer's outbox to its stream, consumers pull from their durable
 * consumers into their inboxes. Effects are rows without a unique key, so an
 * event applied twice shows up as two rows.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import {
  appendEvent,
  connectNatsEvents,
  consumeOnce,
  createLogger,
  defineConsumer,
  memoryLog,
  natsDurableName,
  natsStreamName,
  openDatabase,
  relayOnce,
  rowsOf,
  startEventRunner,
  startOutboxRelay,
  StartupError,
  type ConsumeOptions,
  type Database,
  type DatabaseHandle,
  type EventConsumer,
  type EventHandler,
  type EventTransport,
  type NatsEvents,
} from '../src/index.js';
import { createEventTables, createTestDatabase, startTestNatsServer, waitFor, type TestDatabase, type TestNatsServer } from '../src/testing/index.js';

let testDatabase: TestDatabase;
let handle: DatabaseHandle;
let db: Database;
let server: TestNatsServer;
/** Every connection a test opened, closed after the file. */
const connections: NatsEvents[] = [];

beforeAll(async () => {
  server = await startTestNatsServer();
  testDatabase = await createTestDatabase('eventsnats');
  handle = await openDatabase({ url: testDatabase.url, poolSize: 8 });
  db = handle.db;
});

afterAll(async () => {
  for (const connection of connections) await connection.close().catch(() => undefined);
  await handle?.close();
  await testDatabase?.drop();
  await server?.dispose();
});

async function natsEvents(options: { logger?: ReturnType<typeof createLogger>; fetchSize?: number } = {}): Promise<NatsEvents> {
  const events = await connectNatsEvents({ url: server.url, ackWaitMs: 5000, ...options });
  connections.push(events);
  return events;
}

const rows = <T>(query: ReturnType<typeof sql>): Promise<T[]> => rowsOf<T>(db, query);

let worlds = 0;

/** A producer schema with an outbox and a consumer schema with an inbox and an `effects` table without a unique key. */
async function newWorld() {
  worlds += 1;
  const producer = `natsproducer_${worlds}`;
  const consumerSchema = `natsconsumer_${worlds}`;
  await createEventTables(db, producer, { outbox: true });
  await createEventTables(db, consumerSchema, { inbox: true });
  await db.execute(
    sql.raw(
      `create table "${consumerSchema}".effects (n bigint generated always as identity primary key, event_id uuid not null, aggregate_id text not null, sequence int not null, applied_by text not null)`,
    ),
  );
  const recordEffect =
    (by = 'runner'): EventHandler =>
    async (tx, event) => {
      await tx.execute(
        sql`insert into ${sql.identifier(consumerSchema)}.effects (event_id, aggregate_id, sequence, applied_by) values (${event.id}::uuid, ${event.aggregateId}, ${event.sequence}, ${by})`,
      );
    };
  const consumer = (by = 'runner'): EventConsumer => defineConsumer({ schema: consumerSchema, handlers: { [producer]: { 'thing.happened': recordEffect(by) } } });
  /** Appends one event per entry, each in its own transaction, and waits until the last is readable by the relay. */
  const produce = async (aggregateIds: readonly string[]) => {
    const ids: string[] = [];
    for (const aggregateId of aggregateIds) {
      const event = await db.transaction((tx) => appendEvent(tx, producer, { type: 'thing.happened', aggregateType: 'thing', aggregateId, payload: {} }));
      ids.push(event.id);
    }
    const last = ids.at(-1);
    if (last) {
      await waitFor('the produced events are readable', async () => {
        const [row] = await rows<{ readable: boolean }>(
          sql`select exists (select 1 from ${sql.identifier(producer)}.outbox where id = ${last}::uuid and transaction_id < pg_snapshot_xmin(pg_current_snapshot())) as readable`,
        );
        return row?.readable === true;
      });
    }
    return ids;
  };
  const effects = () =>
    rows<{ event_id: string; aggregate_id: string; sequence: number; applied_by: string }>(
      sql`select event_id::text as event_id, aggregate_id, sequence, applied_by from ${sql.identifier(consumerSchema)}.effects order by n`,
    );
  const relayAll = async (publisher: NatsEvents['publisher']) => {
    let total = 0;
    for (let sent = await relayOnce({ db, schema: producer, publisher, name: 'nats' }); sent > 0; sent = await relayOnce({ db, schema: producer, publisher, name: 'nats' }))
      total += sent;
    return total;
  };
  return { producer, consumerSchema, consumer, produce, effects, relayAll };
}

/** Each aggregate's sequence numbers in the order their effects were written. */
function sequencesByAggregate(effects: { aggregate_id: string; sequence: number }[]): Map<string, number[]> {
  const byAggregate = new Map<string, number[]>();
  for (const effect of effects) byAggregate.set(effect.aggregate_id, [...(byAggregate.get(effect.aggregate_id) ?? []), effect.sequence]);
  return byAggregate;
}

const ascending = (count: number) => Array.from({ length: count }, (_, index) => index + 1);

const interleaved = (prefix: string, aggregates: number, perAggregate: number) =>
  Array.from({ length: aggregates * perAggregate }, (_, index) => `${prefix}-${index % aggregates}`);

const consumeUntil = (what: string, options: ConsumeOptions, condition: () => Promise<boolean>) =>
  waitFor(
    what,
    async () => {
      await consumeOnce(options);
      return condition();
    },
    { timeoutMs: 60_000 },
  );

/** Each event once, and each aggregate's in sequence order. */
function expectOnceInOrder(effects: { event_id: string; aggregate_id: string; sequence: number }[], ids: readonly string[], perAggregate: number): void {
  expect(effects).toHaveLength(ids.length);
  expect(new Set(effects.map((effect) => effect.event_id))).toEqual(new Set(ids));
  for (const sequences of sequencesByAggregate(effects).values()) expect(sequences).toEqual(ascending(perAggregate));
}

async function streamInfo(producer: string) {
  const nc = await connect({ servers: server.url });
  try {
    const jsm = await jetstreamManager(nc);
    return await jsm.streams.info(natsStreamName(producer));
  } finally {
    await nc.close();
  }
}

async function consumerInfo(world: { producer: string; consumerSchema: string }) {
  const nc = await connect({ servers: server.url });
  try {
    const jsm = await jetstreamManager(nc);
    return await jsm.consumers.info(natsStreamName(world.producer), natsDurableName(world.consumerSchema, world.producer));
  } finally {
    await nc.close();
  }
}

describe('events over NATS JetStream', () => {
  it('relays an outbox to its stream and applies every event once, each aggregate in order', async () => {
    const world = await newWorld();
    const nats = await natsEvents();
    const ids = await world.produce(interleaved('relayed', 5, 8));
    expect(await world.relayAll(nats.publisher)).toBe(40);
    const info = await streamInfo(world.producer);
    expect(info.config).toMatchObject({ subjects: [`lianxin.events.${world.producer}.>`], storage: 'file' });
    expect(info.state.messages).toBe(40);

    const options = { db, consumer: world.consumer(), transport: nats.transport, batchSize: 7 };
    await consumeUntil('40 effects', options, async () => (await world.effects()).length >= 40);
    expect(await consumeOnce(options)).toMatchObject({ received: 0, applied: 0 });
    expectOnceInOrder(await world.effects(), ids, 8);
    const durable = await consumerInfo(world);
    expect(durable.config).toMatchObject({ durable_name: `${world.consumerSchema}-${world.producer}`, ack_policy: 'explicit', deliver_policy: 'all' });
    expect(durable.num_ack_pending).toBe(0);
  });

  it('has one effect of a batch a relay publishes again after losing its position: JetStream drops the re-send', async () => {
    const world = await newWorld();
    const nats = await natsEvents();
    const ids = await world.produce(['a', 'b', 'a']);
    expect(await world.relayAll(nats.publisher)).toBe(3);
    // The relay crashed after JetStream stored the batch but before it recorded its position.
    await db.execute(sql.raw(`update "${world.producer}".outbox_relays set transaction_id = '0', position = 0`));
    expect(await world.relayAll(nats.publisher)).toBe(3);
    expect((await streamInfo(world.producer)).state.messages).toBe(3);

    const options = { db, consumer: world.consumer(), transport: nats.transport };
    await consumeUntil('3 effects', options, async () => (await world.effects()).length >= 3);
    expect(await consumeOnce(options)).toMatchObject({ received: 0, applied: 0 });
    expect((await world.effects()).map((effect) => effect.event_id)).toEqual(ids);
  });

  it('delivers again a batch whose inbox transaction failed, and applies it once', async () => {
    const world = await newWorld();
    const nats = await natsEvents();
    const ids = await world.produce(interleaved('retried', 2, 3));
    await world.relayAll(nats.publisher);
    // The inbox refuses the first insert (a sequence, as the rollback does not undo it): the batch's transaction
    // rolls back after the feed handed it over.
    await db.execute(
      sql.raw(`create sequence "${world.consumerSchema}".inserts;
        create function "${world.consumerSchema}".fail_once() returns trigger language plpgsql as $$
        begin
          if nextval('"${world.consumerSchema}".inserts') = 1 then raise exception 'the inbox is unavailable'; end if;
          return null;
        end $$;
        create trigger fail_once before insert on "${world.consumerSchema}".inbox for each statement execute function "${world.consumerSchema}".fail_once();`),
    );
    const options = { db, consumer: world.consumer(), transport: nats.transport };
    await expect(consumeOnce(options)).rejects.toThrow();
    expect(await world.effects()).toEqual([]);
    // Delivered and not acknowledged: only a redelivery can bring them now.
    expect(await consumerInfo(world)).toMatchObject({ num_pending: 0, num_ack_pending: 6 });

    await consumeUntil('6 effects', options, async () => (await world.effects()).length >= 6);
    expectOnceInOrder(await world.effects(), ids, 3);
    const after = await consumerInfo(world);
    // Every message delivered twice, and acknowledged.
    expect(after.delivered.consumer_seq).toBe(12);
    expect(after.num_ack_pending).toBe(0);
  });

  it('lets two instances of a consumer share its durable consumer without applying anything twice', async () => {
    const world = await newWorld();
    const relayNats = await natsEvents();
    // Small fetches, so the two instances take turns.
    const instances = [await natsEvents({ fetchSize: 10 }), await natsEvents({ fetchSize: 10 })];
    const ids = await world.produce(interleaved('shared', 20, 10));
    await world.relayAll(relayNats.publisher);
    // Each instance takes its first messages before either runs: JetStream hands a message to one puller at a time.
    const received = instances.map(() => new Set<string>());
    const transports = instances.map((instance, index): EventTransport => ({
      feed(consumer, source) {
        const feed = instance.transport.feed(consumer, source);
        return {
          hasWaiting: (database) => feed.hasWaiting(database),
          async fetch(tx, limit) {
            const batch = await feed.fetch(tx, limit);
            for (const event of batch?.events ?? []) received[index]!.add(event.id);
            return batch;
          },
        };
      },
    }));
    for (const transport of transports) expect(await transport.feed(world.consumerSchema, world.producer).hasWaiting(db)).toBe(true);
    const otherHandle = await openDatabase({ url: testDatabase.url, poolSize: 4 });
    const runners = [
      startEventRunner({ db, consumer: world.consumer('a'), transport: transports[0]!, pollIntervalMs: 10, batchSize: 10 }),
      startEventRunner({ db: otherHandle.db, consumer: world.consumer('b'), transport: transports[1]!, pollIntervalMs: 10, batchSize: 10 }),
    ];
    try {
      await waitFor('200 effects', async () => (await world.effects()).length >= 200, { timeoutMs: 90_000, intervalMs: 50 });
      await Promise.all(runners.map((runner) => runner.stop()));
      expectOnceInOrder(await world.effects(), ids, 10);
      // Both received, and between them everything.
      expect(received.map((ids) => ids.size > 0)).toEqual([true, true]);
      expect(new Set([...received[0]!, ...received[1]!])).toEqual(new Set(ids));
    } finally {
      await Promise.all(runners.map((runner) => runner.stop()));
      await otherHandle.close();
    }
  });

  it('terminates a message that carries no event, logs it, and goes on with the events behind it', async () => {
    const world = await newWorld();
    const log = memoryLog();
    const nats = await natsEvents({ logger: createLogger('events-nats-test', 'info', log.stream) });
    await world.produce(['first']);
    await world.relayAll(nats.publisher);
    const nc = await connect({ servers: server.url });
    await nc.request(`lianxin.events.${world.producer}.thing.happened`, 'not json at all', { timeout: 5000 });
    await nc.request(`lianxin.events.${world.producer}.thing.happened`, JSON.stringify({ id: 'nope' }), { timeout: 5000 });
    await nc.close();
    const later = await world.produce(['second']);
    await world.relayAll(nats.publisher);

    const options = { db, consumer: world.consumer(), transport: nats.transport };
    await consumeUntil('2 effects', options, async () => (await world.effects()).length >= 2);
    expect((await world.effects()).map((effect) => effect.aggregate_id)).toEqual(['first', 'second']);
    expect((await world.effects())[1]!.event_id).toBe(later[0]);
    const terminated = log.lines.filter((line) => line['msg'] === 'malformed event message terminated');
    expect(terminated.map((line) => line['reason'])).toEqual(['not JSON', expect.stringMatching(/^id: /)]);
  });

  it('waits for a producer whose stream does not exist yet, saying so once, then receives its events', async () => {
    const world = await newWorld();
    const log = memoryLog();
    const nats = await natsEvents({ logger: createLogger('events-nats-test', 'info', log.stream) });
    const options = { db, consumer: world.consumer(), transport: nats.transport };
    expect(await consumeOnce(options)).toMatchObject({ received: 0 });
    expect(await consumeOnce(options)).toMatchObject({ received: 0 });
    expect(log.lines.filter((line) => line['msg'] === 'event consumer waits for the producer to create its stream')).toHaveLength(1);

    const ids = await world.produce(['late']);
    await world.relayAll(nats.publisher);
    await consumeUntil('the effect', options, async () => (await world.effects()).length >= 1);
    expect((await world.effects()).map((effect) => effect.event_id)).toEqual(ids);
  });
});

describe('connecting', () => {
  it('refuses a NATS server without JetStream with a start-up error saying so', async () => {
    const plain = await startTestNatsServer({ jetstream: false });
    try {
      const connecting = connectNatsEvents({ url: plain.url });
      await expect(connecting).rejects.toBeInstanceOf(StartupError);
      await expect(connecting).rejects.toThrow(`NATS at ${plain.url} offers no JetStream (start nats-server with -js)`);
    } finally {
      await plain.dispose();
    }
  });
});

describe('a NATS restart', () => {
  it('loses nothing and applies nothing twice when the server is killed mid-flow and restarted on its store', async () => {
    const world = await newWorld();
    const relayNats = await natsEvents();
    const consumerNats = await natsEvents();
    const relay = startOutboxRelay({ db, schema: world.producer, publisher: relayNats.publisher, name: 'nats', pollIntervalMs: 20, maxErrorDelayMs: 500, batchSize: 10 });
    const consumer = startEventRunner({ db, consumer: world.consumer(), transport: consumerNats.transport, pollIntervalMs: 20, maxErrorDelayMs: 500, batchSize: 10 });
    try {
      const ids = await world.produce(interleaved('before', 10, 5));
      await waitFor('some effects before the kill', async () => (await world.effects()).length > 0, { timeoutMs: 60_000 });
      await server.kill();
      // Produced while NATS is down: the relay keeps them in the outbox until it is back.
      ids.push(...(await world.produce(interleaved('during', 10, 5))));
      await server.restart();
      ids.push(...(await world.produce(interleaved('after', 10, 5))));
      await waitFor('150 effects', async () => (await world.effects()).length >= 150, { timeoutMs: 120_000, intervalMs: 100 });
      await consumer.stop();
      await relay.stop();
      expectOnceInOrder(await world.effects(), ids, 5);
      expect((await streamInfo(world.producer)).state.messages).toBe(150);
    } finally {
      await consumer.stop();
      await relay.stop();
    }
  }, 180_000);
});
