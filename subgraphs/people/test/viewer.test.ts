import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_REGIONS, DEMO_VOLUNTEERS } from '@lianxin/shared/demo';
import { countStatements, startSubgraphHarness, viewerOf, type SubgraphHarness } from '@lianxin/shared/testing';
import { peopleSubgraph } from '../src/index.js';
import type { PeopleContext } from '../src/context.js';

let people: SubgraphHarness<PeopleContext>;
const volunteer = viewerOf({ roles: ['volunteer', 'team_captain'], personId: DEMO_VOLUNTEERS[0]!.id });
const communityAdmin = viewerOf({ roles: ['community_admin'], regionIds: [DEMO_REGIONS.xingle.id, DEMO_REGIONS.xiyilu.id] });
const till = viewerOf({ roles: ['merchant'], merchantId: '00000000-0000-7000-8999-000000000001', subject: 'till-client-1' });

const ME = `{ me { id roles regionScope { name kind } person { id name } } }`;

beforeAll(async () => {
  people = await startSubgraphHarness(peopleSubgraph);
});
afterAll(async () => {
  await people?.stop();
});

describe('me', () => {
  it('is null for an anonymous caller', async () => {
    expect(await people.execute(ME)).toEqual({ data: { me: null } });
  });

  it('names a volunteer, their roles and their person', async () => {
    const { data, errors } = await people.execute(ME, { viewer: volunteer });
    expect(errors).toBeUndefined();
    expect(data).toEqual({ me: { id: DEMO_VOLUNTEERS[0]!.id, roles: ['VOLUNTEER', 'TEAM_CAPTAIN'], regionScope: [], person: { id: DEMO_VOLUNTEERS[0]!.id, name: '王建国' } } });
  });

  it('shows an admin the regions of their scope, in the token’s order, leaving out ids the tree does not hold', async () => {
    const scoped = viewerOf({ ...communityAdmin, regionIds: [...communityAdmin.regionIds, '00000000-0000-7000-8001-0000000fffff', 'not-a-uuid'] });
    const { data, errors } = await people.execute(ME, { viewer: scoped });
    expect(errors).toBeUndefined();
    expect(data).toEqual({
      me: {
        id: communityAdmin.subject,
        roles: ['COMMUNITY_ADMIN'],
        regionScope: [
          { name: '兴乐社区', kind: 'COMMUNITY' },
          { name: '西一路街道', kind: 'STREET' },
        ],
        person: null,
      },
    });
  });

  it('gives a merchant’s till its subject and roles but no person', async () => {
    const { data, errors } = await people.execute(ME, { viewer: till });
    expect(errors).toBeUndefined();
    expect(data).toEqual({ me: { id: 'till-client-1', roles: ['MERCHANT'], regionScope: [], person: null } });
  });

  it('reads the scope in one statement however many regions it names', async () => {
    const all = Object.values(DEMO_REGIONS).map((region) => region.id);
    const query = `{ me { regionScope { id } } }`;
    const few = await countStatements(people.database, () => people.execute(query, { viewer: viewerOf({ roles: ['station_admin'], regionIds: all.slice(0, 1) }) }));
    const many = await countStatements(people.database, () => people.execute(query, { viewer: viewerOf({ roles: ['station_admin'], regionIds: all }) }));
    expect(many.result.data).toEqual({ me: { regionScope: all.map((id) => ({ id })) } });
    expect(many.count).toBe(few.count);
  });
});

describe('Viewer references', () => {
  const ENTITIES = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Viewer { id roles person { name } } } }`;

  it('resolve for the viewer themself only: another subject’s Viewer is null', async () => {
    const representations = [
      { __typename: 'Viewer', id: DEMO_VOLUNTEERS[0]!.id },
      { __typename: 'Viewer', id: DEMO_VOLUNTEERS[1]!.id },
      { __typename: 'Viewer', id: communityAdmin.subject },
    ];
    const { data, errors } = await people.execute(ENTITIES, { variables: { r: representations }, viewer: volunteer });
    expect(errors).toBeUndefined();
    expect(data).toEqual({ _entities: [{ id: DEMO_VOLUNTEERS[0]!.id, roles: ['VOLUNTEER', 'TEAM_CAPTAIN'], person: { name: '王建国' } }, null, null] });
  });

  it('resolve to null for an anonymous caller, whatever the id', async () => {
    const { data, errors } = await people.execute(ENTITIES, { variables: { r: [{ __typename: 'Viewer', id: DEMO_VOLUNTEERS[0]!.id }] } });
    expect(errors).toBeUndefined();
    expect(data).toEqual({ _entities: [null] });
  });
});
