/**
 * What every subgraph's statistics share: Beijing periods (`TimeBucket`),
 * region levels, the days a filter covers, the bound on buckets, and the
 * SQL that truncates an instant to its period. Each subgraph counts its own
 * facts (its `stats/` module); this keeps the shapes and the calendar alike.
 */
import { sql, type SQL } from 'drizzle-orm';
import { BadInputError, CodedError } from './errors.js';

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
