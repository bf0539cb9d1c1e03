import { describe, expect, it } from '@jest/globals';
import { graphql, parse } from 'graphql';
import { enumInternalValues, mergeResolvers, subgraphSchema } from '../src/index.js';

const SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  "Hardship levels."
  enum HardshipLevel {
    ORDINARY
    LOW_INCOME
    SPECIAL_HARDSHIP
  }

  "Arrives raw from another subgraph."
  enum Tier {
    ORDINARY
    REDUCED
  }

  "Where the mapping is not the name in lower case."
  enum Window {
    ALWAYS_OPEN
    FIRST_WEEKEND
  }

  extend enum UserErrorCode {
    OUT_OF_STOCK
  }

  enum UserErrorCode {
    INVALID
  }

  type Query {
    "Echoes a level."
    level(level: HardshipLevel!): HardshipLevel!
    "Levels as stored."
    stored: [HardshipLevel!]!
    "A value the schema does not have."
    broken: HardshipLevel
    "Arguments left to their defaults."
    defaulted(level: HardshipLevel = LOW_INCOME, filter: Filter = { levels: [ORDINARY] }): String!
  }

  "Levels to match."
  input Filter {
    "The levels."
    levels: [HardshipLevel!]! = [SPECIAL_HARDSHIP]
  }
`;

describe('enum internal values', () => {
  it('are the GraphQL names in lower case, for the enums the SDL defines', () => {
    expect(enumInternalValues(SDL, { keepNames: ['Tier', 'UserErrorCode'], overrides: { Window: { FIRST_WEEKEND: 'first_weekend_of_month' } } })).toEqual({
      HardshipLevel: { ORDINARY: 'ordinary', LOW_INCOME: 'low_income', SPECIAL_HARDSHIP: 'special_hardship' },
      Window: { ALWAYS_OPEN: 'always_open', FIRST_WEEKEND: 'first_weekend_of_month' },
    });
  });

  it('leave out enum extensions: the values another schema defines keep their names', () => {
    const values = enumInternalValues('enum Kind { A }\nextend enum UserErrorCode { OUT_OF_STOCK }');
    expect(values).toEqual({ Kind: { A: 'a' } });
  });

  it('refuse an override or a kept name the schema does not have, which would hide a rename', () => {
    expect(() => enumInternalValues(SDL, { overrides: { Window: { FIRST_WEEKEND_OF_MONTH: 'x' } } })).toThrow('Window.FIRST_WEEKEND_OF_MONTH');
    expect(() => enumInternalValues(SDL, { overrides: { Gone: { A: 'a' } } })).toThrow('Gone.A');
    expect(() => enumInternalValues(SDL, { keepNames: ['Tiers'] })).toThrow('Tiers');
  });

  describe('given to a subgraph schema among the resolvers', () => {
    const received: string[] = [];
    const schema = subgraphSchema(
      parse(SDL),
      mergeResolvers<Record<string, object>>(enumInternalValues(SDL), {
        Query: {
          level: (_parent: unknown, args: { level: string }) => {
            received.push(args.level);
            return args.level;
          },
          stored: () => ['special_hardship', 'ordinary'],
          broken: () => 'LOW_INCOME',
          defaulted: (_parent: unknown, args: { level: string; filter: { levels: string[] } }) => `${args.level} ${args.filter.levels.join(',')}`,
        },
      }),
    );
    const run = (source: string, variableValues?: Record<string, unknown>) => graphql({ schema, source, variableValues });

    it('turn stored values into GraphQL names on the way out', async () => {
      expect((await run('{ stored }')).data).toEqual({ stored: ['SPECIAL_HARDSHIP', 'ORDINARY'] });
    });

    it('hand resolvers the stored value for an argument, literal or variable', async () => {
      received.length = 0;
      expect((await run('{ level(level: LOW_INCOME) }')).data).toEqual({ level: 'LOW_INCOME' });
      expect((await run('query ($l: HardshipLevel!) { level(level: $l) }', { l: 'SPECIAL_HARDSHIP' })).data).toEqual({ level: 'SPECIAL_HARDSHIP' });
      expect(received).toEqual(['low_income', 'special_hardship']);
    });

    it('hand resolvers the stored value for a default the SDL writes, as for any other argument', async () => {
      expect((await run('{ defaulted }')).data).toEqual({ defaulted: 'low_income ordinary' });
      expect((await run('{ defaulted(filter: {}) }')).data).toEqual({ defaulted: 'low_income special_hardship' });
    });

    it('refuse a stored value as input, so the wire speaks only GraphQL names', async () => {
      const literal = await run('{ level(level: low_income) }');
      expect(literal.errors?.[0]?.message).toMatch(/Value "low_income" does not exist in "HardshipLevel" enum/);
      const variable = await run('query ($l: HardshipLevel!) { level(level: $l) }', { l: 'low_income' });
      expect(variable.errors?.[0]?.message).toMatch(/Value "low_income" does not exist in "HardshipLevel" enum/);
    });

    it('fail a field whose resolver returns a GraphQL name instead of a stored value', async () => {
      const result = await run('{ broken }');
      expect(result.data).toEqual({ broken: null });
      expect(result.errors?.[0]?.message).toMatch(/Enum "HardshipLevel" cannot represent value: "LOW_INCOME"/);
    });
  });
});
