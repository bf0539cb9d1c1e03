import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'drizzle-orm';
import {
  appendEvent,
  databaseTransport,
  defineConsumer,
  listDeadLetters,
  openDatabase,
  replayDeadLetter,
  startEventRunner,
  type Database,
  type DatabaseHandle,
  type EventHandler,
} from '../src/index.js';
import { createEventTables, waitFor } from '../src/testing/index.js';

let handle: DatabaseHandle;
let db: Database;

beforeAll(async () => {
  handle = await openDatabase({ dataDir: 'memory://events' });
  db = handle.db;
  await createEventTables(db, 'producer', { outbox: true });
  await createEventTables(db, 'consumer', { inbox: true });
  await db.execute(
    sql`create table consumer.effects (n bigint generated always as identity primary key, event_id uuid not null, aggregate_id text not null, sequence int not null)`,
  );
});

afterAll(async () => {
  await handle.close();
});

const rows = async <T>(query: ReturnType<typeof sql>): Promise<T[]> => {
  const result: unknown = await db.execute(query);
  return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as T[];
};

const effects = () =>
  rows<{ event_id: string; aggregate_id: string; sequence: number }>(sql`select event_id::text as event_id, aggregate_id, sequence from consumer.effects order by n`);

describe('events on the embedded database (one process, one connection)', () => {
  it('delivers while producers write, skips what rolled back, dead-letters poison and replays it', async () => {
    let cured = false;
    const handler: EventHandler = async (tx, event) => {
      if (event.payload['poison'] === true && !cured) throw new Error('poisoned');
      await tx.execute(sql`insert into consumer.effects (event_id, aggregate_id, sequence) values (${event.id}::uuid, ${event.aggregateId}, ${event.sequence})`);
    };
    const consumer = defineConsumer({ schema: 'consumer', handlers: { producer: { 'thing.happened': handler } }, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 } });
    const runner = startEventRunner({ db, consumer, transport: databaseTransport(), pollIntervalMs: 5 });
    const append = (aggregateId: string, payload: Record<string, boolean> = {}) =>
      db.transaction((tx) => appendEvent(tx, 'producer', { type: 'thing.happened', aggregateType: 'thing', aggregateId, payload }));
    try {
      // Producers and the runner take turns on the single connection.
      const poison = await append('p', { poison: true });
      await expect(
        db.transaction(async (tx) => {
          await appendEvent(tx, 'producer', { type: 'thing.happened', aggregateType: 'thing', aggregateId: 'p', payload: {} });
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      const produced: string[] = [];
      for (let index = 0; index < 200; index += 1) {
        produced.push((await append(`agg-${index % 10}`)).id);
        if (index % 50 === 0) runner.wake();
      }
      const behindPoison = await append('p');
      await waitFor('201 effects', async () => (await effects()).length >= 201);

      const applied = await effects();
      expect(applied.map((effect) => effect.event_id).sort()).toEqual([...produced, behindPoison.id].sort());
      for (let index = 0; index < 10; index += 1) {
        expect(applied.filter((effect) => effect.aggregate_id === `agg-${index}`).map((effect) => effect.sequence)).toEqual(Array.from({ length: 20 }, (_, n) => n + 1));
      }
      // The rolled-back event never took a sequence number: the one after the poison is 2.
      expect(applied.find((effect) => effect.event_id === behindPoison.id)?.sequence).toBe(2);

      const [letter] = await listDeadLetters(db, 'consumer', { limit: 10, after: null });
      expect(letter).toMatchObject({ attempts: 2, error: 'Error: poisoned', event: { id: poison.id } });
      cured = true;
      expect((await replayDeadLetter(db, 'consumer', { id: letter!.id, replayedBy: 'admin' })).ok).toBe(true);
      runner.wake();
      await waitFor('the replayed event', async () => (await effects()).some((effect) => effect.event_id === poison.id));
    } finally {
      await runner.stop();
    }
    const all = await effects();
    expect(all).toHaveLength(202);
    expect(new Set(all.map((effect) => effect.event_id)).size).toBe(202);
  });
});
