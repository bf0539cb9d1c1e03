/**
 * What every subgraph's statistics share: Beijing periods (`TimeBucket`),
 * region levels, the days a filter covers, the bound on buckets, and the
 * SQL that truncates an instant to its period. Each subgraph counts its own
 * facts (its `stats/` module); this keeps the shapes and the calendar alike.
 */
import { sql, type SQL } from 'drizzle-orm';
import { requireSignedIn } from './access.js';
import { hasRole, type Role, type Viewer } from './auth.js';
import { BadInputError, CodedError, ForbiddenError } from './errors.js';
import { isUuid } from './ids.js';

/** The common enums keep their GraphQL names as internal values (codegen lower-cases only a subgraph's own). */
export type TimeBucket = 'DAY' | 'WEEK' | 'MONTH' | 'QUARTER' | 'YEAR';
export type RegionLevel = 'DISTRICT' | 'STREET' | 'COMMUNITY';

/** More buckets than a screen or a spreadsheet can use: a question that would return them is refused, to narrow it. */
export const MAX_STATS_BUCKETS = 5_000;

const DAY_MS = 86_400_000;

/** A bucket of time in a statistic: Beijing dates (`YYYY-MM-DD`), both ends included. */
export interface StatsPeriodModel {
  bucket: TimeBucket;
  start: string;
  end: string;
}

/**
 * The start of a Beijing calendar day. The Date scalar hands over the day as
 * a Date at UTC midnight (typed as its `YYYY-MM-DD` text); either way the
 * calendar day is what counts.
 */
export function beijingDay(date: string | Date): Date {
  const day = date instanceof Date ? date.toISOString().slice(0, 10) : date;
  return new Date(`${day}T00:00:00+08:00`);
}

/** The instants a filter's `from` and `to` days (Beijing, both included) cover: `[from, before)`; either end open when not given. */
export function statsDays(from: string | Date | null | undefined, to: string | Date | null | undefined, argument = 'filter'): { from: Date | null; before: Date | null } {
  const start = from ? beijingDay(from) : null;
  const before = to ? new Date(beijingDay(to).getTime() + DAY_MS) : null;
  if (start && before && start >= before) throw new BadInputError(`${argument}.from must not be after ${argument}.to.`, argument);
  return { from: start, before };
}

/** The Beijing calendar day of an instant column, truncated to `bucket` (a week from Monday), as a date. */
export function periodStartOf(column: SQL, bucket: TimeBucket): SQL {
  return sql`date_trunc(${bucket.toLowerCase()}, ${column} at time zone 'Asia/Shanghai')::date`;
}

/** The first and last day of the period starting on `start` (a `YYYY-MM-DD` Beijing date, as `periodStartOf` gives it). */
export function periodOf(bucket: TimeBucket, start: string): StatsPeriodModel {
  const first = new Date(`${start}T00:00:00Z`);
  const next = new Date(first);
  if (bucket === 'DAY') next.setUTCDate(next.getUTCDate() + 1);
  else if (bucket === 'WEEK') next.setUTCDate(next.getUTCDate() + 7);
  else next.setUTCMonth(next.getUTCMonth() + (bucket === 'MONTH' ? 1 : bucket === 'QUARTER' ? 3 : 12));
  return { bucket, start, end: new Date(next.getTime() - DAY_MS).toISOString().slice(0, 10) };
}

/** Refuses a question whose buckets (read up to one more than the bound) exceed `MAX_STATS_BUCKETS`. */
export function requireFewBuckets<T>(buckets: readonly T[]): readonly T[] {
  if (buckets.length > MAX_STATS_BUCKETS) {
    throw new CodedError('STATISTICS_TOO_LARGE', `The question has more than ${MAX_STATS_BUCKETS} buckets: narrow the filter, or group by longer periods or higher regions.`);
  }
  return buckets;
}

/** Minutes as hours, to two decimals. */
export const hoursOf = (minutes: number): number => Math.round((minutes / 60) * 100) / 100;

/** One bucket of a count a statistic answers: its value along each dimension of the grouping, and how many it counts (at least one: empty combinations are no bucket). */
export interface StatsCell {
  key: readonly (string | null)[];
  count: number;
}

/** Which figures of an answer are withheld. */
export interface StatsSuppression {
  /** Per cell, in the order given. */
  cells: boolean[];
  /** Whether the total is withheld too. */
  total: boolean;
}

/**
 * Small-cell suppression of a table of counts of sensitive facts (households
 * in hardship, special needs, alerts), so that no published figure, and no
 * sum or difference of published figures, tells how many fewer than
 * `minCell` there are in a bucket.
 *
 * 1. Primary: every cell counting fewer than `minCell` is withheld.
 * 2. Complementary, per line: a line is the cells sharing every dimension but
 *    one (a region's hardship levels; a level's regions), whose sum another
 *    answer grouped more coarsely gives; and the whole table, whose sum is the
 *    total. A line whose withheld cells are one alone, or sum to fewer than
 *    `minCell`, or are all ones (each bucket counts at least one, so a sum
 *    equal to their number gives each away) has one more published cell
 *    withheld: the smallest among those whose other lines already withhold a
 *    cell, else the smallest (the first of equals); and the lines are checked again
 *    until none changes: then subtracting what is published from a line's sum
 *    leaves only a sum of two or more withheld cells, itself not small, and
 *    not made of ones.
 * 3. The total is withheld when it is itself fewer than `minCell` (but not
 *    zero: nothing counted reveals no one), or when the whole table is
 *    withheld and its cells still fail the rule of step 2.
 *
 * Pure and deterministic (equal answers withhold alike); the counts are the
 * caller's, computed in one statement with the total.
 */
export function suppressSmallCells(cells: readonly StatsCell[], minCell: number): StatsSuppression {
  const withheld = cells.map((cell) => cell.count < minCell);
  const whole = cells.map((_, index) => index);
  const lines: number[][] = [];
  const dimensions = Math.max(0, ...cells.map((cell) => cell.key.length));
  for (let dimension = 0; dimension < dimensions; dimension += 1) {
    const byRest = new Map<string, number[]>();
    cells.forEach((cell, index) => {
      const rest = JSON.stringify(cell.key.filter((_, position) => position !== dimension));
      byRest.set(rest, [...(byRest.get(rest) ?? []), index]);
    });
    lines.push(...byRest.values());
  }
  // The whole table last: lines fixed first usually leave its total safe, with fewer cells withheld.
  lines.push(whole);
  const exposed = (line: readonly number[]): boolean => {
    const hidden = line.filter((index) => withheld[index]);
    if (hidden.length === 0) return false;
    const sum = hidden.reduce((total, index) => total + cells[index]!.count, 0);
    return hidden.length === 1 || sum < minCell || sum === hidden.length;
  };
  const linesOf = cells.map((): number[][] => []);
  for (const line of lines) for (const index of line) linesOf[index]!.push(line);
  // A cell whose other lines already withhold one leaves no new line with a lone withheld cell: fewer cells go in the end.
  const opensLine = (index: number, line: readonly number[]): boolean =>
    linesOf[index]!.some((other) => other !== line && other !== whole && !other.some((member) => withheld[member]));
  const preferred = (index: number, than: number, line: readonly number[]): boolean => {
    const opens = opensLine(index, line);
    if (opens !== opensLine(than, line)) return !opens;
    return cells[index]!.count < cells[than]!.count;
  };
  for (let changed = true; changed;) {
    changed = false;
    for (const line of lines) {
      if (!exposed(line)) continue;
      let chosen: number | null = null;
      for (const index of line) if (!withheld[index] && (chosen === null || preferred(index, chosen, line))) chosen = index;
      if (chosen === null) continue;
      withheld[chosen] = true;
      changed = true;
    }
  }
  const total = cells.reduce((sum, cell) => sum + cell.count, 0);
  return { cells: withheld, total: (total > 0 && total < minCell) || exposed(whole) };
}

/** The admins of a region who read its statistics (besides analysts and platform admins, who read every region's). */
export const REGION_STATS_ROLES: readonly Role[] = ['station_admin', 'community_admin'];

/**
 * The regions a viewer's statistics are cut to: null (every region) for
 * analysts and platform admins, the token's regions for the admins of a
 * region; anyone else is refused, an anonymous caller asked to sign in.
 */
export function regionStatsScope(viewer: Viewer, adminRoles: readonly Role[] = REGION_STATS_ROLES): string[] | null {
  requireSignedIn(viewer);
  if (hasRole(viewer, 'analyst', 'platform_admin')) return null;
  if (hasRole(viewer, ...adminRoles) && viewer.regionIds.length > 0) return viewer.regionIds;
  throw new ForbiddenError('Only analysts, platform admins and the admins of a region read statistics.');
}

/** An id a statistic's filter names, lower-cased as rows hold ids; a malformed one is the caller's mistake. */
export function statsFilterId(value: string | null | undefined, what = 'region'): string | null {
  if (value === null || value === undefined) return null;
  if (!isUuid(value)) throw new BadInputError(`filter.${what} is not a ${what} id.`, 'filter');
  return value.toLowerCase();
}
