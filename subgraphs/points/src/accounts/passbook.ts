/**
 * Passbook (存折) numbers: an 11-digit serial and a Luhn check digit, 12
 * digits in all. The check digit catches every single mistyped digit and
 * most swapped neighbours when a clerk or a merchant's till keys one in.
 */

export const SERIAL_LENGTH = 11;
export const PASSBOOK_LENGTH = SERIAL_LENGTH + 1;

const DIGITS = /^[0-9]+$/;

/** Luhn sum of `digits`, doubling every second digit counted from the right end of `digits` when `doubleLast`. */
function luhnSum(digits: string, doubleLast: boolean): number {
  let sum = 0;
  for (let i = digits.length - 1, double = doubleLast; i >= 0; i -= 1, double = !double) {
    let digit = digits.charCodeAt(i) - 48;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum;
}

/** The Luhn check digit that completes `digits`. */
export function luhnCheckDigit(digits: string): number {
  if (!DIGITS.test(digits)) throw new RangeError('Luhn check digits are computed over decimal digits only.');
  // Once the check digit is appended, the last digit of `digits` sits second from the right: it is doubled.
  return (10 - (luhnSum(digits, true) % 10)) % 10;
}

/** The passbook number for a serial from the passbook sequence: zero-padded to 11 digits, then the check digit. */
export function passbookNumber(serial: number | bigint | string): string {
  const digits = String(serial);
  if (!DIGITS.test(digits) || digits.length > SERIAL_LENGTH) {
    throw new RangeError(`A passbook serial is a whole number of at most ${SERIAL_LENGTH} digits.`);
  }
  const padded = digits.padStart(SERIAL_LENGTH, '0');
  return `${padded}${luhnCheckDigit(padded)}`;
}

/** Whether `value` is 12 digits whose last is the right check digit. */
export function isValidPassbookNumber(value: string): boolean {
  return value.length === PASSBOOK_LENGTH && DIGITS.test(value) && luhnSum(value, false) % 10 === 0;
}
