/**
 * drizzle gives every PGlite statement its own parsers, which PGlite merges
 * into a copy of its whole table each time; the embedded database keeps them
 * in its table instead and leaves them out of each statement
 * (shared/src/db.ts, `withTableParsers`). What drizzle reads must not change:
 * these compare the handle with drizzle on a plain PGlite, row for row.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PGlite } from '@electric-sql/pglite';
import { eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { bigint, boolean, date, integer, interval, jsonb, numeric, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { openDatabase, rowsOf, type Database, type DatabaseHandle } from '../src/index.js';
import { withTableParsers } from '../src/db.js';

const samples = pgTable('samples', {
  id: integer('id').primaryKey(),
  localDate: timestamp('local_date', { mode: 'date' }),
  localText: timestamp('local_text', { mode: 'string' }),
  zonedDate: timestamp('zoned_date', { withTimezone: true, mode: 'date' }),
  zonedText: timestamp('zoned_text', { withTimezone: true, mode: 'string' }),
  day: date('day', { mode: 'date' }),
  dayText: date('day_text'),
  span: interval('span'),
  zonedList: timestamp('zoned_list', { withTimezone: true, mode: 'string' }).array(),
  dayList: date('day_list').array(),
  amounts: numeric('amounts').array(),
  amount: numeric('amount'),
  big: bigint('big', { mode: 'number' }),
  flag: boolean('flag'),
  doc: jsonb('doc'),
  label: text('label'),
});

const CREATE = sql`create table samples (
  id integer primary key, local_date timestamp, local_text timestamp, zoned_date timestamptz, zoned_text timestamptz,
  day date, day_text date, span interval, zoned_list timestamptz[], day_list date[], amounts numeric[], amount numeric,
  big int8, flag boolean, doc jsonb, label text)`;

const ROWS = [
  {
    id: 1,
    localDate: new Date('2026-03-01T08:30:00.125Z'),
    localText: '2026-03-01 08:30:00',
    zonedDate: new Date('2026-03-01T08:30:00.5Z'),
    zonedText: '2026-03-01 16:30:00+08',
    day: new Date('2026-02-28T00:00:00Z'),
    dayText: '2026-02-28',
    span: '1 day 02:03:04',
    zonedList: ['2026-03-01 08:30:00+00', '2026-03-02 09:00:00+08'],
    dayList: ['2026-01-01', '2026-12-31'],
    amounts: ['1.50', '20'],
    amount: '123456789.0123',
    big: 9_007_199_254_740_991,
    flag: true,
    doc: { 服务: '陪伴', minutes: [30, 45] },
    label: '连心',
  },
  { id: 2 },
];

let handle: DatabaseHandle;
let plainClient: PGlite;
let plain: Database;

beforeAll(async () => {
  handle = await openDatabase({ dataDir: 'memory://pglite-parsers' });
  plainClient = await PGlite.create('memory://');
  plain = drizzle({ client: plainClient });
  for (const db of [handle.db, plain]) {
    await db.execute(CREATE);
    await db.insert(samples).values(ROWS);
  }
});

afterAll(async () => {
  await handle?.close();
  await plainClient?.close();
});

/** What `read` gives on the handle and on drizzle over a plain PGlite. */
async function both<T>(read: (db: Database) => Promise<T>): Promise<[T, T]> {
  return [await read(handle.db), await read(plain)];
}

describe('the embedded database reads what drizzle on a plain PGlite reads', () => {
  it('through the query builder, each column as its mode maps it', async () => {
    const [ours, theirs] = await both((db) => db.select().from(samples).orderBy(samples.id));
    expect(ours).toEqual(theirs);
    expect(ours[0]?.zonedDate).toBeInstanceOf(Date);
    expect(typeof ours[0]?.zonedText).toBe('string');
  });

  it('as raw rows from sql``', async () => {
    const [ours, theirs] = await both((db) => rowsOf<Record<string, unknown>>(db, sql`select * from samples order by id`));
    expect(ours).toEqual(theirs);
    expect(typeof ours[0]?.['zoned_text']).toBe('string');
  });

  it('inside a transaction, and in one nested in it', async () => {
    const read = (db: Database) =>
      db.transaction(async (tx) => {
        const outer = await tx.select().from(samples).where(eq(samples.id, 1));
        const inner = await tx.transaction((nested) => rowsOf(nested, sql`select zoned_list, day_list, span, now()::date as today from samples where id = 1`));
        return { outer, inner };
      });
    const [ours, theirs] = await both(read);
    expect(ours).toEqual(theirs);
  });

  it("sends drizzle's statements to PGlite without their parsers", async () => {
    const sent: unknown[] = [];
    // Put back below; called with the instance as `this`.
    // eslint-disable-next-line @typescript-eslint/unbound-method
    const query = PGlite.prototype.query;
    PGlite.prototype.query = function (this: PGlite, ...args: Parameters<PGlite['query']>) {
      if (this !== plainClient) sent.push(args[2]);
      return query.apply(this, args);
    } as PGlite['query'];
    try {
      await handle.db.select().from(samples);
      await handle.db.execute(sql`select 1`);
    } finally {
      PGlite.prototype.query = query;
    }
    expect(sent).toEqual([expect.objectContaining({ parsers: undefined }), expect.objectContaining({ parsers: undefined })]);
  });
});

/** A client over `pg` that records the options each statement was sent with, in and out of transactions. */
function recording(pg: PGlite, sent: unknown[]): Pick<PGlite, 'query' | 'transaction'> {
  const query = (target: Pick<PGlite, 'query'>) => (text: string, params?: unknown[], options?: Parameters<PGlite['query']>[2]) => {
    sent.push(options);
    return target.query(text, params, options);
  };
  return {
    query: query(pg) as PGlite['query'],
    transaction: ((work: (tx: Pick<PGlite, 'query'>) => Promise<unknown>) => pg.transaction((tx) => work({ query: query(tx) as PGlite['query'] }))) as PGlite['transaction'],
  };
}

describe('withTableParsers', () => {
  it("sends drizzle's statements without their parsers, in and out of transactions", async () => {
    const sent: unknown[] = [];
    const db = drizzle({ client: withTableParsers(recording(plainClient, sent)) as PGlite });
    await db.select().from(samples).where(eq(samples.id, 1));
    await db.transaction(async (tx) => tx.execute(sql`select 1`));
    // begin, the select and commit are PGlite's own in a transaction; every statement drizzle sent is counted.
    expect(sent.length).toBeGreaterThanOrEqual(2);
    for (const options of sent) expect(options).toMatchObject({ parsers: undefined });
    // Without the wrapper, drizzle sends its own each time.
    const unwrapped: unknown[] = [];
    await drizzle({ client: recording(plainClient, unwrapped) as PGlite })
      .select()
      .from(samples);
    expect(unwrapped).toEqual([expect.objectContaining({ parsers: expect.any(Object) })]);
  });

  it('keeps parsers that change a value or name a type the table does not keep as text', async () => {
    const sent: unknown[] = [];
    const client = withTableParsers(recording(plainClient, sent));
    const upper = { 25: (value: string) => value.toUpperCase() };
    const boolAsText = { 16: (value: string) => value };
    const throwing = {
      1184: () => {
        throw new Error('no');
      },
    };
    for (const parsers of [upper, boolAsText, throwing]) await client.query('select 1', [], { parsers });
    expect(sent).toEqual([{ parsers: upper }, { parsers: boolAsText }, { parsers: throwing }]);
    const upperText = await client.query<{ label: string }>('select label from samples where id = 1', [], { parsers: upper });
    expect(upperText.rows[0]?.label).toBe('连心'.toUpperCase());
  });
});
