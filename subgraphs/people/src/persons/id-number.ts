/**
 * Resident ID numbers (GB 11643): 6 digits of region, 8 of birth date, 3 of
 * sequence (odd for men), and a check character by ISO 7064 MOD 11-2.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARACTERS = '10X98765432';

/** The check character of the first 17 digits. */
export function idNumberCheckCharacter(first17: string): string {
  let sum = 0;
  for (let index = 0; index < 17; index += 1) sum += Number(first17[index]) * WEIGHTS[index]!;
  return CHECK_CHARACTERS[sum % 11]!;
}

export interface ParsedIdNumber {
  /** Upper case, no spaces. */
  value: string;
  /** `YYYY-MM-DD`. */
  birthDate: string;
  gender: 'male' | 'female';
}

export type IdNumberCheck = { ok: true; idNumber: ParsedIdNumber } | { ok: false; reason: string };

/** Checks form, birth date and check character; `today` bounds the birth date. */
export function parseIdNumber(raw: string, today: Date = new Date()): IdNumberCheck {
  const value = raw.trim().toUpperCase();
  if (!/^[1-9]\d{16}[\dX]$/.test(value)) return { ok: false, reason: 'An ID number is 17 digits and a final digit or X.' };
  const year = Number(value.slice(6, 10));
  const month = Number(value.slice(10, 12));
  const day = Number(value.slice(12, 14));
  const birth = new Date(Date.UTC(year, month - 1, day));
  const real = birth.getUTCFullYear() === year && birth.getUTCMonth() === month - 1 && birth.getUTCDate() === day;
  if (!real || year < 1900 || birth.getTime() > today.getTime()) {
    return { ok: false, reason: 'The birth date in the ID number is not a real past date.' };
  }
  if (idNumberCheckCharacter(value) !== value[17]) return { ok: false, reason: 'The check character of the ID number does not match.' };
  return {
    ok: true,
    idNumber: { value, birthDate: value.slice(6, 10) + '-' + value.slice(10, 12) + '-' + value.slice(12, 14), gender: Number(value[16]) % 2 === 1 ? 'male' : 'female' },
  };
}

/** Mainland mobile numbers. */
export const MOBILE_PHONE = /^1[3-9]\d{9}$/;
