import { describe, expect, it } from '@jest/globals';
import { GraphQLScalarType } from 'graphql';
import { mergeResolvers } from '../src/index.js';

const scalar = new GraphQLScalarType({ name: 'Points' });

describe('mergeResolvers', () => {
  it('merges the maps type by type, each field kept from the module that resolves it', () => {
    const badges = { Query: { badge: () => 'badge' }, Person: { __resolveReference: () => 'ref', badges: () => [] }, Badge: { code: () => 'c' } };
    const tallies = { Person: { serviceTally: () => 'tally' } };
    const offices = { BankUnit: { indicators: () => 'indicators' } };
    const merged = mergeResolvers<Record<string, Record<string, unknown>>>(badges, tallies, offices);
    expect(Object.keys(merged)).toEqual(['Query', 'Person', 'Badge', 'BankUnit']);
    expect(merged['Person']).toEqual({ __resolveReference: badges.Person.__resolveReference, badges: badges.Person.badges, serviceTally: tallies.Person.serviceTally });
    expect(merged['Query']!['badge']).toBe(badges.Query.badge);
  });

  it('leaves the maps it was given as they were', () => {
    const first = { Query: { a: () => 1 } };
    const second = { Query: { b: () => 2 } };
    mergeResolvers<Record<string, object>>(first, second);
    expect(Object.keys(first.Query)).toEqual(['a']);
    expect(Object.keys(second.Query)).toEqual(['b']);
  });

  it('takes enum value maps like any other map, and scalars whole', () => {
    const merged = mergeResolvers<Record<string, unknown>>({ Points: scalar }, { TeamKind: { REPAIR: 'repair' } }, { Team: { kind: () => 'repair' } }, {});
    expect(merged['Points']).toBe(scalar);
    expect(merged['TeamKind']).toEqual({ REPAIR: 'repair' });
  });

  it('skips types a module leaves undefined', () => {
    expect(mergeResolvers<Record<string, object | undefined>>({ Query: undefined }, { Query: { a: 'x' } })).toEqual({ Query: { a: 'x' } });
  });

  it('refuses a field two modules resolve, naming it, rather than let the last one win', () => {
    expect(() => mergeResolvers<Record<string, object>>({ Person: { requests: () => 1 } }, { Person: { requests: () => 2 } })).toThrow('Person.requests is resolved twice');
    expect(() => mergeResolvers<Record<string, object>>({ Person: { __resolveReference: () => 1 } }, { Person: { __resolveReference: () => 2 } })).toThrow(
      'Person.__resolveReference is resolved twice',
    );
  });

  it('refuses a scalar given twice, or a scalar and a map under one name', () => {
    expect(() => mergeResolvers<Record<string, unknown>>({ Points: scalar }, { Points: scalar })).toThrow('Points is given twice');
    expect(() => mergeResolvers<Record<string, unknown>>({ Points: scalar }, { Points: { serialize: () => 1 } })).toThrow('Points is given twice');
  });
});
