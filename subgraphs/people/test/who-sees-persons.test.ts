/**
 * Who may see a person at all: anonymous viewers only a team captain's id and
 * display name, merchants nothing, every other signed-in viewer the person.
 * Every field of Person is walked from the schema, so a field added later is
 * covered without touching this file.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Kind, parse, type ObjectTypeDefinitionNode, type TypeNode } from 'graphql';
import { ANONYMOUS, newId, type Viewer } from '@lianxin/shared';
import { DEMO_BUILDING_CAPTAINS, DEMO_GRIDS, DEMO_ORGANIZATIONS, DEMO_REGIONS, DEMO_RESIDENTS, DEMO_TEAM, DEMO_VOLUNTEERS } from '@lianxin/shared/demo';
import { countStatements, startSubgraphHarness, viewerOf, type ExecuteResult, type SubgraphHarness } from '@lianxin/shared/testing';
import type { PeopleContext } from '../src/context.js';
import { peopleSubgraph } from '../src/index.js';
import { maskName } from '../src/privacy/masks.js';
import { personReaderOf } from '../src/privacy/policy.js';

let people: SubgraphHarness<PeopleContext>;

const wang = DEMO_VOLUNTEERS[0]!; // captain of 乐修匠
const MERCHANT_ID = '00000000-0000-7000-8017-000000000001';
const merchant = viewerOf({ roles: ['merchant'], merchantId: MERCHANT_ID, subject: 'till-1' });
const stranger = viewerOf({ roles: ['resident'], personId: DEMO_RESIDENTS[2]!.id });
const admin = viewerOf({ roles: ['platform_admin'] });

beforeAll(async () => {
  people = await startSubgraphHarness(peopleSubgraph);
});
afterAll(async () => {
  await people?.stop();
});

/** Every field of Person in the subgraph's schema, with a selection that reads it. */
function personFields(): { field: string; selection: string }[] {
  const document = parse(readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'));
  const person = document.definitions.find(
    (definition): definition is ObjectTypeDefinitionNode => definition.kind === Kind.OBJECT_TYPE_DEFINITION && definition.name.value === 'Person',
  );
  if (!person?.fields) throw new Error('no Person type in schema.graphql');
  const named = (type: TypeNode): string => (type.kind === Kind.NAMED_TYPE ? type.name.value : named(type.type));
  const leaves = new Set(['ID', 'String', 'Int', 'Boolean', 'Float', 'Date', 'DateTime', 'Gender']);
  return person.fields.map((field) => ({
    field: field.name.value,
    selection: leaves.has(named(field.type)) ? field.name.value : `${field.name.value} { __typename }`,
  }));
}

const codes = (result: ExecuteResult): unknown[] => [...new Set((result.errors ?? []).map((error) => error.extensions?.['code']))];
const teamQuery = (selection: string) => `query ($id: ID!) { team(id: $id) { name memberCount ${selection} } }`;

describe('the public display name', () => {
  it.each([
    ['王建国', '王**'],
    ['张明', '张**'],
    ['欧阳娜娜', '欧**'],
    ['  李四 ', '李**'],
    ['𠮷田花子', '𠮷**'],
    ['Émile Zola', 'É**'],
    ['E\u0301mile', 'E\u0301**'],
  ])('masks %s as %s: one character, never the length', (name, masked) => {
    expect(maskName(name)).toBe(masked);
  });
});

describe('what kind of reader a token is', () => {
  it('treats a till (merchant role, merchant id, no person) as a merchant, whatever other roles it carries', () => {
    expect(personReaderOf(ANONYMOUS)).toBe('anonymous');
    expect(personReaderOf(merchant)).toBe('merchant');
    expect(personReaderOf(viewerOf({ roles: ['merchant', 'platform_admin'], merchantId: MERCHANT_ID, subject: 'till-2' }))).toBe('merchant');
    expect(personReaderOf(stranger)).toBe('signed-in');
    // A shop assistant signed in as themselves is a person, under the rules for persons.
    expect(personReaderOf(viewerOf({ roles: ['merchant', 'volunteer'], merchantId: MERCHANT_ID, personId: wang.id }))).toBe('signed-in');
  });
});

describe('anonymous viewers', () => {
  it('see a team’s member count and its captain’s id and display name, and nothing else of the captain', async () => {
    const result = await people.execute(teamQuery('captain { id displayName }'), { variables: { id: DEMO_TEAM.id } });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ team: { name: DEMO_TEAM.name, memberCount: 30, captain: { id: wang.id, displayName: '王**' } } });
  });

  it.each(personFields().filter(({ field }) => !['id', 'displayName'].includes(field)))('are asked to sign in for the captain’s $field', async ({ field, selection }) => {
    const result = await people.execute(teamQuery(`captain { ${selection} }`), { variables: { id: DEMO_TEAM.id } });
    expect(codes(result)).toEqual(['UNAUTHENTICATED']);
    expect(result.errors?.[0]?.path).toEqual(['team', 'captain', field]);
    expect(JSON.stringify(result.data)).not.toContain(wang.name);
    // The team itself stays readable.
    expect(result.data).toMatchObject({ team: { name: DEMO_TEAM.name, memberCount: 30 } });
  });

  it.each([
    ['Team.members', teamQuery('members(first: 100) { edges { node { id } } }'), { id: DEMO_TEAM.id }, ['team', 'members']],
    ['Grid.worker', 'query ($id: ID!) { grid(id: $id) { name worker { id } } }', { id: DEMO_GRIDS[0]!.id }, ['grid', 'worker']],
    ['Region.buildingCaptain', 'query ($id: ID!) { region(id: $id) { name buildingCaptain { id } } }', { id: DEMO_REGIONS.eastBuilding1.id }, ['region', 'buildingCaptain']],
    ['person', 'query ($id: ID!) { person(id: $id) { id } }', { id: wang.id }, ['person']],
    ['persons', '{ persons(first: 1) { edges { node { id } } } }', {}, ['persons']],
  ] as const)('are asked to sign in at %s', async (_way, query, variables, path) => {
    const result = await people.execute(query, { variables });
    expect(codes(result)).toEqual(['UNAUTHENTICATED']);
    expect(result.errors?.[0]?.path).toEqual(path);
    expect(JSON.stringify(result.data ?? null)).not.toMatch(/"id":"00000000-0000-7000-80(02|41|42|43)/);
  });

  it('get the team with its members null beside the error, not a list that looks empty', async () => {
    const result = await people.execute(teamQuery('members { edges { node { name } } }'), { variables: { id: DEMO_TEAM.id } });
    expect(result.data).toEqual({ team: { name: DEMO_TEAM.name, memberCount: 30, members: null } });
  });
});

describe('merchants', () => {
  it.each(personFields())('are refused the captain’s $field', async ({ selection }) => {
    const result = await people.execute(teamQuery(`captain { ${selection} }`), { variables: { id: DEMO_TEAM.id }, viewer: merchant });
    expect(codes(result)).toEqual(['FORBIDDEN']);
    // Refused at the captain, before any of its fields: a till learns not even the id.
    expect(result.errors?.[0]?.path).toEqual(['team', 'captain']);
    expect(result.data).toEqual({ team: { name: DEMO_TEAM.name, memberCount: 30, captain: null } });
  });

  it.each([
    ['Team.members', teamQuery('members { edges { node { id } } }'), { id: DEMO_TEAM.id }, ['team', 'members']],
    ['Grid.worker', 'query ($id: ID!) { grid(id: $id) { name worker { id } } }', { id: DEMO_GRIDS[0]!.id }, ['grid', 'worker']],
    ['Region.buildingCaptain', 'query ($id: ID!) { region(id: $id) { name buildingCaptain { id } } }', { id: DEMO_REGIONS.eastBuilding1.id }, ['region', 'buildingCaptain']],
    ['person', 'query ($id: ID!) { person(id: $id) { id } }', { id: wang.id }, ['person']],
    ['persons', '{ persons(first: 1) { edges { node { id } } } }', {}, ['persons']],
  ] as const)('are refused %s', async (_way, query, variables, path) => {
    const result = await people.execute(query, { variables, viewer: merchant });
    expect(codes(result)).toEqual(['FORBIDDEN']);
    expect(result.errors?.[0]?.path).toEqual(path);
  });
});

describe('an organisation’s contact person', () => {
  const query = 'query ($id: ID!) { organization(id: $id) { name contactName contactPhone } }';
  it.each([
    ['anonymous viewers', ANONYMOUS],
    ['merchants', merchant],
  ] as const)('is withheld from %s, the organisation itself shown', async (_who, viewer) => {
    const result = await people.execute(query, { variables: { id: DEMO_ORGANIZATIONS[0]!.id }, viewer });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ organization: { name: DEMO_ORGANIZATIONS[0]!.name, contactName: null, contactPhone: null } });
  });

  it('is shown to signed-in persons', async () => {
    const result = await people.execute(query, { variables: { id: DEMO_ORGANIZATIONS[0]!.id }, viewer: stranger });
    expect(result.data).toMatchObject({ organization: { contactName: expect.any(String), contactPhone: expect.stringMatching(/^1\d{10}$/) } });
  });
});

describe('refusals that do not tell whether a person exists', () => {
  const ids = { existing: wang.id, unknown: newId(), malformed: 'not-an-id' };

  it.each([
    ['anonymous', ANONYMOUS, 'UNAUTHENTICATED'],
    ['merchant', merchant, 'FORBIDDEN'],
  ] as const)('answer person(id:) to %s the same for a person, an unknown id and a malformed one', async (_name, viewer: Viewer, code) => {
    const answers = await Promise.all(Object.values(ids).map((id) => people.execute('query ($id: ID!) { person(id: $id) { id } }', { variables: { id }, viewer })));
    for (const answer of answers) {
      expect(answer.data).toEqual({ person: null });
      expect(answer.errors?.map((error) => [error.extensions?.['code'], error.message])).toEqual([[code, answers[0]!.errors![0]!.message]]);
    }
  });

  it.each([
    ['anonymous', ANONYMOUS, 'UNAUTHENTICATED'],
    ['merchant', merchant, 'FORBIDDEN'],
  ] as const)('refuse %s another subgraph’s references to persons before looking them up', async (_name, viewer: Viewer, code) => {
    const { result, count } = await countStatements(people.database, () =>
      people.execute(`query ($r: [_Any!]!) { _entities(representations: $r) { ... on Person { displayName } } }`, {
        variables: { r: Object.values(ids).map((id) => ({ __typename: 'Person', id })) },
        viewer,
      }),
    );
    expect(count).toBe(0);
    expect(result.data).toEqual({ _entities: [null, null, null] });
    expect(result.errors?.map((error) => [error.extensions?.['code'], error.path])).toEqual([
      [code, ['_entities', 0]],
      [code, ['_entities', 1]],
      [code, ['_entities', 2]],
    ]);
  });
});

describe('other signed-in viewers', () => {
  it('keep seeing team members, grid workers and building captains by name, with personal data masked', async () => {
    const result = await people.execute(
      `query ($team: ID!, $grid: ID!, $building: ID!) {
        team(id: $team) { captain { name displayName } members(first: 2) { edges { node { name displayName phone } } } }
        grid(id: $grid) { worker { name } }
        region(id: $building) { buildingCaptain { id name } }
      }`,
      { variables: { team: DEMO_TEAM.id, grid: DEMO_GRIDS[0]!.id, building: DEMO_REGIONS.eastBuilding1.id }, viewer: stranger },
    );
    expect(result.errors).toBeUndefined();
    const data = result.data as {
      team: { captain: { name: string; displayName: string }; members: { edges: { node: { name: string; displayName: string; phone: string } }[] } };
      grid: { worker: { name: string } };
      region: { buildingCaptain: { id: string; name: string } };
    };
    expect(data.team.captain).toEqual({ name: wang.name, displayName: '王**' });
    expect(data.team.members.edges).toHaveLength(2);
    for (const { node } of data.team.members.edges) {
      expect(node.displayName).toBe(maskName(node.name));
      expect(node.phone).toMatch(/^1\d{2}\*{4}\d{4}$/);
    }
    expect(data.grid.worker.name).toBeTruthy();
    expect(data.region.buildingCaptain.id).toBe(DEMO_BUILDING_CAPTAINS[0]!.personId);
  });

  it('resolve references to persons, an unknown one to null with NOT_FOUND at its place', async () => {
    const result = await people.execute(`query ($r: [_Any!]!) { _entities(representations: $r) { ... on Person { displayName } } }`, {
      variables: { r: [wang.id, newId()].map((id) => ({ __typename: 'Person', id })) },
      viewer: admin,
    });
    expect(result.errors?.map((error) => [error.extensions?.['code'], error.path])).toEqual([['NOT_FOUND', ['_entities', 1]]]);
    expect(result.data).toEqual({ _entities: [{ displayName: '王**' }, null] });
  });
});
