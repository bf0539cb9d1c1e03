/**
 * Redemption windows and settlement days, in Beijing time (Asia/Shanghai,
 * UTC+8 all year: China has kept no daylight saving time since 1991, so a
 * fixed offset is exact).
 */
import type { RedemptionWindowKind } from '../db/schema.js';

const OFFSET_MS = 8 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

/** The Beijing calendar day of an instant. */
export function beijingDay(at: Date): { year: number; month: number; day: number; weekday: number } {
  const local = new Date(at.getTime() + OFFSET_MS);
  return { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate(), weekday: local.getUTCDay() };
}

/** The day of the month of the first Saturday of `year`-`month`. */
export function firstSaturday(year: number, month: number): number {
  const weekdayOfFirst = new Date(Date.UTC(year, month - 1, 1)).getUTCDay();
  return 1 + ((6 - weekdayOfFirst + 7) % 7);
}

/** Whether a bank with `window` takes redemptions at `at`: always, or on the first Saturday of the month and the Sunday after. */
export function isWindowOpen(window: RedemptionWindowKind, at: Date): boolean {
  if (window === 'always_open') return true;
  const { year, month, day } = beijingDay(at);
  const saturday = firstSaturday(year, month);
  return day === saturday || day === saturday + 1;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar day `YYYY-MM-DD`; null when it is not a real day. */
export function parseDay(value: string): { year: number; month: number; day: number } | null {
  const match = DAY.exec(value);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return { year, month, day };
}

/** The instant a Beijing calendar day starts. */
export function startOfBeijingDay(day: { year: number; month: number; day: number }): Date {
  return new Date(Date.UTC(day.year, day.month - 1, day.day) - OFFSET_MS);
}

/** Whole days from `from` to `to`, both included. */
export function daysBetween(from: { year: number; month: number; day: number }, to: { year: number; month: number; day: number }): number {
  return Math.round((startOfBeijingDay(to).getTime() - startOfBeijingDay(from).getTime()) / DAY_MS) + 1;
}

export { DAY_MS };
