import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { Kind, parse } from 'graphql';
import { USER_ERROR_CODES } from '@lianxin/shared';
import { PEOPLE_ERROR_CODES } from '../src/errors.js';

/** The values this subgraph's schema adds to UserErrorCode. */
function extendedCodes(): string[] {
  const document = parse(readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'));
  return document.definitions.flatMap((definition) =>
    definition.kind === Kind.ENUM_TYPE_EXTENSION && definition.name.value === 'UserErrorCode' ? (definition.values ?? []).map((value) => value.name.value) : [],
  );
}

describe("the people subgraph's own user-error codes", () => {
  it('are exactly the values its schema adds to UserErrorCode', () => {
    expect(extendedCodes()).toEqual([...PEOPLE_ERROR_CODES]);
  });

  it('are none of the common codes, which every subgraph declares already', () => {
    expect(PEOPLE_ERROR_CODES.filter((code) => (USER_ERROR_CODES as readonly string[]).includes(code))).toEqual([]);
  });
});
