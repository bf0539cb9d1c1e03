import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { demoIdNumber } from '../src/db/demo.js';
import { idNumberCheckCharacter, parseIdNumber } from '../src/persons/id-number.js';
import { idNumberLookup, openIdNumber, openIdNumberWithAny, sealIdNumber } from '../src/privacy/crypto.js';
import { maskIdNumber, maskPhone } from '../src/privacy/masks.js';
import { readDataKeyRotation, readPeopleSettings } from '../src/settings.js';

const KEY = Buffer.alloc(32, 7);
const PERSON = '00000000-0000-7000-8002-000000000001';

describe('resident ID numbers', () => {
  it('accepts the standard example and reads birth date and gender from it', () => {
    // GB 11643's own example number.
    expect(parseIdNumber('11010519491231002X')).toEqual({ ok: true, idNumber: { value: '11010519491231002X', birthDate: '1949-12-31', gender: 'female' } });
    expect(parseIdNumber(' 11010519491231002x ')).toMatchObject({ ok: true, idNumber: { value: '11010519491231002X' } });
  });

  it('refuses a wrong check character, an impossible or future birth date, and a wrong form', () => {
    expect(parseIdNumber('110105194912310021')).toEqual({ ok: false, reason: expect.stringContaining('check character') });
    const feb30 = '6101021990023012' + '3';
    expect(parseIdNumber(feb30 + idNumberCheckCharacter(feb30))).toEqual({ ok: false, reason: expect.stringContaining('birth date') });
    const future = '61010221000101123';
    expect(parseIdNumber(future + idNumberCheckCharacter(future))).toEqual({ ok: false, reason: expect.stringContaining('birth date') });
    expect(parseIdNumber('12345')).toMatchObject({ ok: false });
    expect(parseIdNumber('01010519491231002X')).toMatchObject({ ok: false });
  });

  it('accepts every demo number and refuses any single changed digit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 499 }), fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 9 }), (index, position, delta) => {
        const valid = demoIdNumber(index, { gender: index % 2 ? 'female' : 'male', born: '1960-07-01' });
        expect(parseIdNumber(valid).ok).toBe(true);
        const digit = (Number(valid[position]) + delta) % 10;
        const changed = valid.slice(0, position) + String(digit) + valid.slice(position + 1);
        // MOD 11-2 catches every single-digit error.
        expect(idNumberCheckCharacter(changed)).not.toBe(changed[17]);
      }),
    );
  });
});

describe('masks', () => {
  it('keeps the first three and last four characters of an ID number and a phone', () => {
    expect(maskIdNumber('110105194912312345')).toBe('110***********2345');
    expect(maskIdNumber('11010519491231002X')).toBe('110***********002X');
    expect(maskPhone('13800295678')).toBe('138****5678');
  });
});

describe('sealing ID numbers', () => {
  it('opens what it sealed, never seals the same number the same way twice, and finds duplicates by lookup', () => {
    const first = sealIdNumber(KEY, PERSON, '11010519491231002X');
    const second = sealIdNumber(KEY, PERSON, '11010519491231002X');
    expect(first).not.toBe(second);
    expect(first).not.toContain('1949');
    expect(openIdNumber(KEY, PERSON, first)).toBe('11010519491231002X');
    expect(idNumberLookup(KEY, '11010519491231002X')).toBe(idNumberLookup(KEY, '11010519491231002X'));
    expect(idNumberLookup(Buffer.alloc(32, 8), '11010519491231002X')).not.toBe(idNumberLookup(KEY, '11010519491231002X'));
  });

  it('refuses to open a value moved to another person, tampered with, or under another key', () => {
    const sealed = sealIdNumber(KEY, PERSON, '11010519491231002X');
    expect(() => openIdNumber(KEY, '00000000-0000-7000-8002-000000000002', sealed)).toThrow();
    const [scheme, iv, tag, body] = sealed.split('.');
    const flipped = Buffer.from(body!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => openIdNumber(KEY, PERSON, [scheme, iv, tag, flipped.toString('base64url')].join('.'))).toThrow();
    expect(() => openIdNumber(Buffer.alloc(32, 9), PERSON, sealed)).toThrow();
  });
});

describe('settings', () => {
  it('uses development keys outside production and requires both keys in production', () => {
    expect(readPeopleSettings({}).dataKey).toHaveLength(32);
    expect(() => readPeopleSettings({ NODE_ENV: 'production' })).toThrow('PEOPLE_DATA_KEY: required when NODE_ENV=production');
    const dataKey = Buffer.alloc(32, 1).toString('base64');
    expect(() => readPeopleSettings({ NODE_ENV: 'production', PEOPLE_DATA_KEY: dataKey })).toThrow('PEOPLE_LOOKUP_KEY');
    const settings = readPeopleSettings({ NODE_ENV: 'production', PEOPLE_DATA_KEY: dataKey, PEOPLE_LOOKUP_KEY: Buffer.alloc(48, 2).toString('base64') });
    expect(settings.lookupKey).toHaveLength(48);
  });

  it('names the variable when a key has the wrong length or is not base64', () => {
    expect(() => readPeopleSettings({ PEOPLE_DATA_KEY: Buffer.alloc(16).toString('base64') })).toThrow('PEOPLE_DATA_KEY: must be 32 bytes');
    expect(() => readPeopleSettings({ PEOPLE_LOOKUP_KEY: 'not base64!' })).toThrow('PEOPLE_LOOKUP_KEY');
  });

  it('reads the key being rotated away from, only during a rotation, and opens a value with whichever key sealed it', () => {
    expect(readPeopleSettings({}).previousDataKey).toBeNull();
    const old = Buffer.alloc(32, 3);
    expect(readPeopleSettings({ PEOPLE_DATA_KEY_OLD: old.toString('base64') }).previousDataKey).toEqual(old);
    expect(() => readPeopleSettings({ PEOPLE_DATA_KEY_OLD: Buffer.alloc(31).toString('base64') })).toThrow('PEOPLE_DATA_KEY_OLD: must be 32 bytes');
    const sealed = sealIdNumber(old, PERSON, '11010519491231002X');
    expect(openIdNumberWithAny([KEY, old], PERSON, sealed)).toEqual({ idNumber: '11010519491231002X', keyIndex: 1 });
    expect(openIdNumberWithAny([KEY], PERSON, sealed)).toBeNull();
    // Sealed for another person: opens with neither, as a tampered value.
    expect(openIdNumberWithAny([KEY, old], '00000000-0000-7000-8002-000000000002', sealed)).toBeNull();
  });

  it('reads both keys of a rotation, with no development default and not the same key twice', () => {
    const [oldKey, newKey] = [Buffer.alloc(32, 4), Buffer.alloc(32, 5)];
    expect(readDataKeyRotation({ PEOPLE_DATA_KEY_OLD: oldKey.toString('base64'), PEOPLE_DATA_KEY: newKey.toString('base64') })).toEqual({ oldKey, newKey });
    expect(() => readDataKeyRotation({ PEOPLE_DATA_KEY: newKey.toString('base64') })).toThrow(/^invalid configuration: PEOPLE_DATA_KEY_OLD: /);
    expect(() => readDataKeyRotation({ PEOPLE_DATA_KEY_OLD: oldKey.toString('base64') })).toThrow(/^invalid configuration: PEOPLE_DATA_KEY: /);
    expect(() => readDataKeyRotation({ PEOPLE_DATA_KEY_OLD: oldKey.toString('base64'), PEOPLE_DATA_KEY: oldKey.toString('base64') })).toThrow(
      'PEOPLE_DATA_KEY_OLD: is the same key as PEOPLE_DATA_KEY',
    );
  });
});
