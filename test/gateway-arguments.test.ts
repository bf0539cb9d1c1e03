/**
 * Every argument of every root field, and of the fields of a person, given
 * values of the wrong shape or out of range, the way a careless client or
 * a fuzzer would send them: each is the caller's mistake, answered with a
 * coded error or a user error, never a 500. The operations are built from
 * the schema itself, so a field added tomorrow is covered tomorrow.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  buildSchema,
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
} from 'graphql';
import { newId } from '@lianxin/shared';
import { DEMO_SAMPLE_PERSON_ID } from '@lianxin/shared/demo';
import { DEMO_MERCHANTS } from '../subgraphs/points/src/db/demo.js';
import { startTestGraph, type GraphQLResponse, type TestGraph } from './support/graph.js';

/** The composed schema: its root fields and argument types are the API's (the federation directives aside). */
const schema = buildSchema(readFileSync(new URL('../schema/supergraph.graphql', import.meta.url), 'utf8'), { assumeValidSDL: true });

let graph: TestGraph;
/** Who sends the values: a platform admin (past every gate, down to the SQL), a volunteer, a partner till, and no one. */
let tokens: (string | undefined)[];

beforeAll(async () => {
  graph = await startTestGraph();
  tokens = [
    await graph.token({ roles: ['platform_admin'], personId: DEMO_SAMPLE_PERSON_ID }),
    await graph.token({ roles: ['volunteer'], personId: DEMO_SAMPLE_PERSON_ID }),
    await graph.token({ roles: ['merchant'], merchantId: DEMO_MERCHANTS.yonghui.id }),
    undefined,
  ];
});
afterAll(async () => {
  await graph?.stop();
});

/** Values of the wrong shape, or of the right shape and out of any sensible range, per named input type. */
const WRONG: Record<string, unknown[]> = {
  ID: ['not-an-id', '', "' OR 1=1 --", '00000000-0000-0000-0000-000000000000', '{00000000-0000-7000-8002-000000000001}', 'x'.repeat(300)],
  String: ['', ' ', 'x'.repeat(20_000), '\u202e\u0301'],
  Int: [-1, 0, 2_147_483_647],
  Float: [-1e308, 0],
  Boolean: [],
  DateTime: ['not-a-date', '2024-13-45T99:00:00Z', '275760-09-13T00:00:00Z', 1e20, '0001-01-01T00:00:00+14:00', '9999-12-31T23:59:59-12:00'],
  Date: ['2024-02-30', '0000-01-01', 20240101, '1000-01-01'],
  Points: ['abc', 1.5, '1e3', 2 ** 53, -1, 0, Number.MAX_SAFE_INTEGER],
  Money: ['abc', 1.5, 2 ** 53, -1, 0, Number.MAX_SAFE_INTEGER],
};
const WRONG_ENUM = ['NOT_A_VALUE', 1];

/** A value the schema accepts for `type`: what the positions not under test hold. */
function sound(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return sound(type.ofType);
  if (isListType(type)) return [sound(type.ofType)];
  if (isEnumType(type)) return type.getValues()[0]?.value;
  if (isInputObjectType(type)) {
    return Object.fromEntries(
      Object.values(type.getFields())
        .filter((field) => isNonNullType(field.type) && field.defaultValue === undefined)
        .map((field) => [field.name, sound(field.type)]),
    );
  }
  const values: Record<string, unknown> = {
    ID: newId(),
    String: 'x',
    Int: 1,
    Float: 1,
    Boolean: false,
    DateTime: '2024-05-01T09:30:00+08:00',
    Date: '2024-05-01',
    Points: 1,
    Money: 1,
  };
  return values[type.name];
}

/** One place a value can sit: an argument, or an input field inside it, with the wrong values to try there. */
interface Position {
  path: string[];
  wrong: unknown[];
}

function positions(type: GraphQLInputType, path: string[], depth: number): Position[] {
  const named = getNamedType(type);
  if (isInputObjectType(named)) {
    if (depth >= 3) return [];
    return [{ path, wrong: [null, 'text', []] }, ...Object.values(named.getFields()).flatMap((field) => positions(field.type, [...path, field.name], depth + 1))];
  }
  const wrong = isEnumType(named) ? WRONG_ENUM : isScalarType(named) ? (WRONG[named.name] ?? ['x']) : [];
  // A list position also gets a bare value and a list of the wrong values.
  const listed = isListType(getNullableType(type)) ? [sound(named), wrong] : [];
  return [{ path, wrong: [...wrong, ...listed] }];
}

function setAt(target: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
  const [head, ...rest] = path;
  if (head === undefined) return target;
  if (rest.length === 0) return { ...target, [head]: value };
  const inner = target[head];
  return { ...target, [head]: setAt(typeof inner === 'object' && inner !== null && !Array.isArray(inner) ? (inner as Record<string, unknown>) : {}, rest, value) };
}

/** The document calling `field` (on the sample person when `onPerson`) with one variable per argument, selecting only `__typename` (or nothing, for leaves). */
function documentFor(operation: 'query' | 'mutation', field: GraphQLField<unknown, unknown>, onPerson: boolean): string {
  const declared = [...field.args.map((arg) => `$${arg.name}: ${String(arg.type)}`), ...(onPerson ? ['$person: ID!'] : [])];
  const args = field.args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  const call = `${field.name}(${args})${isLeafType(getNamedType(field.type)) ? '' : ' { __typename }'}`;
  return `${operation} (${declared.join(', ')}) { ${onPerson ? `person(id: $person) { ${call} }` : call} }`;
}

function soundArguments(args: readonly GraphQLArgument[]): Record<string, unknown> {
  return Object.fromEntries(args.filter((arg) => isNonNullType(arg.type) || arg.name === 'input').map((arg) => [arg.name, sound(arg.type)]));
}

interface Target {
  name: string;
  operation: 'query' | 'mutation';
  field: GraphQLField<unknown, unknown>;
  onPerson: boolean;
}

/** Internal failures in a response: a 500 or any INTERNAL_SERVER_ERROR. */
function failures(response: GraphQLResponse): string[] {
  const codes = (response.errors ?? []).map((error) => String(error.extensions?.['code']));
  return response.status >= 500 || codes.includes('INTERNAL_SERVER_ERROR') ? [`${response.status} ${JSON.stringify(response.errors)}`] : [];
}

async function tryEverything(target: Target): Promise<string[]> {
  const { field } = target;
  const base = soundArguments(field.args);
  const document = documentFor(target.operation, field, target.onPerson);
  const found: string[] = [];
  const cases = field.args.flatMap((arg) => positions(arg.type, [arg.name], 0));
  for (const token of tokens) {
    for (const { path, wrong } of cases) {
      for (const value of wrong) {
        const variables = { ...setAt(base, path, value), ...(target.onPerson ? { person: DEMO_SAMPLE_PERSON_ID } : {}) };
        const response = await graph.query(document, { variables, token });
        for (const failure of failures(response)) found.push(`${path.join('.')} = ${JSON.stringify(value)?.slice(0, 60)}: ${failure}`);
      }
    }
  }
  return found;
}

/** Fields with arguments: the root fields, and a person's (reached through the sample person). */
const withArguments = (fields: Record<string, GraphQLField<unknown, unknown>>) => Object.values(fields).filter((field) => field.args.length > 0 && !field.name.startsWith('_'));
const targets: Target[] = [
  ...withArguments(schema.getQueryType()!.getFields()).map((field) => ({ name: `Query.${field.name}`, operation: 'query' as const, field, onPerson: false })),
  ...withArguments(schema.getMutationType()!.getFields()).map((field) => ({ name: `Mutation.${field.name}`, operation: 'mutation' as const, field, onPerson: false })),
  ...withArguments((schema.getType('Person') as GraphQLObjectType).getFields()).map((field) => ({
    name: `Person.${field.name}`,
    operation: 'query' as const,
    field,
    onPerson: true,
  })),
];

describe('wrong values in every argument', () => {
  it.each(targets.map((target) => [target.name, target] as const))('%s answers each as the caller’s mistake', async (_name, target) => {
    expect(await tryEverything(target)).toEqual([]);
  });

  it('covers the graph: every root field and every person field with arguments', () => {
    expect(targets.length).toBeGreaterThan(100);
  });
});
