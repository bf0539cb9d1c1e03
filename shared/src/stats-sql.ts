/**
 * The one grouped statement every statistic is answered with: the facts a
 * subgraph selects, grouped by the dimensions asked, with the total over
 * everything in the same statement (a grouping set), so distinct counts and
 * percentiles are computed over the facts themselves and never combined
 * across buckets. What differs between subgraphs (which table of regions
 * gives a place's region at a level, whether buckets are regions, bank units
 * or merchants, which figures) is passed in as SQL.
 */
import { SQL, sql } from 'drizzle-orm';
import type { Executor } from './db.js';
import { rowsOf } from './sql.js';
import type { RegionLevel } from './stats.js';

/** What every grouped row carries beside its dimensions and figures. */
export interface GroupedStatsRow {
  /** True for the row over everything the filter counts. */
  total: boolean;
}

/** A grouped statistic, as `groupedStats` writes it. */
export interface GroupedStatsQuery {
  /** What the facts are read from: a table, tables joined, or a subquery with its alias. */
  from: SQL;
  /** Conditions every fact counted meets (joined with `and`). */
  where: readonly SQL[];
  /**
   * The dimensions, in the order buckets are sorted by: per name, the
   * expression of a fact's value along it, or null when the question does
   * not group by it (every fact then has null there). Each comes back as
   * text under its name (null on the total row); buckets are ordered by the
   * expressions' own type (a date, an enum's order), nulls last.
   */
  dimensions: Record<string, SQL | RegionLookup | null>;
  /** What the figures aggregate: per name, an expression over `from` exposed to `figures` under that name. */
  columns: Record<string, SQL>;
  /** The aggregates of a bucket, each aliased to the name the row carries it under. */
  figures: SQL;
  /**
   * Buckets beyond this are not read (one more is, so the caller can tell it
   * refuses the question); null reads them all (a derived table that holds
   * every bucket, such as people's household cells for BI tools).
   */
  maxBuckets: number | null;
}

/**
 * Groups the facts of `from` (those meeting `where`) by `dimensions` and
 * computes `figures` per bucket and over all, in one statement: the total
 * row first, then the buckets ordered by the dimensions; at most
 * `maxBuckets + 2` rows read. A bucket exists only where some fact is;
 * the total row always does (aggregates over nothing). With no dimensions
 * at all the answer is the total row alone.
 */
export async function groupedStats<T extends GroupedStatsRow>(db: Executor, query: GroupedStatsQuery): Promise<T[]> {
  const names = Object.keys(query.dimensions);
  // A region lookup is joined laterally rather than asked per fact: Postgres then memoizes it by the place's path, so a
  // year of requests in a thousand places costs a thousand lookups, not one per request (six times faster at 230k).
  const joins: SQL[] = [];
  const valueOf = (name: string): SQL => {
    const dimension = query.dimensions[name] ?? null;
    if (dimension === null) return sql`null::text`;
    if (dimension instanceof SQL) return dimension;
    const alias = sql.identifier(`${name}_lookup`);
    joins.push(sql`left join lateral (${dimension.lookup}) as ${alias} on true`);
    return sql`${alias}.id`;
  };
  const select = [
    ...names.map((name) => sql`${valueOf(name)} as ${sql.identifier(name)}`),
    ...Object.entries(query.columns).map(([name, column]) => sql`${column} as ${sql.identifier(name)}`),
  ];
  const where = query.where.length > 0 ? sql`where ${sql.join([...query.where], sql` and `)}` : sql``;
  // Qualified, so that ordering and grouping use the facts' own values (a date, an enum), not the text the row carries.
  const columnsOf = (name: string): SQL => sql`facts.${sql.identifier(name)}`;
  const facts = sql`with facts as (select ${sql.join(select, sql`, `)} from ${query.from} ${sql.join(joins, sql` `)} ${where})`;
  if (names.length === 0) {
    return rowsOf<T>(db, sql`${facts} select true as total, ${query.figures} from facts`);
  }
  const group = sql.join(names.map(columnsOf), sql`, `);
  const dimensions = sql.join(
    names.map((name) => sql`${columnsOf(name)}::text as ${sql.identifier(name)}`),
    sql`, `,
  );
  const order = sql.join(
    names.map((name) => sql`${columnsOf(name)} nulls last`),
    sql`, `,
  );
  return rowsOf<T>(
    db,
    sql`${facts}
        select grouping(${group}) <> 0 as total, ${dimensions}, ${query.figures}
          from facts
         group by grouping sets ((${group}), ())
         order by total desc, ${order}
         limit ${query.maxBuckets === null ? sql`all` : sql`${query.maxBuckets + 2}`}`,
  );
}

/** A subgraph's table of regions, as far as levels go: the table, its id column and its kind column (lower-case level names). */
export interface RegionDirectory {
  table: SQL;
  id: SQL;
  kind: SQL;
}

/** A dimension whose value is looked up for each fact's place: `lookup` selects at most one row, its `id`. */
export interface RegionLookup {
  lookup: SQL;
}

/**
 * The region of `level` holding a place, looked up in `directory` among the
 * ancestors its `path` stores (and the place itself, `self`, when the place
 * is a region of the directory); null when the place lies above that level,
 * or the directory does not know the region's kind yet. A dimension of
 * `groupedStats`, which joins it laterally.
 */
export function regionAtLevel(directory: RegionDirectory, level: RegionLevel, place: { path: SQL; self?: SQL }): RegionLookup {
  const among = place.self ? sql`(${directory.id} = ${place.self} or ${directory.id} = any(${place.path}))` : sql`${directory.id} = any(${place.path})`;
  return { lookup: sql`select ${directory.id} as id from ${directory.table} where ${among} and ${directory.kind} = ${level.toLowerCase()} limit 1` };
}
