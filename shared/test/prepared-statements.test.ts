/**
 * Every statement Lianxin sends to Postgres through drizzle is a named,
 * server-side prepared statement (shared/src/db.ts, decision record 15).
 * drizzle asks postgres.js for unnamed statements, so an upgrade of either
 * that changes how the wrapper hooks in would quietly bring back a parse and
 * a plan per statement; this reads the server's own list of the connection's
 * prepared statements to catch it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eq, sql } from 'drizzle-orm';
import { integer, pgTable, text } from 'drizzle-orm/pg-core';
import { openDatabase, rowsOf, type DatabaseHandle, type Executor } from '../src/index.js';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.js';

const things = pgTable('things', { id: integer('id').primaryKey(), name: text('name').notNull() });

let testDatabase: TestDatabase;
let handle: DatabaseHandle;

beforeAll(async () => {
  testDatabase = await createTestDatabase('prepared');
  // One connection: the statements below and the look at pg_prepared_statements share it.
  handle = await openDatabase({ url: testDatabase.url, poolSize: 1 });
  await handle.db.execute(sql`create table things (id integer primary key, name text not null)`);
});

afterAll(async () => {
  await handle?.close();
  await testDatabase?.drop();
});

interface Prepared {
  statement: string;
  from_sql: boolean;
}

/** The connection's named prepared statements. Sent without parameters, so as a simple query that prepares nothing itself. */
async function preparedStatements(): Promise<Prepared[]> {
  return rowsOf<Prepared>(handle.db, sql`select statement, from_sql from pg_prepared_statements`);
}

/** Runs `work` and returns the statements drizzle sent for it (each with parameters, as drizzle binds every value). */
async function sent(work: () => Promise<unknown>): Promise<string[]> {
  const statements: string[] = [];
  const stop = handle.onStatement((statement) => statements.push(statement));
  try {
    await work();
  } finally {
    stop();
  }
  return statements;
}

const findThing = (executor: Executor, id: number) => executor.select().from(things).where(eq(things.id, id));

describe('statements through the database handle on Postgres', () => {
  it('are named prepared statements on the server, from the query builder and from sql``, prepared once per connection', async () => {
    const statements = await sent(async () => {
      await handle.db.insert(things).values({ id: 1, name: 'a spanner' });
      await findThing(handle.db, 1);
      await findThing(handle.db, 2);
      await handle.db.execute(sql`select ${41}::int + 1 as answer`);
    });
    expect(statements).toHaveLength(4);
    const prepared = await preparedStatements();
    for (const statement of new Set(statements)) {
      // Prepared by the protocol (a named Parse), not by a PREPARE statement; the same text twice is one statement.
      expect(prepared.filter((row) => row.statement === statement)).toEqual([{ statement, from_sql: false }]);
    }
  });

  it('are prepared inside transactions and savepoints too', async () => {
    const statements = await sent(() =>
      handle.db.transaction(async (tx) => {
        await tx.update(things).set({ name: 'a wrench' }).where(eq(things.id, 1));
        await tx.transaction(async (savepoint) => {
          await savepoint.execute(sql`select count(*) from things where name = ${'a wrench'}`);
        });
      }),
    );
    expect(statements).toHaveLength(2);
    const prepared = await preparedStatements();
    for (const statement of statements) {
      expect(prepared.filter((row) => row.statement === statement)).toEqual([{ statement, from_sql: false }]);
    }
  });
});
