/** Teams at district and town level, team alliances (志愿服务联盟), government and trade-union organisations, compounds without property management. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { count, sql } from 'drizzle-orm';
import { rowsOf, type Viewer } from '@lianxin/shared';
import { DEMO_REGIONS, DEMO_TEAM, DEMO_XINCHENG_REGIONS } from '@lianxin/shared/demo';
import { startSubgraphHarness, viewerOf, type SubgraphHarness } from '@lianxin/shared/testing';
import type { PeopleContext } from '../src/context.js';
import { demoIdNumber } from '../src/db/demo.js';
import { allianceTeams, alliances, guardianConsents } from '../src/db/schema.js';
import { peopleSubgraph } from '../src/index.js';
import { runMutation, type MutationPayload } from './support.js';

let people: SubgraphHarness<PeopleContext>;

const district = DEMO_REGIONS.xincheng.id;
const street = DEMO_REGIONS.xiyilu.id;
const xingle = DEMO_REGIONS.xingle.id;
const otherStreet = DEMO_XINCHENG_REGIONS['changleZhonglu']!.id;
const ziming = DEMO_XINCHENG_REGIONS['ziming']!.id;

const as = {
  platformAdmin: viewerOf({ roles: ['platform_admin'] }),
  districtAdmin: viewerOf({ roles: ['community_admin'], regionIds: [district] }),
  streetAdmin: viewerOf({ roles: ['station_admin'], regionIds: [street] }),
  xingleAdmin: viewerOf({ roles: ['community_admin'], regionIds: [xingle] }),
  zimingAdmin: viewerOf({ roles: ['community_admin'], regionIds: [ziming] }),
  volunteer: viewerOf({ roles: ['volunteer'], personId: '00000000-0000-4000-8000-00000000beef' }),
};

type Payload = MutationPayload;

const mutate = (name: string, selection: string, input: Record<string, unknown>, viewer?: Viewer): Promise<Payload> => runMutation(people, name, selection, input, viewer);

const codes = (payload: Payload & { topLevel?: unknown }): unknown => payload.topLevel ?? payload.userErrors.map((error) => [error.field, error.code]);

beforeAll(async () => {
  people = await startSubgraphHarness(peopleSubgraph);
});
afterAll(async () => {
  await people?.stop();
});

describe('teamCreate at every level', () => {
  it('founds a district-level team by a district admin, a town-level one by the street’s admin, a community one as before', async () => {
    const made = await mutate(
      'teamCreate',
      'team { name kind level community { id } }',
      { name: '特殊需求关爱专业队一队', kind: 'SPECIAL_NEEDS', community: district },
      as.districtAdmin,
    );
    expect(made).toEqual({ team: { name: '特殊需求关爱专业队一队', kind: 'SPECIAL_NEEDS', level: 'DISTRICT', community: { id: district } }, userErrors: [] });
    expect(await mutate('teamCreate', 'team { level }', { name: '街道关爱队', community: street }, as.streetAdmin)).toEqual({ team: { level: 'TOWN' }, userErrors: [] });
    expect(await mutate('teamCreate', 'team { level }', { name: '社区关爱队', community: xingle }, as.xingleAdmin)).toEqual({ team: { level: 'COMMUNITY' }, userErrors: [] });
    const existing = await people.execute(`query ($id: ID!) { team(id: $id) { level } }`, { variables: { id: DEMO_TEAM.id } });
    expect(existing.data).toEqual({ team: { level: 'COMMUNITY' } });
  });

  it('refuses a region above the admin’s scope, a region no team belongs to, and non-admins', async () => {
    expect(codes(await mutate('teamCreate', 'team { id }', { name: '越权队', community: district }, as.streetAdmin))).toEqual([[['input', 'community'], 'NOT_ALLOWED']]);
    expect(codes(await mutate('teamCreate', 'team { id }', { name: '越权队', community: otherStreet }, as.streetAdmin))).toEqual([[['input', 'community'], 'NOT_ALLOWED']]);
    expect(codes(await mutate('teamCreate', 'team { id }', { name: '越权队', community: street }, as.xingleAdmin))).toEqual([[['input', 'community'], 'NOT_ALLOWED']]);
    for (const region of [DEMO_REGIONS.xian.id, DEMO_REGIONS.xingleCompoundEast.id, DEMO_REGIONS.eastBuilding1.id]) {
      expect(codes(await mutate('teamCreate', 'team { id }', { name: '无处安放队', community: region }, as.platformAdmin))).toEqual([[['input', 'community'], 'INVALID']]);
    }
    expect(codes(await mutate('teamCreate', 'team { id }', { name: '无名队', community: 'not-an-id' }, as.districtAdmin))).toEqual([[['input', 'community'], 'INVALID']]);
    expect(codes(await mutate('teamCreate', 'team { id }', { name: '无名队', community: district }, as.volunteer))).toBe('FORBIDDEN');
  });
});

describe('alliances', () => {
  it('gathers teams of its region, a team in several, and lists them both ways', async () => {
    const founded = await mutate(
      'allianceCreate',
      'alliance { id name region { id } description }',
      { name: '学雷锋志愿服务联盟', region: district, description: '全区学雷锋队伍' },
      as.districtAdmin,
    );
    expect(founded).toEqual({ alliance: { id: expect.any(String), name: '学雷锋志愿服务联盟', region: { id: district }, description: '全区学雷锋队伍' }, userErrors: [] });
    const allianceId = (founded['alliance'] as { id: string }).id;
    const second = (await mutate('allianceCreate', 'alliance { id }', { name: '西一路街道志愿联盟', region: street }, as.streetAdmin))['alliance'] as { id: string };
    expect(codes(await mutate('allianceCreate', 'alliance { id }', { name: '学雷锋志愿服务联盟', region: district }, as.districtAdmin))).toEqual([
      [['input', 'name'], 'ALREADY_EXISTS'],
    ]);

    expect(await mutate('allianceTeamAdd', 'alliance { id }', { alliance: allianceId, team: DEMO_TEAM.id }, as.districtAdmin)).toEqual({
      alliance: { id: allianceId },
      userErrors: [],
    });
    expect(await mutate('allianceTeamAdd', 'alliance { id }', { alliance: second.id, team: DEMO_TEAM.id }, as.streetAdmin)).toEqual({
      alliance: { id: second.id },
      userErrors: [],
    });
    expect(codes(await mutate('allianceTeamAdd', 'alliance { id }', { alliance: allianceId, team: DEMO_TEAM.id }, as.districtAdmin))).toEqual([
      [['input', 'team'], 'ALREADY_EXISTS'],
    ]);

    const listed = await people.execute(
      `query ($id: ID!, $team: ID!) { alliance(id: $id) { memberTeams { totalCount edges { node { id } } } } team(id: $team) { alliances { name } } }`,
      { variables: { id: allianceId, team: DEMO_TEAM.id } },
    );
    const { alliance, team } = listed.data as { alliance: unknown; team: { alliances: { name: string }[] } };
    expect(alliance).toEqual({ memberTeams: { totalCount: 1, edges: [{ node: { id: DEMO_TEAM.id } }] } });
    // 乐修匠 is in the demo's district alliance too.
    expect(team.alliances.map((joined) => joined.name).sort()).toEqual(['学雷锋志愿服务联盟', '新城区学雷锋志愿服务联盟', '西一路街道志愿联盟'].sort());
    const inStreet = await people.execute(`query ($r: ID) { alliances(region: $r) { totalCount edges { node { name } } } }`, { variables: { r: street } });
    expect(inStreet.data).toEqual({ alliances: { totalCount: 1, edges: [{ node: { name: '西一路街道志愿联盟' } }] } });

    expect(await mutate('allianceTeamRemove', 'alliance { id }', { alliance: second.id, team: DEMO_TEAM.id }, as.streetAdmin)).toEqual({
      alliance: { id: second.id },
      userErrors: [],
    });
    expect(codes(await mutate('allianceTeamRemove', 'alliance { id }', { alliance: second.id, team: DEMO_TEAM.id }, as.streetAdmin))).toEqual([[['input', 'team'], 'NOT_FOUND']]);
  });

  it('refuses teams outside its region, admins outside it, bad input, and writes nothing when refused', async () => {
    const streetAlliance = (await mutate('allianceCreate', 'alliance { id }', { name: '兴乐小联盟', region: xingle }, as.xingleAdmin))['alliance'] as { id: string };
    const zimingTeam = (await mutate('teamCreate', 'team { id }', { name: '紫铭服务队', community: ziming }, as.platformAdmin))['team'] as { id: string };
    const [before] = await people.database.db.select({ n: count() }).from(allianceTeams);
    expect(codes(await mutate('allianceTeamAdd', 'alliance { id }', { alliance: streetAlliance.id, team: zimingTeam.id }, as.platformAdmin))).toEqual([
      [['input', 'team'], 'NOT_ALLOWED'],
    ]);
    expect(codes(await mutate('allianceTeamAdd', 'alliance { id }', { alliance: streetAlliance.id, team: DEMO_TEAM.id }, as.zimingAdmin))).toEqual([
      [['input', 'alliance'], 'NOT_ALLOWED'],
    ]);
    expect(codes(await mutate('allianceTeamAdd', 'alliance { id }', { alliance: streetAlliance.id, team: 'x' }, as.xingleAdmin))).toEqual([[['input', 'team'], 'INVALID']]);
    expect(codes(await mutate('allianceTeamAdd', 'alliance { id }', { alliance: '00000000-0000-4000-8000-000000000000', team: DEMO_TEAM.id }, as.xingleAdmin))).toEqual([
      [['input', 'alliance'], 'NOT_FOUND'],
    ]);
    expect(codes(await mutate('allianceTeamAdd', 'alliance { id }', { alliance: streetAlliance.id, team: DEMO_TEAM.id }, as.volunteer))).toBe('FORBIDDEN');
    const [after] = await people.database.db.select({ n: count() }).from(allianceTeams);
    expect(after).toEqual(before);
    // The database holds the rule too: a member row outside the alliance's region is refused by its trigger.
    await expect(people.database.db.insert(allianceTeams).values({ allianceId: streetAlliance.id, teamId: zimingTeam.id, addedBy: 'test' })).rejects.toThrow();

    const [alliancesBefore] = await people.database.db.select({ n: count() }).from(alliances);
    expect(codes(await mutate('allianceCreate', 'alliance { id }', { name: '越权联盟', region: district }, as.xingleAdmin))).toEqual([[['input', 'region'], 'NOT_ALLOWED']]);
    expect(codes(await mutate('allianceCreate', 'alliance { id }', { name: '  ', region: xingle }, as.xingleAdmin))).toEqual([[['input', 'name'], 'REQUIRED']]);
    expect(codes(await mutate('allianceCreate', 'alliance { id }', { name: '长'.repeat(101), region: xingle }, as.xingleAdmin))).toEqual([[['input', 'name'], 'INVALID']]);
    expect(codes(await mutate('allianceCreate', 'alliance { id }', { name: '联盟', region: xingle, description: '长'.repeat(2001) }, as.xingleAdmin))).toEqual([
      [['input', 'description'], 'INVALID'],
    ]);
    const [alliancesAfter] = await people.database.db.select({ n: count() }).from(alliances);
    expect(alliancesAfter).toEqual(alliancesBefore);
  });
});

describe('organisation kinds', () => {
  it('registers a government department and a trade union, and filters by them', async () => {
    for (const [name, kind] of [
      ['新城区退役军人事务局', 'GOVERNMENT_DEPARTMENT'],
      ['新城区教育工会', 'TRADE_UNION'],
    ] as const) {
      expect(await mutate('organizationCreate', 'organization { name kind }', { name, kind, region: district }, as.platformAdmin)).toEqual({
        organization: { name, kind },
        userErrors: [],
      });
    }
    const unions = await people.execute(`{ organizations(filter: { kind: TRADE_UNION }) { edges { node { name kind } } } }`);
    const names = (unions.data as { organizations: { edges: { node: { name: string; kind: string } }[] } }).organizations.edges.map((edge) => edge.node);
    expect(names).toContainEqual({ name: '新城区教育工会', kind: 'TRADE_UNION' });
    expect(names.every((node) => node.kind === 'TRADE_UNION')).toBe(true);
  });
});

describe('compounds without property management', () => {
  const compound = DEMO_REGIONS.xingleCompoundWest.id;

  it('are flagged by admins of their scope and found by the flag', async () => {
    expect(await mutate('regionPropertyManagementSet', 'region { id noPropertyManagement }', { compound, noPropertyManagement: true }, as.xingleAdmin)).toEqual({
      region: { id: compound, noPropertyManagement: true },
      userErrors: [],
    });
    const found = await people.execute(`query ($w: ID) { regionSearch(filter: { within: $w, noPropertyManagement: true }) { edges { node { name } } } }`, {
      variables: { w: xingle },
    });
    expect(found.data).toEqual({ regionSearch: { edges: [{ node: { name: '兴乐西院' } }] } });
    const others = await people.execute(`query ($w: ID) { regionSearch(filter: { within: $w, noPropertyManagement: false }) { edges { node { name } } } }`, {
      variables: { w: xingle },
    });
    expect(others.data).toEqual({ regionSearch: { edges: [{ node: { name: '兴乐东院' } }, { node: { name: '兴乐北院' } }] } });
  });

  it('refuses a region that is no compound, one outside the scope, and non-admins', async () => {
    expect(codes(await mutate('regionPropertyManagementSet', 'region { id }', { compound: xingle, noPropertyManagement: true }, as.xingleAdmin))).toEqual([
      [['input', 'compound'], 'INVALID'],
    ]);
    const zimingGarden = DEMO_XINCHENG_REGIONS['zimingGarden']!.id;
    expect(codes(await mutate('regionPropertyManagementSet', 'region { id }', { compound: zimingGarden, noPropertyManagement: true }, as.xingleAdmin))).toEqual([
      [['input', 'compound'], 'NOT_ALLOWED'],
    ]);
    expect(codes(await mutate('regionPropertyManagementSet', 'region { id }', { compound: zimingGarden, noPropertyManagement: true }, as.volunteer))).toBe('FORBIDDEN');
    const garden = await people.execute(`query ($id: ID!) { region(id: $id) { noPropertyManagement } }`, { variables: { id: zimingGarden } });
    expect(garden.data).toEqual({ region: { noPropertyManagement: false } });
  });
});

describe('guardian consent for minors', () => {
  const home = DEMO_REGIONS.eastBuilding2.id;
  let serial = 900;
  const register = async (name: string, born: string): Promise<string> => {
    const payload = await mutate('personRegister', 'person { id }', { name, idNumber: demoIdNumber((serial += 1), { gender: 'female', born }), homeRegion: home }, as.xingleAdmin);
    expect(payload.userErrors).toEqual([]);
    return (payload['person'] as { id: string }).id;
  };
  const eventsOf = async (personId: string): Promise<{ type: string; payload: Record<string, unknown> }[]> =>
    (
      await rowsOf<{ type: string; payload: string }>(
        people.database.db,
        sql`select type, payload::text as payload from people.outbox where aggregate_id = ${personId} order by position`,
      )
    ).map((row) => ({ type: row.type, payload: JSON.parse(row.payload) as Record<string, unknown> }));

  it('is recorded by staff of the minor’s home, tells requests two booleans only, and is revocable', async () => {
    const minor = await register('李小小', '2016-03-01');
    const recorded = await mutate(
      'guardianConsentRecord',
      'guardianConsent { guardian { id } guardianName relationship }',
      { minor, guardianName: '李大红', relationship: '母亲' },
      as.xingleAdmin,
    );
    expect(recorded).toEqual({ guardianConsent: { guardian: null, guardianName: '李大红', relationship: '母亲' }, userErrors: [] });
    expect(codes(await mutate('guardianConsentRecord', 'guardianConsent { relationship }', { minor, guardianName: '李大红', relationship: '母亲' }, as.xingleAdmin))).toEqual([
      [['input', 'minor'], 'ALREADY_EXISTS'],
    ]);
    const read = async (viewer: Viewer) =>
      (await people.execute(`query ($id: ID!) { person(id: $id) { guardianConsent { relationship } } }`, { variables: { id: minor }, viewer })).data;
    expect(await read(as.xingleAdmin)).toEqual({ person: { guardianConsent: { relationship: '母亲' } } });
    expect(await read(as.zimingAdmin)).toEqual({ person: { guardianConsent: null } });

    expect(await mutate('guardianConsentRevoke', 'guardianConsent { relationship }', { minor }, as.xingleAdmin)).toEqual({
      guardianConsent: { relationship: '母亲' },
      userErrors: [],
    });
    expect(codes(await mutate('guardianConsentRevoke', 'guardianConsent { relationship }', { minor }, as.xingleAdmin))).toEqual([[['input', 'minor'], 'NOT_FOUND']]);
    expect(await read(as.xingleAdmin)).toEqual({ person: { guardianConsent: null } });

    const events = await eventsOf(minor);
    expect(events.map((event) => [event.type, event.payload['minor'], event.payload['guardianConsent']])).toEqual([
      ['person.registered', true, undefined],
      ['person.guardian_consent_changed', true, true],
      ['person.guardian_consent_changed', true, false],
    ]);
    expect(Object.keys(events[1]!.payload).sort()).toEqual(['guardianConsent', 'minor', 'personId']);
    expect(JSON.stringify(events)).not.toContain('2016');
    expect(JSON.stringify(events)).not.toContain('李大红');
  });

  it('refuses an adult, both or neither guardian, strangers, bad input, and writes nothing when refused', async () => {
    const adult = await register('王成年', '1990-01-01');
    const minor = await register('赵小小', '2015-06-01');
    const [before] = await people.database.db.select({ n: count() }).from(guardianConsents);
    expect(codes(await mutate('guardianConsentRecord', 'guardianConsent { relationship }', { minor: adult, guardianName: '王父', relationship: '父亲' }, as.xingleAdmin))).toEqual([
      [['input', 'minor'], 'INVALID_STATE'],
    ]);
    expect(codes(await mutate('guardianConsentRecord', 'guardianConsent { relationship }', { minor, relationship: '母亲' }, as.xingleAdmin))).toEqual([
      [['input', 'guardian'], 'INVALID'],
    ]);
    expect(
      codes(await mutate('guardianConsentRecord', 'guardianConsent { relationship }', { minor, guardian: adult, guardianName: '王成年', relationship: '舅舅' }, as.xingleAdmin)),
    ).toEqual([[['input', 'guardian'], 'INVALID']]);
    expect(codes(await mutate('guardianConsentRecord', 'guardianConsent { relationship }', { minor, guardianName: '赵母', relationship: '' }, as.xingleAdmin))).toEqual([
      [['input', 'relationship'], 'REQUIRED'],
    ]);
    expect(
      codes(await mutate('guardianConsentRecord', 'guardianConsent { relationship }', { minor, guardianName: '长'.repeat(51), relationship: '母亲' }, as.xingleAdmin)),
    ).toEqual([[['input', 'guardianName'], 'INVALID']]);
    expect(codes(await mutate('guardianConsentRecord', 'guardianConsent { relationship }', { minor: 'x', guardianName: '赵母', relationship: '母亲' }, as.xingleAdmin))).toEqual([
      [['input', 'minor'], 'INVALID'],
    ]);
    // Staff elsewhere, and a volunteer outside the household, are told nothing about the person.
    expect(codes(await mutate('guardianConsentRecord', 'guardianConsent { relationship }', { minor, guardianName: '赵母', relationship: '母亲' }, as.zimingAdmin))).toBe(
      'FORBIDDEN',
    );
    expect(codes(await mutate('guardianConsentRecord', 'guardianConsent { relationship }', { minor, guardianName: '赵母', relationship: '母亲' }, as.volunteer))).toBe('FORBIDDEN');
    expect(codes(await mutate('guardianConsentRecord', 'guardianConsent { relationship }', { minor, guardianName: '赵母', relationship: '母亲' }))).toBe('UNAUTHENTICATED');
    const [after] = await people.database.db.select({ n: count() }).from(guardianConsents);
    expect(after).toEqual(before);
  });
});
