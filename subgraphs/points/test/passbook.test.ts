import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { isValidPassbookNumber, luhnCheckDigit, passbookNumber } from '../src/accounts/passbook.js';

describe('passbook numbers', () => {
  it('computes the standard Luhn check digit', () => {
    // The textbook example: 7992739871 completes to 79927398713.
    expect(luhnCheckDigit('7992739871')).toBe(3);
    expect(luhnCheckDigit('00000000000')).toBe(0);
  });

  it('pads a serial to 11 digits and appends its check digit', () => {
    expect(passbookNumber(1)).toBe('000000000018');
    expect(passbookNumber('90000000001')).toBe('900000000019');
    expect(passbookNumber(0)).toBe('000000000000');
  });

  it('refuses serials that do not fit in 11 digits', () => {
    expect(() => passbookNumber(100_000_000_000)).toThrow(RangeError);
    expect(() => passbookNumber(-1)).toThrow(RangeError);
    expect(() => passbookNumber('12a')).toThrow(RangeError);
  });

  it('accepts a number with the right check digit and refuses a wrong one', () => {
    expect(isValidPassbookNumber('000000000018')).toBe(true);
    expect(isValidPassbookNumber('000000000017')).toBe(false);
    expect(isValidPassbookNumber('00000000018')).toBe(false);
    expect(isValidPassbookNumber('00000000001a')).toBe(false);
    expect(isValidPassbookNumber('')).toBe(false);
  });

  it('accepts every number it hands out', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999_999 }), (serial) => {
        expect(isValidPassbookNumber(passbookNumber(serial))).toBe(true);
      }),
    );
  });

  it('detects any single mistyped digit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999_999 }), fc.integer({ min: 0, max: 11 }), fc.integer({ min: 1, max: 9 }), (serial, position, shift) => {
        const number = passbookNumber(serial);
        const typo = (Number(number[position]) + shift) % 10;
        const mistyped = `${number.slice(0, position)}${typo}${number.slice(position + 1)}`;
        expect(isValidPassbookNumber(mistyped)).toBe(false);
      }),
    );
  });
});
