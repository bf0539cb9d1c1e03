/** Who counts as a minor (未成年人). */

const ADULT_AGE = 18;

/** Whether someone born on `birthDate` (YYYY-MM-DD) is under 18 at `at`, counted in Beijing days. A person without a birth date counts as an adult. */
export function isMinor(birthDate: string | null, at: Date): boolean {
  if (!birthDate) return false;
  const [year, month, day] = birthDate.split('-').map(Number) as [number, number, number];
  const adultFrom = `${String(year + ADULT_AGE).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return beijingDate(at) < adultFrom;
}

/** The Beijing calendar date (YYYY-MM-DD) at `at`: ages change at midnight where the person lives. */
export function beijingDate(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}
