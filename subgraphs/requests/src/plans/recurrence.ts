/**
 * When a care plan's occurrences fall: pure calendar arithmetic on Beijing
 * dates (`YYYY-MM-DD`). Beijing keeps no daylight saving, so a day there is
 * always UTC+8 and a date plus a minute of the day names one instant.
 * Weekly plans fall on their weekday every N weeks, counted from the week
 * (Monday to Sunday) holding the start date; monthly plans on their day of
 * the month, or on the month's last day when the month is shorter (a plan on
 * the 31st falls on 30 April and on 28 or 29 February).
 */

const DAY_MS = 24 * 3600_000;
const BEIJING_OFFSET_MS = 8 * 3600_000;

/** The recurrence of a plan, as its row holds it. */
export interface Recurrence {
  frequency: 'weekly' | 'monthly';
  intervalWeeks: number | null;
  weekday: number | null;
  monthDay: number | null;
  startsOn: string;
  endsOn: string | null;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a date string; NaN for anything that is not a real date. */
export function dayNumber(date: string): number {
  const match = DATE.exec(date);
  if (!match) return Number.NaN;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) return Number.NaN;
  return ms / DAY_MS;
}

/** Whether `date` is a real calendar date written `YYYY-MM-DD`. */
export const isDate = (date: string): boolean => !Number.isNaN(dayNumber(date));

export const dateOfDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** The Beijing date of an instant. */
export const beijingDate = (at: Date): string => dateOfDay(Math.floor((at.getTime() + BEIJING_OFFSET_MS) / DAY_MS));

/** The instant a Beijing date's minute `minuteOfDay` names. */
export const instantOf = (date: string, minuteOfDay: number): Date => new Date(dayNumber(date) * DAY_MS + minuteOfDay * 60_000 - BEIJING_OFFSET_MS);

/** ISO weekday of a day number: 1 Monday … 7 Sunday (1970-01-01 was a Thursday). */
const isoWeekday = (day: number): number => ((((day + 3) % 7) + 7) % 7) + 1;

function weeklyDates(rule: Recurrence, from: number, to: number): string[] {
  const weekday = rule.weekday ?? 1;
  const interval = rule.intervalWeeks ?? 1;
  const start = dayNumber(rule.startsOn);
  const firstMonday = start - (isoWeekday(start) - 1);
  const dates: string[] = [];
  for (let monday = firstMonday; monday <= to; monday += 7 * interval) {
    const day = monday + weekday - 1;
    if (day >= from && day <= to && day >= start) dates.push(dateOfDay(day));
  }
  return dates;
}

function monthlyDates(rule: Recurrence, from: number, to: number): string[] {
  const monthDay = rule.monthDay ?? 1;
  const start = new Date(dayNumber(rule.startsOn) * DAY_MS);
  const dates: string[] = [];
  for (let index = 0; ; index += 1) {
    const year = start.getUTCFullYear();
    const month = start.getUTCMonth() + index;
    const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
    const day = Date.UTC(year, month, Math.min(monthDay, lastDay)) / DAY_MS;
    if (day > to) return dates;
    if (day >= from && day >= dayNumber(rule.startsOn)) dates.push(dateOfDay(day));
  }
}

/** The plan's dates from `from` to `to` (both inclusive, Beijing dates), within its start and end, earliest first. */
export function occurrenceDates(rule: Recurrence, from: string, to: string): string[] {
  const first = Math.max(dayNumber(from), dayNumber(rule.startsOn));
  const last = rule.endsOn === null ? dayNumber(to) : Math.min(dayNumber(to), dayNumber(rule.endsOn));
  if (Number.isNaN(first) || Number.isNaN(last) || last < first) return [];
  return rule.frequency === 'weekly' ? weeklyDates(rule, first, last) : monthlyDates(rule, first, last);
}
