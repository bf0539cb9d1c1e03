import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_REGIONS, DEMO_TEAM, DEMO_VOLUNTEERS } from '@lianxin/shared/demo';
import { countStatements, startSubgraphHarness, viewerOf, type SubgraphHarness } from '@lianxin/shared/testing';
import { peopleSubgraph } from '../src/index.js';
import type { PeopleContext } from '../src/context.js';

let people: SubgraphHarness<PeopleContext>;
const admin = viewerOf({ roles: ['platform_admin'] });
const resident = viewerOf({ roles: ['resident'], personId: DEMO_VOLUNTEERS[3]!.id });

beforeAll(async () => {
  people = await startSubgraphHarness(peopleSubgraph);
});
afterAll(async () => {
  await people?.stop();
});

describe('regions', () => {
  it('walks the tree from a province down to the compounds of Xingle community', async () => {
    const { data, errors } = await people.execute(`query ($id: ID!) { region(id: $id) { name kind parent { name kind } children { name kind } } }`, {
      variables: { id: DEMO_REGIONS.xingle.id },
    });
    expect(errors).toBeUndefined();
    expect(data).toEqual({
      region: {
        name: '兴乐社区',
        kind: 'COMMUNITY',
        parent: { name: '西一路街道', kind: 'STREET' },
        children: [
          { name: '兴乐东院', kind: 'COMPOUND' },
          { name: '兴乐北院', kind: 'COMPOUND' },
          { name: '兴乐西院', kind: 'COMPOUND' },
        ],
      },
    });
  });

  it('lists the roots, and the children of a parent, as connections', async () => {
    const roots = await people.execute(`{ regions { edges { node { name } } pageInfo { hasNextPage } } }`);
    expect(roots.data).toEqual({
      regions: { edges: [{ node: { name: '四川省' } }, { node: { name: '山东省' } }, { node: { name: '陕西省' } }], pageInfo: { hasNextPage: false } },
    });

    const first = await people.execute(`query ($parent: ID) { regions(parent: $parent, first: 1) { edges { node { name } } pageInfo { hasNextPage endCursor } } }`, {
      variables: { parent: DEMO_REGIONS.xingle.id },
    });
    const page = (first.data as { regions: { pageInfo: { hasNextPage: boolean; endCursor: string } } }).regions;
    expect(page.pageInfo.hasNextPage).toBe(true);
    const second = await people.execute(
      `query ($parent: ID, $after: String) { regions(parent: $parent, first: 5, after: $after) { edges { node { name } } pageInfo { hasNextPage hasPreviousPage } } }`,
      { variables: { parent: DEMO_REGIONS.xingle.id, after: page.pageInfo.endCursor } },
    );
    expect(second.data).toEqual({
      regions: { edges: [{ node: { name: '兴乐北院' } }, { node: { name: '兴乐西院' } }], pageInfo: { hasNextPage: false, hasPreviousPage: true } },
    });
  });

  it('refuses a malformed id or cursor with BAD_USER_INPUT, not a database error', async () => {
    const badId = await people.execute(`{ region(id: "1; drop table people.regions") { name } }`);
    expect(badId.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    const badCursor = await people.execute(`{ regions(after: "not-a-cursor") { edges { cursor } } }`);
    expect(badCursor.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    const tooMany = await people.execute(`{ regions(first: 1000) { edges { cursor } } }`);
    expect(tooMany.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
  });
});

describe('persons', () => {
  it('shows a person to a signed-in viewer and asks anonymous callers to sign in', async () => {
    const query = `query ($id: ID!) { person(id: $id) { name homeRegion { name } teams { name } } }`;
    const variables = { id: DEMO_VOLUNTEERS[0]!.id };
    const signedIn = await people.execute(query, { variables, viewer: resident });
    expect(signedIn.data).toEqual({ person: { name: '王建国', homeRegion: { name: '东院1号楼' }, teams: [{ name: '乐修匠服务队' }] } });
    const anonymous = await people.execute(query, { variables });
    expect(anonymous.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  });

  it('pages through everyone for staff, with a total, and refuses residents', async () => {
    const query = `query ($after: String) { persons(first: 10, after: $after) { totalCount edges { node { id } } pageInfo { hasNextPage endCursor } } }`;
    type Page = { persons: { totalCount: number; edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } };
    const seen: string[] = [];
    let after: string | null = null;
    let total: number;
    do {
      const { data, errors } = await people.execute(query, { variables: { after }, viewer: admin });
      expect(errors).toBeUndefined();
      const page = (data as Page).persons;
      total = page.totalCount;
      seen.push(...page.edges.map((edge) => edge.node.id));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    expect(total).toBeGreaterThanOrEqual(DEMO_VOLUNTEERS.length);

    const refused = await people.execute(query, { variables: { after: null }, viewer: resident });
    expect(refused.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  });
});

describe('federation contract', () => {
  it('resolves a batch of Person references in one statement, in the order asked, with null and NOT_FOUND for unknown ids', async () => {
    const ids = [DEMO_VOLUNTEERS[2]!.id, '00000000-0000-7000-8000-00000000dead', DEMO_VOLUNTEERS[0]!.id, 'not-a-uuid'];
    const { result, count } = await countStatements(people.database, () =>
      people.execute(`query ($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id name } } }`, {
        variables: { r: ids.map((id) => ({ __typename: 'Person', id })) },
        viewer: admin,
      }),
    );
    // A reference nobody here knows dangles: its own entry is null, with an error at its path for the gateway to pass on.
    // Errors come in the order the references resolve: a malformed id needs no SQL and fails first.
    const errors = result.errors?.map((error) => ({ path: error.path, code: error.extensions?.['code'] }));
    expect(errors?.sort((a, b) => String(a.path).localeCompare(String(b.path)))).toEqual([
      { path: ['_entities', 1], code: 'NOT_FOUND' },
      { path: ['_entities', 3], code: 'NOT_FOUND' },
    ]);
    expect(result.data).toEqual({
      _entities: [{ id: DEMO_VOLUNTEERS[2]!.id, name: DEMO_VOLUNTEERS[2]!.name }, null, { id: DEMO_VOLUNTEERS[0]!.id, name: '王建国' }, null],
    });
    expect(count).toBe(1);
  });

  it('lists a team with its members without one query per member', async () => {
    const query = `query ($id: ID!, $first: Int) { team(id: $id) { name community { name } members(first: $first) { edges { role node { name homeRegion { name } } } } } }`;
    const few = await countStatements(people.database, () => people.execute(query, { variables: { id: DEMO_TEAM.id, first: 2 }, viewer: resident }));
    const many = await countStatements(people.database, () => people.execute(query, { variables: { id: DEMO_TEAM.id, first: 12 }, viewer: resident }));
    expect(many.result.errors).toBeUndefined();
    const members = (many.result.data as { team: { members: { edges: { role: string }[] } } }).team.members.edges;
    expect(members).toHaveLength(12);
    expect(members[0]?.role).toBe('CAPTAIN');
    expect(many.count).toBe(few.count);
  });
});
