import { describe, expect, it } from '@jest/globals';
import { derivedId, isUuid, newId } from '../src/index.js';

describe('ids', () => {
  it('makes new ids as UUIDv7, so they sort by creation', () => {
    const first = newId();
    expect(isUuid(first)).toBe(true);
    expect(first.charAt(14)).toBe('7');
  });

  it('derives the same UUIDv5 from the same namespace and parts, every time', () => {
    const id = derivedId('HouseholdMember', '00000000-0000-7000-8000-000000000001', '00000000-0000-7000-8000-000000000002', new Date('2026-01-02T03:04:05.006Z'));
    expect(isUuid(id)).toBe(true);
    expect(id.charAt(14)).toBe('5');
    expect(derivedId('HouseholdMember', '00000000-0000-7000-8000-000000000001', '00000000-0000-7000-8000-000000000002', '2026-01-02T03:04:05.006Z')).toBe(id);
    // A fixed value: the namespace must never change, or every id clients cached would.
    expect(derivedId('Category', 'home_repair')).toMatchInlineSnapshot(`"e77ce1db-ed7f-56e9-9e77-edb2a6082220"`);
  });

  it('tells namespaces, parts and their boundaries apart', () => {
    const ids = [
      derivedId('A', 'x'),
      derivedId('B', 'x'),
      derivedId('A', 'y'),
      derivedId('A', 'ab', 'c'),
      derivedId('A', 'a', 'bc'),
      derivedId('A', 1),
      derivedId('A', '1'),
      derivedId('A'),
    ];
    expect(new Set(ids).size).toBe(ids.length);
  });
});
