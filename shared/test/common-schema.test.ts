import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { Kind, parse, type EnumTypeDefinitionNode } from 'graphql';
import { USER_ERROR_CODES } from '../src/index.js';

describe('common.graphql', () => {
  it('declares exactly the user-error codes services may return', () => {
    const document = parse(readFileSync(new URL('../schema/common.graphql', import.meta.url), 'utf8'));
    const codes = document.definitions.find(
      (definition): definition is EnumTypeDefinitionNode => definition.kind === Kind.ENUM_TYPE_DEFINITION && definition.name.value === 'UserErrorCode',
    );
    expect(codes?.values?.map((value) => value.name.value)).toEqual([...USER_ERROR_CODES]);
  });
});
