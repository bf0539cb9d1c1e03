/** SQL helpers every store shares: uuid arrays, raw rows and timestamps read the same from either driver, and pages per parent. */
import { and, asc, getTableColumns, inArray, sql, type InferSelectModel, type SQL } from 'drizzle-orm';
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Executor } from './db.js';

/** A `uuid[]` of bound parameters (drizzle would spread a JS array into a list). */
export function uuidArray(ids: readonly string[]): SQL {
  if (ids.length === 0) return sql`'{}'::uuid[]`;
  return sql`array[${sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  )}]`;
}

/**
 * `column = any($n::uuid[])`, the array a placeholder named `name` of a
 * `preparedOnce` statement: one statement text whatever the number of ids
 * (an `in` list has one text per count), and none for an empty list.
 */
export function inUuids(column: AnyPgColumn, name: string): SQL {
  return sql`${column} = any(${sql.placeholder(name)}::uuid[])`;
}

/** What `preparedOnce` builds: a drizzle statement with placeholders (`.prepare(name)`). */
export interface PreparedRead<V, R> {
  execute(values: V): Promise<R>;
}

/**
 * A statement drizzle builds once per executor, then only runs with its
 * placeholders' values. drizzle otherwise renders a statement's text (and
 * maps its selection) on every call: on a small request, rendering the
 * statements of a loader took more CPU than sending them. Keyed weakly by
 * the executor: the database handle's statement is built once per process;
 * a transaction's lives and goes with it. Values stay bound, never in the
 * text, and the statement is a named prepared one like every other (db.ts).
 */
export function preparedOnce<V extends Record<string, unknown>, R>(build: (db: Executor) => PreparedRead<V, R>): (db: Executor, values: V) => Promise<R> {
  const built = new WeakMap<Executor, PreparedRead<V, R>>();
  return (db, values) => {
    let statement = built.get(db);
    if (!statement) {
      statement = build(db);
      built.set(db, statement);
    }
    return statement.execute(values);
  };
}

/**
 * Runs a raw statement and returns its rows. postgres.js answers with an
 * array, PGlite with `{ rows }`; raw rows carry column names as written in
 * the SQL, so callers alias them and cast bigints to text.
 */
export async function rowsOf<T>(db: Executor, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as T[];
}

/** A timestamp from a raw row: postgres.js (as drizzle configures it) gives text, PGlite a Date. */
export const toDate = (value: Date | string): Date => (value instanceof Date ? value : new Date(value));

/** What `pagesPerParent` reads: a table, the column naming each row's parent, and the page. */
export interface PagesPerParent<TTable extends PgTable> extends PageShape<TTable> {
  /** The parents whose pages are wanted. */
  parentIds: readonly string[];
  /** The page size: `limit + 1` rows are read per parent, so the caller can tell whether another page follows. */
  limit: number;
}

/** What every page of one kind shares, whichever parents and page size it is read for. */
export interface PageShape<TTable extends PgTable> {
  /** The table the rows come from. */
  table: TTable;
  /** The column holding each row's parent (a team's id for its members). */
  parent: AnyPgColumn;
  /** The order within a parent, as the window sees it (`sql\`${t.createdAt} desc, ${t.id} desc\``); the cursor's order. */
  orderBy: SQL;
  /** Further conditions: the cursor (rows after `page.after`), a status, a scope. */
  where?: SQL | undefined;
}

/**
 * The same page of rows under each of many parents, in one statement: the
 * rows are numbered per parent by a window function and cut at `limit + 1`,
 * so a loader serves every parent's connection of a request with one read
 * however many parents it holds. Rows come back by parent, then in `orderBy`.
 */
export function pagesPerParent<TTable extends PgTable>(db: Executor, pages: PagesPerParent<TTable>): Promise<InferSelectModel<TTable>[]> {
  return pagesStatement(db, pages, inArray(pages.parent, [...pages.parentIds]), pages.limit + 1);
}

/** The values a statement of `preparedPagesPerParent` runs with: its parents and page size, and the shape's own placeholders. */
export type PageValues<V> = V & { parents: readonly string[]; limit: number };

/**
 * `pagesPerParent` as a statement built once per executor (`preparedOnce`),
 * for the pages most requests read (a volunteer's open tasks on every
 * dashboard): the parents are bound as one `uuid[]`, the page size as a
 * value, and `shape.where` names its own values with `sql.placeholder`. A
 * statement's text is fixed, so a kind of page whose conditions come and go
 * (a cursor, a scope) takes one of these per combination.
 */
export function preparedPagesPerParent<TTable extends PgTable, V extends Record<string, unknown> = Record<string, never>>(
  name: string,
  shape: PageShape<TTable>,
): (db: Executor, values: PageValues<V>) => Promise<InferSelectModel<TTable>[]> {
  const read = preparedOnce<PageValues<V> & { rows: number }, InferSelectModel<TTable>[]>((db) =>
    pagesStatement(db, shape, inUuids(shape.parent, 'parents'), sql`${sql.placeholder('rows')}`).prepare(name),
  );
  return (db, values) => read(db, { ...values, parents: [...values.parents], rows: values.limit + 1 });
}

/** A page statement of either kind: awaited as it is, or prepared once. */
type PagesStatement<TTable extends PgTable> = Promise<InferSelectModel<TTable>[]> & {
  prepare(name: string): PreparedRead<Record<string, unknown>, InferSelectModel<TTable>[]>;
};

function pagesStatement<TTable extends PgTable>(db: Executor, pages: PageShape<TTable>, ofParents: SQL, rows: number | SQL): PagesStatement<TTable> {
  const columns: Record<string, AnyPgColumn> = getTableColumns(pages.table);
  const parentKey = Object.keys(columns).find((key) => columns[key] === pages.parent);
  if (!parentKey) throw new Error(`pagesPerParent: the parent column is not a column of the table`);
  const ranked = db
    .select({ ...columns, position: sql<number>`row_number() over (partition by ${pages.parent} order by ${pages.orderBy})`.as('position') })
    .from(pages.table as PgTable)
    .where(and(ofParents, pages.where))
    .as('ranked');
  // The subquery's columns, by the table's keys: a generic table's columns are looked up by name.
  const fields = ranked as unknown as Record<string, AnyPgColumn>;
  const picked = Object.fromEntries(Object.keys(columns).map((key) => [key, fields[key]!]));
  return db
    .select(picked)
    .from(ranked)
    .where(sql`${ranked.position} <= ${rows}`)
    .orderBy(asc(fields[parentKey]!), asc(ranked.position)) as unknown as PagesStatement<TTable>;
}
