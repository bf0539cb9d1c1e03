/** End to end through the gateway: masking per viewer, the access log, a mutation, and household visibility. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_GRID_WORKERS, DEMO_HOUSEHOLDS, DEMO_MORE_VOLUNTEERS, DEMO_REGIONS, DEMO_RESIDENTS, DEMO_VOLUNTEERS, DEMO_XINCHENG_REGIONS } from '@lianxin/shared';
import { startTestGraph, type TestGraph } from './support/graph.js';

let graph: TestGraph;

const wang = DEMO_VOLUNTEERS[0]!; // captain of 乐修匠
const zhang = DEMO_VOLUNTEERS[1]!; // a member of 乐修匠

beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(async () => {
  await graph?.stop();
});

const PERSON = `query ($id: ID!) { person(id: $id) { name phone idNumber teams { name captain { name } } } }`;
type PersonData = { person: { name: string; phone: string; idNumber: string; teams: { name: string; captain: { name: string } }[] } };

describe('masking through the gateway', () => {
  it('shows a volunteer’s phone in full to her captain, masked to a stranger, and her ID number only to herself and platform admins', async () => {
    const captain = await graph.token({ roles: ['volunteer', 'team_captain'], personId: wang.id });
    const stranger = await graph.token({ roles: ['volunteer'], personId: DEMO_MORE_VOLUNTEERS[30]!.id });
    const herself = await graph.token({ roles: ['volunteer'], personId: zhang.id });
    const admin = await graph.token({ roles: ['platform_admin'] });

    const read = async (token: string) => {
      const response = await graph.query<PersonData>(PERSON, { variables: { id: zhang.id }, token });
      expect(response.errors).toBeUndefined();
      return response.data!.person;
    };
    const byCaptain = await read(captain);
    const byStranger = await read(stranger);
    const byHerself = await read(herself);
    const byAdmin = await read(admin);

    expect(byCaptain.teams).toEqual([{ name: '乐修匠服务队', captain: { name: wang.name } }]);
    expect(byCaptain.phone).toMatch(/^1[3-9]\d{9}$/);
    expect(byStranger.phone).toBe(`${byCaptain.phone.slice(0, 3)}****${byCaptain.phone.slice(-4)}`);
    expect(byCaptain.idNumber).toMatch(/^\d{3}\*{11}[\dX]{4}$/);
    expect(byStranger.idNumber).toBe(byCaptain.idNumber);
    expect(byHerself.idNumber).toMatch(/^\d{17}[\dX]$/);
    expect(byAdmin.idNumber).toBe(byHerself.idNumber);
    expect(byHerself.idNumber.slice(-4)).toBe(byCaptain.idNumber.slice(-4));
  });

  it('lists the captain’s and the admin’s reads in the access log, and not the stranger’s or her own', async () => {
    const admin = await graph.token({ roles: ['platform_admin'] });
    const response = await graph.query<{ personalDataAccesses: { edges: { node: { viewerSubject: string; viewer: { name: string } | null; fields: string[] } }[] } }>(
      `query ($subject: ID) { personalDataAccesses(filter: { subject: $subject }, first: 20) { edges { node { viewerSubject viewer { name } fields } } } }`,
      { variables: { subject: zhang.id }, token: admin },
    );
    expect(response.errors).toBeUndefined();
    const nodes = response.data!.personalDataAccesses.edges.map((edge) => edge.node);
    expect(nodes).toEqual(
      expect.arrayContaining([
        { viewerSubject: wang.id, viewer: { name: wang.name }, fields: ['PHONE'] },
        { viewerSubject: 'dev-platform_admin', viewer: null, fields: ['ID_NUMBER', 'PHONE'] },
      ]),
    );
    expect(nodes.map((node) => node.viewerSubject)).not.toContain(zhang.id);
    expect(nodes.map((node) => node.viewerSubject)).not.toContain(DEMO_MORE_VOLUNTEERS[30]!.id);

    const captain = await graph.token({ roles: ['volunteer', 'team_captain'], personId: wang.id });
    const refused = await graph.query(`{ personalDataAccesses { edges { cursor } } }`, { token: captain });
    expect(refused.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  });
});

describe('people mutations through the gateway', () => {
  it('registers a resident and refuses the same ID number twice as a user error', async () => {
    const admin = await graph.token({ roles: ['community_admin'], personId: undefined, regionIds: [DEMO_REGIONS.xingle.id] });
    const mutation = `mutation ($input: PersonRegisterInput!) { personRegister(input: $input) { person { name gender idNumber } userErrors { field code } } }`;
    const input = { name: '端到端居民', idNumber: '11010519491231002X', phone: '13712345678', homeRegion: DEMO_REGIONS.westBuilding1.id };
    const first = await graph.query<{ personRegister: { person: { name: string; gender: string; idNumber: string }; userErrors: unknown[] } }>(mutation, { variables: { input }, token: admin });
    expect(first.errors).toBeUndefined();
    expect(first.data!.personRegister).toEqual({ person: { name: '端到端居民', gender: 'FEMALE', idNumber: '110***********002X' }, userErrors: [] });
    const again = await graph.query<{ personRegister: { person: null; userErrors: unknown[] } }>(mutation, { variables: { input }, token: admin });
    expect(again.data!.personRegister).toEqual({ person: null, userErrors: [{ field: ['input', 'idNumber'], code: 'ALREADY_EXISTS' }] });
  });

  it('refuses to make a team captain of someone who is not a member', async () => {
    const admin = await graph.token({ roles: ['community_admin'], regionIds: [DEMO_REGIONS.xingle.id] });
    const response = await graph.query<{ teamCaptainSet: { team: null; userErrors: unknown[] } }>(
      `mutation ($input: TeamCaptainSetInput!) { teamCaptainSet(input: $input) { team { id } userErrors { field code } } }`,
      { variables: { input: { team: '00000000-0000-7000-8005-000000000001', captain: DEMO_RESIDENTS[0]!.id } }, token: admin },
    );
    expect(response.data!.teamCaptainSet).toEqual({ team: null, userErrors: [{ field: ['input', 'captain'], code: 'INVALID_STATE' }] });
  });
});

describe('households through the gateway', () => {
  const household = DEMO_HOUSEHOLDS[0]!; // an elder living alone in 东院1号楼
  const query = `query ($id: ID!) { household(id: $id) { hardshipLevel specialNeeds members { person { name } } grid { worker { name } } } }`;

  it('shows a household to its member and its grid worker, and to no other resident or admin', async () => {
    const member = await graph.token({ roles: ['resident'], personId: DEMO_RESIDENTS[0]!.id });
    const gridWorker = await graph.token({ roles: ['grid_worker'], personId: DEMO_GRID_WORKERS[0]!.id });
    const neighbour = await graph.token({ roles: ['resident'], personId: DEMO_RESIDENTS[2]!.id });
    const otherAdmin = await graph.token({ roles: ['community_admin'], regionIds: [DEMO_XINCHENG_REGIONS['ziming']!.id] });

    const seen = await graph.query<{ household: { hardshipLevel: string; specialNeeds: string[]; members: { person: { name: string } }[]; grid: { worker: { name: string } } } | null }>(
      query,
      { variables: { id: household.id }, token: member },
    );
    expect(seen.errors).toBeUndefined();
    expect(seen.data!.household).toEqual({
      hardshipLevel: 'SPECIAL_HARDSHIP',
      specialNeeds: ['LIVING_ALONE', 'ELDERLY'],
      members: [{ person: { name: '刘桂芳' } }],
      grid: { worker: { name: DEMO_GRID_WORKERS[0]!.name } },
    });
    expect((await graph.query(query, { variables: { id: household.id }, token: gridWorker })).data).toMatchObject({ household: { hardshipLevel: 'SPECIAL_HARDSHIP' } });
    for (const token of [neighbour, otherAdmin]) {
      const hidden = await graph.query(query, { variables: { id: household.id }, token });
      expect(hidden.errors).toBeUndefined();
      expect(hidden.data).toEqual({ household: null });
    }
  });

  it('lists households to admins only', async () => {
    const volunteer = await graph.token({ roles: ['volunteer'], personId: wang.id });
    const refused = await graph.query(`{ households { totalCount } }`, { token: volunteer });
    expect(refused.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    const admin = await graph.token({ roles: ['community_admin'], regionIds: [DEMO_REGIONS.xingle.id] });
    const listed = await graph.query<{ households: { totalCount: number } }>(`{ households(filter: { specialNeed: LIVING_ALONE }) { totalCount } }`, { token: admin });
    expect(listed.errors).toBeUndefined();
    expect(listed.data!.households.totalCount).toBeGreaterThan(0);
  });
});
