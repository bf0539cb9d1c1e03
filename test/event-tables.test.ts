/**
 * Each subgraph's event tables, as its own drizzle migration created them,
 * are the tables the event library (shared/src/events) was written against
 * (and its scheduler's table the one shared/src/scheduler.ts was):
 * the same columns with the same types, nullability, defaults and identity,
 * the same keys, checks, indexes and the outbox's append-only trigger. The
 * migrations hold a copy of `outboxTableSql` / `inboxTableSql` made when
 * each subgraph got its events, so a change to the library's tables that no
 * migration follows (or a migration that edits them) fails here, not in
 * production on the first event.
 *
 * How: the subgraphs are migrated into one database as `npm start` does; the
 * library's own SQL is run into scratch schemas beside them; the catalogue of
 * both is read back and compared with the schema name taken out.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { peopleSubgraph } from '@lianxin/people';
import { pointsSubgraph } from '@lianxin/points';
import { recognitionSubgraph } from '@lianxin/recognition';
import { requestsSubgraph } from '@lianxin/requests';
import { openDatabase, rowsOf, type Database, type DatabaseHandle } from '@lianxin/shared';
import { createEventTables, createSchedulerTable, createTestDatabase, type TestDatabase } from '@lianxin/shared/testing';
import { graphShape } from './support/graph.js';

/** Which event tables each subgraph has: an outbox when it publishes, an inbox when it consumes. */
const PARTS = {
  people: { module: peopleSubgraph, outbox: true, inbox: true },
  requests: { module: requestsSubgraph, outbox: true, inbox: true },
  points: { module: pointsSubgraph, outbox: true, inbox: true },
  recognition: { module: recognitionSubgraph, outbox: true, inbox: true },
} as const;

let testDatabase: TestDatabase;
let handle: DatabaseHandle;
let db: Database;

beforeAll(async () => {
  // The four subgraphs migrated as `npm start` migrates them, without demo data.
  testDatabase = await createTestDatabase('eventtables', graphShape({ ...process.env, DEMO_DATA: 'false' }));
  handle = await openDatabase({ url: testDatabase.url, poolSize: 2 });
  db = handle.db;
  // Every table the library knows, and each subgraph's share of them, as the library writes them.
  await createEventTables(db, 'library_all', { outbox: true, inbox: true });
  for (const [name, parts] of Object.entries(PARTS)) await createEventTables(db, `library_${name}`, parts);
  await createSchedulerTable(db, 'library_scheduler');
});

afterAll(async () => {
  await handle?.close();
  await testDatabase?.drop();
});

/** Takes the schema's name out of a definition, quoted or not, so two schemas compare. */
function unqualified(schema: string, definition: string): string {
  return definition.replaceAll(`"${schema}".`, '<schema>.').replaceAll(new RegExp(`(?<![\\w"])${schema}\\.`, 'g'), '<schema>.');
}

/** The tables of `schema` among `tables`, with what the library relies on in each, read from the catalogue. */
async function catalogue(schema: string, tables: readonly string[]) {
  const query = (statement: ReturnType<typeof sql>) => rowsOf<Record<string, unknown>>(db, statement);
  const names = sql`array[${sql.join(
    tables.map((table) => sql`${table}`),
    sql`, `,
  )}]::text[]`;
  const inSchema = sql`c.relnamespace = ${schema}::regnamespace and c.relname = any(${names})`;
  const [present, columns, constraints, indexes, triggers, functions] = await Promise.all([
    query(sql`select c.relname as "table" from pg_class c where ${inSchema} and c.relkind = 'r' order by 1`),
    query(sql`
      select c.relname as "table", a.attname as "column", format_type(a.atttypid, a.atttypmod) as "type", a.attnotnull as "notNull",
             pg_get_expr(d.adbin, d.adrelid) as "default", a.attidentity as "identity", a.attgenerated as "generated"
      from pg_class c
      join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
      left join pg_attrdef d on d.adrelid = c.oid and d.adnum = a.attnum
      where ${inSchema}
      order by 1, 2`),
    query(sql`
      select c.relname as "table", k.conname as "name", k.contype as "kind", pg_get_constraintdef(k.oid) as "definition"
      from pg_constraint k join pg_class c on c.oid = k.conrelid
      where ${inSchema}
      order by 1, 2`),
    query(sql`
      select c.relname as "table", i.relname as "name", pg_get_indexdef(i.oid) as "definition"
      from pg_index x join pg_class c on c.oid = x.indrelid join pg_class i on i.oid = x.indexrelid
      where ${inSchema}
      order by 1, 2`),
    query(sql`
      select c.relname as "table", t.tgname as "name", pg_get_triggerdef(t.oid) as "definition"
      from pg_trigger t join pg_class c on c.oid = t.tgrelid
      where ${inSchema} and not t.tgisinternal
      order by 1, 2`),
    // The functions those triggers run (the outbox's refusal of changes).
    query(sql`
      select p.proname as "name", pg_get_functiondef(p.oid) as "definition"
      from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_proc p on p.oid = t.tgfoid
      where ${inSchema} and not t.tgisinternal
      order by 1`),
  ]);
  const clean = (rows: Record<string, unknown>[]) =>
    rows.map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, typeof value === 'string' ? unqualified(schema, value) : value])));
  return {
    tables: present.map((row) => row['table']),
    columns: clean(columns),
    constraints: clean(constraints),
    indexes: clean(indexes),
    triggers: clean(triggers),
    functions: clean(functions),
  };
}

/** The names of every table the library creates. */
async function libraryTables(): Promise<string[]> {
  const rows = await rowsOf<{ table: string }>(
    db,
    sql`select c.relname as "table" from pg_class c where c.relnamespace = 'library_all'::regnamespace and c.relkind = 'r' order by 1`,
  );
  return rows.map((row) => row.table);
}

describe('the event tables of each subgraph’s migration match the event library', () => {
  it('knows which subgraphs consume: an inbox exactly where a consumer runs', () => {
    for (const { module, inbox } of Object.values(PARTS)) expect({ name: module.name, inbox: module.consumer !== undefined }).toEqual({ name: module.name, inbox });
  });

  it.each(Object.keys(PARTS))('%s', async (name) => {
    const all = await libraryTables();
    expect(all).toEqual(['dead_letters', 'inbox', 'inbox_aggregates', 'inbox_cursors', 'outbox', 'outbox_relays', 'outbox_sequences']);
    const expected = await catalogue(`library_${name}`, all);
    const migrated = await catalogue(name, all);
    expect(expected.tables.length).toBeGreaterThan(0);
    expect(migrated).toEqual(expected);
  });

  it('tells tables apart that differ in one column’s nullability', async () => {
    await createEventTables(db, 'library_altered', { inbox: true });
    await db.execute(sql`alter table library_altered.dead_letters alter column replayed_by set not null`);
    const all = await libraryTables();
    expect(await catalogue('library_altered', all)).not.toEqual(await catalogue('library_recognition', all));
  });
});

describe('the scheduler table of each subgraph’s migration matches the scheduler', () => {
  it.each(Object.keys(PARTS))('%s', async (name) => {
    const expected = await catalogue('library_scheduler', ['scheduled_jobs']);
    expect(expected.tables).toEqual(['scheduled_jobs']);
    expect(await catalogue(name, ['scheduled_jobs'])).toEqual(expected);
  });
});
