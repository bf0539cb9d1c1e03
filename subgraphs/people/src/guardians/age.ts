/** Who counts as a minor (未成年人). */

const ADULT_AGE = 18;

/** Whether someone born on `birthDate` (YYYY-MM-DD) is under 18 at `at`, counted in Beijing days. A person without a birth date counts as an adult. */
export function isMinor(birthDate: string | null, at: Date): boolean {
  if (!birthDate) return false;
  const [year, month, day] = birthDate.split('-').map(Number) as [number, number, number];
  const adultFrom = `${String(year + ADULT_AGE).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  const today = new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  return today < adultFrom;
}
