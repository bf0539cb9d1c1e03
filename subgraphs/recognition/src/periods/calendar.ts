/**
 * Beijing calendar periods as leaderboards and reviews name them: a month,
 * quarter or year by its first day. The read model's cells are months, so a
 * period is a range of months; a review also needs the instant it ends
 * (00:00 Beijing time on the first day after it).
 */
import { BadInputError, type TimeBucket } from '@lianxin/shared';
import { beijingDayOf } from '../stats/facts.js';

/** A month, a quarter or a year, with its months and its end. */
export interface CalendarPeriod {
  bucket: 'MONTH' | 'QUARTER' | 'YEAR';
  /** The first month counted (`YYYY-MM-01`): the period's first day. */
  fromMonth: string;
  /** The first month no longer counted: the first day after the period. */
  beforeMonth: string;
  /** The Beijing year the period starts in. */
  year: number;
}

const MONTHS: Partial<Record<TimeBucket, number>> = { MONTH: 1, QUARTER: 3, YEAR: 12 };

/** Beijing is UTC+8 all year (no daylight saving). */
const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;

/** The period a `{ bucket, start }` input names, or BAD_USER_INPUT on `field` unless a month, quarter or year named by its first day. */
export function calendarPeriodOf(period: { bucket: TimeBucket; start: string | Date }, field = 'period'): CalendarPeriod {
  const { bucket } = period;
  const length = MONTHS[bucket];
  if (length === undefined || (bucket !== 'MONTH' && bucket !== 'QUARTER' && bucket !== 'YEAR')) throw new BadInputError(`${field}.bucket must be MONTH, QUARTER or YEAR.`, field);
  const start = typeof period.start === 'string' ? period.start.slice(0, 10) : period.start.toISOString().slice(0, 10);
  const [year, month, day] = start.split('-').map(Number) as [number, number, number];
  if (day !== 1 || (month - 1) % length !== 0) throw new BadInputError(`${field}.start must be the first day of a ${bucket.toLowerCase()}.`, field);
  const beforeMonth = new Date(Date.UTC(year, month - 1 + length, 1)).toISOString().slice(0, 10);
  return { bucket, fromMonth: start, beforeMonth, year };
}

/** The instant a period ends: midnight in Beijing at the start of its first day after. */
export const endOfPeriod = (period: CalendarPeriod): Date => new Date(Date.parse(`${period.beforeMonth}T00:00:00Z`) - BEIJING_OFFSET_MS);

/** The latest month, quarter and year that have ended at `now` (Beijing time): what the scheduled close closes. */
export function lastEndedPeriods(now: Date): CalendarPeriod[] {
  const [year, month] = beijingDayOf(now).split('-').map(Number) as [number, number];
  const first = (y: number, m: number): string => new Date(Date.UTC(y, m - 1, 1)).toISOString().slice(0, 10);
  const currentQuarterMonth = month - ((month - 1) % 3);
  return [
    calendarPeriodOf({ bucket: 'MONTH', start: first(year, month - 1) }),
    calendarPeriodOf({ bucket: 'QUARTER', start: first(year, currentQuarterMonth - 3) }),
    calendarPeriodOf({ bucket: 'YEAR', start: first(year - 1, 1) }),
  ];
}
