/** `inTransaction`: one transaction per mutation, and the request's loaders replaced once a write commits, in every subgraph alike. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { UNIQUE_VIOLATION, inTransaction, openDatabase, refuse, userError, type Database, type DatabaseHandle, type Transaction } from '../src/index.js';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.js';

let testDatabase: TestDatabase;
let handle: DatabaseHandle;
let db: Database;

beforeAll(async () => {
  testDatabase = await createTestDatabase('mutation');
  handle = await openDatabase({ url: testDatabase.url, poolSize: 2 });
  db = handle.db;
  await db.execute(sql`create table balances (id int primary key, points int not null)`);
  await db.execute(sql`insert into balances values (1, 0)`);
});

afterAll(async () => {
  await handle?.close();
  await testDatabase?.drop();
});

/** A request's loaders as the test sees them: which set this is, and what it cached. */
interface Loaders {
  generation: number;
  cached: Map<number, number>;
}

/** A context with loaders numbered by generation, as each subgraph's context builds them. */
function requestContext() {
  let generation = 0;
  const freshLoaders = (): Loaders => ({ generation: (generation += 1), cached: new Map() });
  return { db, loaders: freshLoaders(), freshLoaders };
}

const pointsOf = async (id: number): Promise<number> => {
  const result: unknown = await db.execute(sql`select points from balances where id = ${id}`);
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { points: number }[];
  return rows[0]!.points;
};

const add = (points: number) => async (tx: Transaction) => {
  await tx.execute(sql`update balances set points = points + ${points} where id = 1`);
  return points;
};

describe('inTransaction', () => {
  it('replaces the request’s loaders once the write has committed, so nothing cached before it is read after', async () => {
    const ctx = requestContext();
    ctx.loaders.cached.set(1, await pointsOf(1));
    const before = ctx.loaders;
    const result = await inTransaction(ctx, add(5));
    expect(result).toEqual({ ok: true, value: 5 });
    expect(ctx.loaders).not.toBe(before);
    expect(ctx.loaders).toEqual({ generation: 2, cached: new Map() });
    // Two writes in one request: each commit leaves fresh loaders behind it.
    await inTransaction(ctx, add(7));
    expect(ctx.loaders.generation).toBe(3);
    expect(await pointsOf(1)).toBe(before.cached.get(1)! + 12);
  });

  it('keeps the loaders when the write is refused or fails: it rolled back, so what they cached still holds', async () => {
    const ctx = requestContext();
    const before = ctx.loaders;
    const start = await pointsOf(1);
    const refused = await inTransaction(ctx, async (tx) => {
      await add(100)(tx);
      return refuse(['input', 'points'], 'INVALID', 'Too many.');
    });
    expect(refused).toEqual({ ok: false, errors: [userError(['input', 'points'], 'INVALID', 'Too many.')] });
    const duplicate = userError(['input', 'id'], 'ALREADY_EXISTS', 'There is a balance with this id.');
    const constrained = await inTransaction(
      ctx,
      async (tx) => {
        await add(100)(tx);
        await tx.execute(sql`insert into balances values (1, 0)`);
        return 0;
      },
      [{ sqlState: UNIQUE_VIOLATION, constraint: 'balances_pkey', error: duplicate }],
    );
    expect(constrained).toEqual({ ok: false, errors: [duplicate] });
    await expect(
      inTransaction(ctx, async (tx) => {
        await add(100)(tx);
        throw new Error('the database went away');
      }),
    ).rejects.toThrow('the database went away');
    expect(ctx.loaders).toBe(before);
    expect(await pointsOf(1)).toBe(start);
  });
});
