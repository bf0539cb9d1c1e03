/**
 * What people must hold, end to end through the gateway: a district-level
 * team in an alliance, a government department, a compound without property
 * management, a minor who volunteers only once her guardian's consent reaches
 * requests (people's `person.guardian_consent_changed`) and only in a
 * category suitable for minors, and a need recorded at a courtyard meeting.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_GRID_WORKERS, DEMO_REGIONS, DEMO_RESIDENTS, DEMO_STAFF } from '@lianxin/shared/demo';
import { waitFor } from '@lianxin/shared/testing';
import { demoIdNumber } from '../subgraphs/people/src/db/demo.js';
import { startTestGraph, type TestGraph } from './support/graph.js';
import { operationsOn } from './support/operations.js';

let graph: TestGraph;

beforeAll(async () => {
  graph = await startTestGraph({ EVENT_POLL_INTERVAL_MS: '50' });
});
afterAll(async () => {
  await graph?.stop();
});

const { ok, must, eventually } = operationsOn(() => graph);
const DISTRICT = DEMO_REGIONS.xincheng.id;
const XINGLE = DEMO_REGIONS.xingle.id;
const HOUR = 3600_000;

describe('what the district holds', () => {
  it('a district-level team in an alliance, a government department, and a compound without property management', async () => {
    const districtAdmin = await graph.token({ roles: ['community_admin'], regionIds: [DISTRICT] });
    const { team } = await must<{ team: { id: string; level: string } }>(
      'teamCreate',
      'team { id level }',
      { name: '新城区助残专业队', kind: 'SPECIAL_NEEDS', community: DISTRICT },
      districtAdmin,
    );
    expect(team.level).toBe('DISTRICT');
    const { alliance } = await must<{ alliance: { id: string } }>('allianceCreate', 'alliance { id }', { name: '新城区助残联盟', region: DISTRICT }, districtAdmin);
    await must('allianceTeamAdd', 'alliance { id }', { alliance: alliance.id, team: team.id }, districtAdmin);
    const read = await ok<{ team: { alliances: { name: string; memberTeams: { totalCount: number } }[] } }>(
      `query ($id: ID!) { team(id: $id) { alliances { name memberTeams { totalCount } } } }`,
      districtAdmin,
      { id: team.id },
    );
    expect(read.team.alliances).toEqual([{ name: '新城区助残联盟', memberTeams: { totalCount: 1 } }]);

    const { organization } = await must<{ organization: { kind: string } }>(
      'organizationCreate',
      'organization { kind }',
      { name: '新城区残疾人联合会', kind: 'GOVERNMENT_DEPARTMENT', region: DISTRICT },
      districtAdmin,
    );
    expect(organization.kind).toBe('GOVERNMENT_DEPARTMENT');

    const north = (
      await ok<{ regionSearch: { edges: { node: { id: string } }[] } }>(`{ regionSearch(filter: { nameContains: "兴乐北院" }) { edges { node { id } } } }`, districtAdmin)
    ).regionSearch.edges[0]!.node.id;
    await must('regionPropertyManagementSet', 'region { id }', { compound: north, noPropertyManagement: true }, districtAdmin);
    const flagged = await ok<{ regionSearch: { edges: { node: { name: string } }[] } }>(
      `query ($w: ID) { regionSearch(filter: { within: $w, noPropertyManagement: true }) { edges { node { name } } } }`,
      districtAdmin,
      { w: XINGLE },
    );
    expect(flagged.regionSearch.edges.map((edge) => edge.node.name).sort()).toEqual(['兴乐北院', '兴乐西院'].sort());
  });
});

describe('a minor volunteer', () => {
  it('is refused until her guardian’s consent reaches requests, then signs up only in a category suitable for minors', async () => {
    const admin = await graph.token({ roles: ['community_admin'], personId: DEMO_STAFF[0]!.id, regionIds: [XINGLE] });
    const { person } = await must<{ person: { id: string } }>(
      'personRegister',
      'person { id }',
      { name: '王小朵', idNumber: demoIdNumber(977, { gender: 'female', born: '2015-09-09' }), homeRegion: DEMO_REGIONS.eastBuilding1.id },
      admin,
    );
    const minor = await graph.token({ roles: ['volunteer'], personId: person.id });
    const activity = async (category: string): Promise<string> => {
      const startsAt = new Date(Date.now() + 48 * HOUR);
      const created = await must<{ activity: { id: string } }>(
        'activityCreate',
        'activity { id }',
        { title: '小小文明引导员', category, place: XINGLE, startsAt, endsAt: new Date(startsAt.getTime() + 2 * HOUR), capacity: 5 },
        admin,
      );
      return created.activity.id;
    };
    const flyers = await activity('cleaning');
    const repairs = await activity('home_repair');
    const signUp = async (id: string) => {
      const data = await ok<{ activitySignUp: { signup: { status: string } | null; userErrors: { code: string }[] } }>(
        `mutation ($id: ID!) { activitySignUp(input: { activity: $id }) { signup { status } userErrors { code } } }`,
        minor,
        { id },
      );
      return data.activitySignUp;
    };
    // Once requests knows her (person.registered, minor: true), she is refused for want of consent.
    let answer = await signUp(flyers);
    await waitFor('the minor known to requests', async () => {
      answer = await signUp(flyers);
      return answer.userErrors[0]?.code !== 'NOT_FOUND';
    });
    expect(answer).toEqual({ signup: null, userErrors: [{ code: 'NOT_ALLOWED' }] });

    await must('guardianConsentRecord', 'guardianConsent { relationship }', { minor: person.id, guardianName: '王芳', relationship: '母亲' }, admin);
    await waitFor('the consent applied in requests', async () => {
      answer = await signUp(flyers);
      return answer.userErrors.length === 0;
    });
    expect(answer).toEqual({ signup: { status: 'CONFIRMED' }, userErrors: [] });
    expect(await signUp(repairs)).toEqual({ signup: null, userErrors: [{ code: 'NOT_ALLOWED' }] });
  });
});

describe('a need raised at a courtyard meeting', () => {
  it('is recorded by a grid worker through COURTYARD_MEETING and counted by channel', async () => {
    const gridWorker = await graph.token({ roles: ['grid_worker'], personId: DEMO_GRID_WORKERS[0]!.id, regionIds: [XINGLE] });
    const { serviceRequest } = await must<{ serviceRequest: { channel: string } }>(
      'serviceRequestCreate',
      'serviceRequest { channel }',
      {
        requester: DEMO_RESIDENTS[1]!.id,
        category: 'home_repair',
        description: '院坝会上提出：单元门闭门器坏了。',
        channel: 'COURTYARD_MEETING',
        place: DEMO_REGIONS.westBuilding1.id,
      },
      gridWorker,
    );
    expect(serviceRequest.channel).toBe('COURTYARD_MEETING');
    const analyst = await graph.token({ roles: ['analyst'] });
    const stats = await eventually<{ serviceRequestStats: { total: { requests: number } } }>(
      'the request counted',
      `{ serviceRequestStats(filter: { channels: [COURTYARD_MEETING] }) { total { requests } } }`,
      analyst,
      {},
      (data) => data.serviceRequestStats.total.requests >= 1,
    );
    expect(stats.serviceRequestStats.total.requests).toBe(1);
  });
});
