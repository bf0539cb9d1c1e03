/**
 * Honour campaigns and honour titles on real Postgres: regions, homes, teams
 * and service built from people's and requests' events; a campaign run from
 * DRAFT to CLOSED (nominations by admins, a captain and a volunteer
 * themself; eligibility at each condition's boundary; review with the tie
 * rule; publication); nominations out of scope refused before any state is
 * told; quota enforced by the database against direct inserts and concurrent
 * publications; stages forward only; what strangers and anonymous callers
 * read; honour titles recorded and withdrawn.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { newId, rowsOf, type NewEvent } from '@lianxin/shared';
import { viewerOf, type SubgraphHarness } from '@lianxin/shared/testing';
import { ANONYMOUS, type Viewer } from '@lianxin/shared';
import {
  DISTRICT,
  EAST,
  STREET,
  WEST,
  consumeAll as consumeEvents,
  publish as publishEvents,
  regionCreated,
  serviceCreated,
  startRecognition,
  type Source,
  regionTree,
} from './support.js';
import type { RecognitionContext } from '../src/context.js';

let recognition: SubgraphHarness<RecognitionContext>;
const db = () => recognition.database.db;
const publish = (source: Source, ...events: NewEvent[]): Promise<void> => publishEvents(db(), source, events);

const ELSEWHERE = newId();
// Volunteers: V1 one star (6,000 minutes), V2 none (5,999, home WEST), V4 exactly 600 minutes in 2025, V5 599,
// V6 600 but in 2024, V7 living outside the street, V8 and V10 team members with enough, V9 to withdraw.
const [V1, V2, V4, V5, V6, V7, V8, V9, V10, CAPTAIN, R1, R2] = Array.from({ length: 12 }, () => newId()) as [
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
];
const TEAM = newId();
const ORG = newId();

const registered = (personId: string, homeRegionId: string): NewEvent => ({
  type: 'person.registered',
  aggregateType: 'person',
  aggregateId: personId,
  payload: { personId, registeredAt: '2024-01-01T00:00:00.000Z', homeRegionId },
});
const teamCreated = (teamId: string, communityId: string): NewEvent => ({
  type: 'team.created',
  aggregateType: 'team',
  aggregateId: teamId,
  payload: { teamId, communityId, name: '乐修匠', kind: 'repair' },
});
const memberAdded = (teamId: string, personId: string, role: 'captain' | 'member', communityId: string): NewEvent => ({
  type: 'team_member.added',
  aggregateType: 'team',
  aggregateId: teamId,
  payload: { teamId, personId, role, joinedAt: '2025-01-02T00:00:00.000Z', communityId },
});
const memberRemoved = (teamId: string, personId: string): NewEvent => ({
  type: 'team_member.removed',
  aggregateType: 'team',
  aggregateId: teamId,
  payload: { teamId, personId, leftAt: '2025-04-01T00:00:00.000Z' },
});

const platformAdmin = viewerOf({ roles: ['platform_admin'] });
const streetAdmin = viewerOf({ roles: ['station_admin'], regionIds: [STREET], subject: 'street-admin' });
const eastAdmin = viewerOf({ roles: ['community_admin'], regionIds: [EAST], subject: 'east-admin' });
const westAdmin = viewerOf({ roles: ['community_admin'], regionIds: [WEST], subject: 'west-admin' });
const otherAdmin = viewerOf({ roles: ['station_admin'], regionIds: [ELSEWHERE], subject: 'other-admin' });
const volunteer = (personId: string): Viewer => viewerOf({ roles: ['volunteer'], personId });
const captain = viewerOf({ roles: ['team_captain', 'volunteer'], personId: CAPTAIN });
const reviewer = (personId: string): Viewer => viewerOf({ roles: ['volunteer'], personId });
const merchant = viewerOf({ roles: ['merchant'], merchantId: newId() });

beforeAll(async () => {
  recognition = await startRecognition();
  await publish(
    'people',
    ...regionTree(),
    regionCreated(ELSEWHERE, 'community', [DISTRICT, ELSEWHERE]),
    ...[V1, V4, V5, V6, V8, V9, V10, CAPTAIN].map((person) => registered(person, EAST)),
    registered(V2, WEST),
    registered(V7, ELSEWHERE),
    teamCreated(TEAM, EAST),
    memberAdded(TEAM, CAPTAIN, 'captain', EAST),
    memberAdded(TEAM, V8, 'member', EAST),
    memberAdded(TEAM, V10, 'member', EAST),
    // V9 served with the team, then left it: no longer the captain's to nominate.
    memberAdded(TEAM, V9, 'member', EAST),
    memberRemoved(TEAM, V9),
  );
  await publish(
    'requests',
    serviceCreated(V1, 6000, '2025-03-01T02:00:00.000Z', { region: EAST }),
    serviceCreated(V2, 5999, '2025-03-01T02:00:00.000Z', { region: WEST }),
    serviceCreated(V4, 600, '2025-01-01T02:00:00.000Z', { region: EAST }),
    serviceCreated(V5, 599, '2025-06-01T02:00:00.000Z', { region: EAST }),
    serviceCreated(V6, 600, '2024-12-31T15:00:00.000Z', { region: EAST }),
    serviceCreated(V7, 900, '2025-06-01T02:00:00.000Z', { region: ELSEWHERE }),
    ...[V8, V9, V10].map((person) => serviceCreated(person, 700, '2025-05-01T02:00:00.000Z', { region: EAST, teamId: TEAM })),
  );
  const total = await consumeEvents(db());
  expect(total.deadLettered).toBe(0);
});

afterAll(async () => {
  await recognition?.stop();
});

type UserErrors = { field: string[] | null; code: string; message: string }[];
type Gql = { data: Record<string, unknown> | null | undefined; errors: readonly { message: string; extensions?: Record<string, unknown> }[] | undefined };

async function run(query: string, variables: Record<string, unknown>, viewer: Viewer): Promise<Gql> {
  const result = await recognition.execute(query, { variables, viewer });
  return { data: result.data, errors: result.errors };
}

/** A mutation's payload, or the top-level error code. */
async function mutate<T>(
  name: string,
  input: Record<string, unknown>,
  viewer: Viewer,
  selection: string,
): Promise<{ value: T | null; userErrors: UserErrors } | { code: unknown }> {
  const inputType = `${name[0]!.toUpperCase()}${name.slice(1)}Input`;
  const result = await run(`mutation ($input: ${inputType}!) { ${name}(input: $input) { ${selection} userErrors { field code message } } }`, { input }, viewer);
  if (result.errors) return { code: result.errors[0]?.extensions?.['code'] };
  const payload = result.data?.[name] as Record<string, unknown>;
  const key = Object.keys(payload).find((candidate) => candidate !== 'userErrors')!;
  return { value: payload[key] as T | null, userErrors: payload['userErrors'] as UserErrors };
}

const codesOf = (answer: { userErrors: UserErrors } | { code: unknown }) =>
  'code' in answer ? answer.code : answer.userErrors.map((error) => `${error.field?.join('.')}:${error.code}`);

const CATEGORIES = [
  { name: '最美抗疫之星', subjectKind: 'VOLUNTEER', quota: 2, minMinutes: 600 },
  { name: '最美银龄之星', subjectKind: 'VOLUNTEER', quota: 1, minStarLevel: 1 },
  { name: '最美服务队', subjectKind: 'TEAM', quota: 1 },
  { name: '优秀志愿服务组织', subjectKind: 'ORGANIZATION', quota: 1 },
];

type Campaign = { id: string; stage: string; categories: { id: string; name: string }[] };
const CAMPAIGN = 'id stage categories { id name }';

async function createCampaign(viewer: Viewer, overrides: Record<string, unknown> = {}) {
  return mutate<Campaign>(
    'campaignCreate',
    { region: STREET, title: '西街道2025年度最美志愿者评选', description: '表彰一年来的志愿者。', year: 2025, selfApplication: false, categories: CATEGORIES, ...overrides },
    viewer,
    `campaign { ${CAMPAIGN} }`,
  );
}

const advance = (campaign: string, to: string, viewer: Viewer = streetAdmin) => mutate<Campaign>('campaignAdvance', { campaign, to }, viewer, 'campaign { id stage }');
const nominate = (category: string, subject: string, viewer: Viewer, displayName = '王**') =>
  mutate<{ id: string; nominatorKind: string }>('campaignNominate', { category, subject, statement: '坚守卡口值守。', displayName }, viewer, 'nomination { id nominatorKind }');
const score = (nomination: string, value: number, viewer: Viewer) => mutate<{ id: string }>('campaignScore', { nomination, score: value }, viewer, 'nomination { id scores }');
const publishCampaign = (campaign: string, viewer: Viewer = streetAdmin, citations: unknown[] = []) =>
  mutate<{ id: string; stage: string }>('campaignPublish', { campaign, citations }, viewer, 'campaign { id stage }');

const ok = <T>(answer: { value: T | null; userErrors: UserErrors } | { code: unknown }): T => {
  expect(codesOf(answer)).toEqual([]);
  return (answer as { value: T }).value;
};

describe('a campaign from DRAFT to CLOSED', () => {
  let campaign: Campaign;
  const category = (name: string) => campaign.categories.find((candidate) => candidate.name === name)!.id;
  const nominations: Record<string, string> = {};

  it('is created by an admin of the organiser region, in DRAFT, with its categories and its first stage recorded', async () => {
    expect(codesOf(await createCampaign(ANONYMOUS))).toBe('UNAUTHENTICATED');
    expect(codesOf(await createCampaign(volunteer(V1)))).toBe('FORBIDDEN');
    expect(codesOf(await createCampaign(otherAdmin))).toEqual(['input.region:NOT_ALLOWED']);
    expect(codesOf(await createCampaign(streetAdmin, { region: newId() }))).toEqual(['input.region:NOT_FOUND']);
    expect(codesOf(await createCampaign(streetAdmin, { periodStart: '2025-01-15' }))).toEqual(['input.periodStart:INVALID']);
    expect(codesOf(await createCampaign(streetAdmin, { categories: [{ name: 'x', subjectKind: 'TEAM', quota: 1, minStarLevel: 2 }] }))).toEqual([
      'input.categories.0.minStarLevel:INVALID',
    ]);
    expect(codesOf(await createCampaign(streetAdmin, { categories: [{ name: 'x', subjectKind: 'VOLUNTEER', quota: 1, region: ELSEWHERE }] }))).toEqual([
      'input.categories.0.region:INVALID',
    ]);
    expect(codesOf(await createCampaign(streetAdmin, { categories: [CATEGORIES[0], CATEGORIES[0]] }))).toEqual(['input.categories.1.name:ALREADY_EXISTS']);
    const [{ campaigns } = { campaigns: -1 }] = await rowsOf<{ campaigns: number }>(db(), sql`select count(*)::int as campaigns from recognition.campaigns`);
    expect(campaigns).toBe(0);
    campaign = ok(await createCampaign(streetAdmin));
    expect(campaign.stage).toBe('DRAFT');
    expect(campaign.categories.map((entry) => entry.name)).toEqual(CATEGORIES.map((entry) => entry.name));
  });

  it('hides a draft from all but its organisers', async () => {
    const read = async (viewer: Viewer) => (await run('query ($id: ID!) { campaign(id: $id) { id } }', { id: campaign.id }, viewer)).data?.['campaign'] ?? null;
    expect(await read(streetAdmin)).toEqual({ id: campaign.id });
    expect(await read(platformAdmin)).toEqual({ id: campaign.id });
    expect(await read(eastAdmin)).toBeNull(); // an admin below the organiser region does not organise it
    expect(await read(volunteer(V1))).toBeNull();
    expect(await read(ANONYMOUS)).toBeNull();
    // Nominating in a draft one cannot see: refused as unseen, saying nothing of its stage.
    expect(codesOf(await nominate(category('最美抗疫之星'), V4, eastAdmin))).toBe('FORBIDDEN');
  });

  it('moves forward one named stage at a time, by its organisers only', async () => {
    expect(codesOf(await advance(campaign.id, 'REVIEWING'))).toEqual(['input.to:INVALID_STATE']);
    expect(codesOf(await advance(campaign.id, 'PUBLISHED'))).toEqual(['input.to:INVALID']);
    expect(codesOf(await advance(campaign.id, 'NOMINATING', westAdmin))).toBe('FORBIDDEN');
    expect(ok(await advance(campaign.id, 'NOMINATING'))).toEqual({ id: campaign.id, stage: 'NOMINATING' });
    expect(codesOf(await advance(campaign.id, 'NOMINATING'))).toEqual(['input.to:INVALID_STATE']);
    expect(codesOf(await advance(campaign.id, 'NOMINATING', eastAdmin))).toEqual(['input.campaign:NOT_ALLOWED']);
  });

  it('takes nominations from admins in scope, checking each condition at its boundary', async () => {
    const hours = category('最美抗疫之星');
    nominations['V4'] = ok(await nominate(hours, V4, eastAdmin)).id; // exactly 600 minutes in 2025
    const refusedV5 = await nominate(hours, V5, eastAdmin);
    expect(codesOf(refusedV5)).toEqual(['input.subject:NOT_ELIGIBLE']);
    expect((refusedV5 as { userErrors: UserErrors }).userErrors[0]!.message).toBe(
      "Hours: the category needs at least 600 minutes of service in the campaign's period; the nominee has 599.",
    );
    // 600 minutes served on 31 December 2024 at 23:00 Beijing time: the year before the campaign's period.
    expect(codesOf(await nominate(hours, V6, eastAdmin))).toEqual(['input.subject:NOT_ELIGIBLE']);
    const stars = category('最美银龄之星');
    expect(ok(await nominate(stars, V1, streetAdmin))).toMatchObject({ nominatorKind: 'ADMIN' });
    const refusedV2 = await nominate(stars, V2, streetAdmin);
    expect((refusedV2 as { userErrors: UserErrors }).userErrors).toMatchObject([
      { field: ['input', 'subject'], code: 'NOT_ELIGIBLE', message: 'Star level: the category needs at least 1 stars; the volunteer holds 0.' },
    ]);
    // V7 lives outside the campaign's street: only a platform admin reaches them, and the region condition refuses.
    const refusedV7 = await nominate(hours, V7, platformAdmin);
    expect((refusedV7 as { userErrors: UserErrors }).userErrors[0]).toMatchObject({ code: 'NOT_ELIGIBLE', message: expect.stringContaining('Region') });
    expect(codesOf(await nominate(hours, V4, streetAdmin))).toEqual(['input.subject:ALREADY_EXISTS']);
    expect(ok(await nominate(category('优秀志愿服务组织'), ORG, streetAdmin))).toMatchObject({ nominatorKind: 'ADMIN' });
  });

  it('refuses nominees out of the caller’s reach before saying anything of them or the campaign', async () => {
    // V2 lives in WEST: the EAST admin may not nominate them, eligible or not (V2 is not), nominated or not.
    expect(codesOf(await nominate(category('最美银龄之星'), V2, eastAdmin))).toEqual(['input.subject:NOT_ALLOWED']);
    expect(codesOf(await nominate(category('最美抗疫之星'), V4, westAdmin))).toEqual(['input.subject:NOT_ALLOWED']);
    // An organisation: the campaign's organisers (an admin below the organiser region is not one).
    expect(codesOf(await nominate(category('优秀志愿服务组织'), newId(), eastAdmin))).toEqual(['input.subject:NOT_ALLOWED']);
    expect(codesOf(await nominate(category('最美抗疫之星'), V4, merchant))).toBe('FORBIDDEN');
    expect(codesOf(await nominate(category('最美抗疫之星'), V4, ANONYMOUS))).toBe('UNAUTHENTICATED');
    expect(codesOf(await nominate(newId(), V4, eastAdmin))).toBe('FORBIDDEN');
  });

  it('takes a captain’s nominations of the team and its members, and refuses self-application where the campaign does', async () => {
    expect(ok(await nominate(category('最美服务队'), TEAM, captain))).toMatchObject({ nominatorKind: 'CAPTAIN' });
    nominations['V8'] = ok(await nominate(category('最美抗疫之星'), V8, captain)).id;
    nominations['V10'] = ok(await nominate(category('最美抗疫之星'), V10, captain)).id;
    expect(codesOf(await nominate(category('最美银龄之星'), V4, captain))).toEqual(['input.subject:NOT_ALLOWED']); // not a member
    expect(codesOf(await nominate(category('最美抗疫之星'), V9, captain))).toEqual(['input.subject:NOT_ALLOWED']); // left the team
    const self = await nominate(category('最美抗疫之星'), V9, volunteer(V9));
    expect((self as { userErrors: UserErrors }).userErrors).toMatchObject([{ code: 'NOT_ALLOWED', message: expect.stringContaining('self-applications') }]);
  });

  it('lets the nominator withdraw before review, for good', async () => {
    nominations['V9'] = ok(await nominate(category('最美抗疫之星'), V9, eastAdmin)).id;
    const withdraw = (viewer: Viewer) => mutate('campaignNominationWithdraw', { nomination: nominations['V9'], reason: '本人婉拒。' }, viewer, 'nomination { id withdrawn }');
    expect(codesOf(await withdraw(westAdmin))).toBe('FORBIDDEN');
    expect(ok(await withdraw(eastAdmin))).toEqual({ id: nominations['V9'], withdrawn: true });
    expect(codesOf(await withdraw(eastAdmin))).toEqual(['input.nomination:INVALID_STATE']);
    expect(codesOf(await nominate(category('最美抗疫之星'), V9, eastAdmin))).toEqual(['input.subject:ALREADY_EXISTS']);
  });

  it('has reviewers appointed by its organisers, then moves to REVIEWING and takes no more nominations', async () => {
    const assign = (person: string, viewer: Viewer = streetAdmin) => mutate('campaignReviewerAssign', { campaign: campaign.id, reviewer: person }, viewer, 'campaign { id }');
    expect(codesOf(await assign(R1, eastAdmin))).toEqual(['input.campaign:NOT_ALLOWED']);
    ok(await assign(R1));
    ok(await assign(R2));
    expect(codesOf(await assign(R2))).toEqual(['input.reviewer:ALREADY_EXISTS']);
    ok(await advance(campaign.id, 'REVIEWING'));
    expect(codesOf(await nominate(category('最美抗疫之星'), V5, streetAdmin))).toEqual(['input.category:INVALID_STATE']);
    // Out of reach still answers NOT_ALLOWED, not the stage.
    expect(codesOf(await nominate(category('最美抗疫之星'), V4, westAdmin))).toEqual(['input.subject:NOT_ALLOWED']);
    const withdraw = await mutate('campaignNominationWithdraw', { nomination: nominations['V4'], reason: '太晚了' }, eastAdmin, 'nomination { id }');
    expect(codesOf(withdraw)).toEqual(['input.nomination:INVALID_STATE']);
  });

  it('takes each reviewer’s score once, from reviewers only', async () => {
    expect(codesOf(await score(nominations['V4']!, 90, volunteer(V1)))).toBe('FORBIDDEN');
    expect(codesOf(await score(nominations['V4']!, 90, streetAdmin))).toEqual(['input.nomination:NOT_ALLOWED']);
    expect(codesOf(await score(nominations['V4']!, 101, reviewer(R1)))).toEqual(['input.score:INVALID']);
    ok(await score(nominations['V4']!, 90, reviewer(R1)));
    ok(await score(nominations['V4']!, 80, reviewer(R2)));
    expect(codesOf(await score(nominations['V4']!, 10, reviewer(R1)))).toEqual(['input.nomination:ALREADY_EXISTS']);
    ok(await score(nominations['V8']!, 85, reviewer(R1)));
    ok(await score(nominations['V8']!, 85, reviewer(R2)));
    ok(await score(nominations['V10']!, 85, reviewer(R1)));
    expect(codesOf(await score(nominations['V9']!, 50, reviewer(R1)))).toEqual(['input.nomination:INVALID_STATE']);
    // One score each for the other categories' only nominations.
    const others = await rowsOf<{ id: string }>(
      db(),
      sql`select id from recognition.campaign_nominations where campaign_id = ${campaign.id} and category_id <> ${category('最美抗疫之星')}`,
    );
    expect(others).toHaveLength(3);
    for (const row of others) ok(await score(row.id, 70, reviewer(R2)));
  });

  const NOMINATIONS = `query ($id: ID!) { campaign(id: $id) { categories { name nominations { subjectId statement rank scores averageScore withdrawn } } } }`;
  const nominationsSeenBy = async (viewer: Viewer) => {
    const result = await run(NOMINATIONS, { id: campaign.id }, viewer);
    const data = result.data?.['campaign'] as { categories: { name: string; nominations: { subjectId: string; rank: number | null; averageScore: number | null }[] }[] } | null;
    return data?.categories.find((entry) => entry.name === '最美抗疫之星')?.nominations.map((entry) => [entry.subjectId, entry.rank, entry.averageScore]) ?? null;
  };

  it('ranks by average score, then more scores, then the earlier nomination; shows nominations to organisers, reviewers and their nominators only', async () => {
    const ranking = [
      [V4, 1, 85],
      [V8, 2, 85],
      [V10, 3, 85],
      [V9, null, null],
    ];
    expect(await nominationsSeenBy(streetAdmin)).toEqual(ranking);
    expect(await nominationsSeenBy(reviewer(R2))).toEqual(ranking);
    expect(await nominationsSeenBy(captain)).toEqual([
      [V8, 2, 85],
      [V10, 3, 85],
    ]);
    expect(await nominationsSeenBy(volunteer(V4))).toEqual([]);
    expect(await nominationsSeenBy(westAdmin)).toEqual([]);
    expect(await nominationsSeenBy(ANONYMOUS)).toBeNull(); // not published: no campaign at all
  });

  it('publishes once however many publish at once: the best up to each quota win, each with an honour certificate, and the event carries them', async () => {
    expect(codesOf(await publishCampaign(campaign.id, eastAdmin))).toEqual(['input.campaign:NOT_ALLOWED']);
    expect(codesOf(await publishCampaign(campaign.id, streetAdmin, [{ nomination: nominations['V10'], citation: 'x' }]))).toEqual(['input.citations.0.nomination:INVALID']);
    const citations = [{ nomination: nominations['V4'], citation: '坚守卡口八十四天。' }];
    const answers = await Promise.all([streetAdmin, platformAdmin, streetAdmin, platformAdmin].map((viewer) => publishCampaign(campaign.id, viewer, citations)));
    const codes = answers.map(codesOf);
    expect(codes.filter((entry) => Array.isArray(entry) && entry.length === 0)).toHaveLength(1);
    expect(codes.filter((entry) => JSON.stringify(entry) === JSON.stringify(['input.campaign:INVALID_STATE']))).toHaveLength(3);
    const winners = await rowsOf<{ name: string; slot: number; subject_id: string }>(
      db(),
      sql`select c.name, w.slot, w.subject_id from recognition.campaign_winners w join recognition.campaign_categories c on c.id = w.category_id
          where w.campaign_id = ${campaign.id} order by c.position, w.slot`,
    );
    expect(winners.map((row) => [row.name, row.slot, row.subject_id])).toEqual([
      ['最美抗疫之星', 1, V4],
      ['最美抗疫之星', 2, V8],
      ['最美银龄之星', 1, V1],
      ['最美服务队', 1, TEAM],
      ['优秀志愿服务组织', 1, ORG],
    ]);
    // Each winner holds an honour certificate issued in the publication's transaction, a person's under their masked name.
    const honours = await rowsOf<{ subject_kind: string; subject_id: string; title: string; issuer: string; citation: string }>(
      db(),
      sql`select subject_kind, subject_id::text, title, issuer, citation from recognition.certificates where source_id = ${campaign.id} order by issued_at, number`,
    );
    expect(honours.map((row) => [row.subject_kind, row.subject_id, row.title, row.issuer])).toEqual(
      winners.map((row) => [row.subject_id === TEAM ? 'team' : row.subject_id === ORG ? 'organization' : 'person', row.subject_id, row.name, '西街道2025年度最美志愿者评选']),
    );
    expect(honours[0]!.citation).toBe('坚守卡口八十四天。');
    const events = await rowsOf<{ aggregate_type: string; payload: { winners: unknown[]; campaignId: string; regionId: string; year: number } }>(
      db(),
      sql`select aggregate_type, payload from recognition.outbox where type = 'campaign.published' and aggregate_id = ${campaign.id}`,
    );
    expect(events).toHaveLength(1);
    expect(events[0]!.aggregate_type).toBe('campaign');
    expect(events[0]!.payload).toMatchObject({ campaignId: campaign.id, regionId: STREET, year: 2025 });
    expect(events[0]!.payload.winners).toEqual([
      { subjectKind: 'volunteer', subjectId: V4, categoryId: category('最美抗疫之星'), categoryName: '最美抗疫之星', slot: 1, displayName: '王**' },
      { subjectKind: 'volunteer', subjectId: V8, categoryId: category('最美抗疫之星'), categoryName: '最美抗疫之星', slot: 2, displayName: '王**' },
      { subjectKind: 'volunteer', subjectId: V1, categoryId: category('最美银龄之星'), categoryName: '最美银龄之星', slot: 1, displayName: '王**' },
      { subjectKind: 'team', subjectId: TEAM, categoryId: category('最美服务队'), categoryName: '最美服务队', slot: 1, displayName: '王**' },
      { subjectKind: 'organization', subjectId: ORG, categoryId: category('优秀志愿服务组织'), categoryName: '优秀志愿服务组织', slot: 1, displayName: '王**' },
    ]);
  });

  it('is public once published, nominations and scores still not', async () => {
    const query = `query ($id: ID!) { campaign(id: $id) { stage categories { name winners { slot displayName citation categoryName person { id } team { id } } nominations { id } } winners { slot } } }`;
    const result = await run(query, { id: campaign.id }, ANONYMOUS);
    expect(result.errors).toBeUndefined();
    const data = result.data?.['campaign'] as {
      stage: string;
      categories: { name: string; winners: { citation: string; person: { id: string } | null }[]; nominations: unknown[] }[];
    };
    expect(data.stage).toBe('PUBLISHED');
    expect(data.categories[0]!.winners).toEqual([
      { slot: 1, displayName: '王**', citation: '坚守卡口八十四天。', categoryName: '最美抗疫之星', person: { id: V4 }, team: null },
      { slot: 2, displayName: '王**', citation: '荣获西街道2025年度最美志愿者评选「最美抗疫之星」称号。', categoryName: '最美抗疫之星', person: { id: V8 }, team: null },
    ]);
    expect(data.categories.every((entry) => entry.nominations.length === 0)).toBe(true);
    const honours = await run(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Person { honours { kind title source citation campaign { id } } } } }`,
      { r: [{ __typename: 'Person', id: V4 }] },
      ANONYMOUS,
    );
    expect(honours.data?.['_entities']).toEqual([
      { honours: [{ kind: 'CAMPAIGN', title: '最美抗疫之星', source: '西街道2025年度最美志愿者评选', citation: '坚守卡口八十四天。', campaign: { id: campaign.id } }] },
    ]);
    const list = await run(`{ campaigns(filter: { year: 2025, stage: PUBLISHED }) { edges { node { id } } } }`, {}, ANONYMOUS);
    expect(list.data?.['campaigns']).toEqual({ edges: [{ node: { id: campaign.id } }] });
  });

  it('shows each winner’s certificate to the winner, to those who lead a winning team and to the admins of their place only', async () => {
    const query = `query ($id: ID!) { campaign(id: $id) { categories { winners { person { id } team { id } organization { id } certificate { id title holderName issuer code } } } } }`;
    const seenBy = async (viewer: Viewer) => {
      const result = await run(query, { id: campaign.id }, viewer);
      expect(result.errors).toBeUndefined();
      type Subject = { id: string } | null;
      const data = result.data?.['campaign'] as { categories: { winners: { person: Subject; team: Subject; organization: Subject; certificate: { title: string } | null }[] }[] };
      const winners = data.categories.flatMap((entry) => entry.winners);
      return Object.fromEntries(winners.map((winner) => [(winner.person ?? winner.team ?? winner.organization)!.id, winner.certificate?.title ?? null]));
    };
    expect(await seenBy(ANONYMOUS)).toEqual({ [V4]: null, [V8]: null, [V1]: null, [TEAM]: null, [ORG]: null });
    expect(await seenBy(volunteer(V4))).toEqual({ [V4]: '最美抗疫之星', [V8]: null, [V1]: null, [TEAM]: null, [ORG]: null });
    expect(await seenBy(captain)).toEqual({ [V4]: null, [V8]: null, [V1]: null, [TEAM]: '最美服务队', [ORG]: null });
    // The community admin of EAST, where the persons live and the team serves; the organisation has no team recognition knows.
    expect(await seenBy(eastAdmin)).toEqual({ [V4]: '最美抗疫之星', [V8]: '最美抗疫之星', [V1]: '最美银龄之星', [TEAM]: '最美服务队', [ORG]: null });
    expect(await seenBy(westAdmin)).toEqual({ [V4]: null, [V8]: null, [V1]: null, [TEAM]: null, [ORG]: null });
    // The same rule answers certificate(id): the team's captain reads the team's.
    const [team] = await rowsOf<{ id: string }>(db(), sql`select id::text from recognition.certificates where source_id = ${campaign.id} and subject_id = ${TEAM}`);
    const read = await run(`query ($id: ID!) { certificate(id: $id) { title holderName } }`, { id: team!.id }, captain);
    expect(read.data?.['certificate']).toEqual({ title: '最美服务队', holderName: '王**' });
    expect((await run(`query ($id: ID!) { certificate(id: $id) { title } }`, { id: team!.id }, volunteer(V8))).errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  });

  it('never goes back, and once CLOSED takes nothing more, in the database too', async () => {
    expect(codesOf(await advance(campaign.id, 'REVIEWING'))).toEqual(['input.to:INVALID_STATE']);
    expect(ok(await advance(campaign.id, 'CLOSED'))).toEqual({ id: campaign.id, stage: 'CLOSED' });
    expect(codesOf(await publishCampaign(campaign.id))).toEqual(['input.campaign:INVALID_STATE']);
    expect(codesOf(await mutate('campaignReviewerAssign', { campaign: campaign.id, reviewer: newId() }, streetAdmin, 'campaign { id }'))).toEqual(['input.campaign:INVALID_STATE']);
    const history = await run('query ($id: ID!) { campaign(id: $id) { stageHistory { from to } } }', { id: campaign.id }, ANONYMOUS);
    expect((history.data?.['campaign'] as { stageHistory: unknown[] }).stageHistory).toEqual([
      { from: null, to: 'DRAFT' },
      { from: 'DRAFT', to: 'NOMINATING' },
      { from: 'NOMINATING', to: 'REVIEWING' },
      { from: 'REVIEWING', to: 'PUBLISHED' },
      { from: 'PUBLISHED', to: 'CLOSED' },
    ]);
    expect(await causeOf(db().execute(sql`update recognition.campaigns set stage = 'reviewing' where id = ${campaign.id}`))).toContain('moves one stage forward');
    expect(await causeOf(db().execute(sql`update recognition.campaigns set title = 'x' where id = ${campaign.id}`))).toContain('only the stage');
    expect(await causeOf(db().execute(sql`delete from recognition.campaign_winners`))).toContain('append-only: DELETE refused');
    expect(await causeOf(db().execute(sql`update recognition.campaign_nominations set display_name = 'x'`))).toContain('append-only: UPDATE refused');
    expect(await causeOf(db().execute(sql`insert into recognition.campaign_reviewers (campaign_id, person_id, assigned_by) values (${campaign.id}, ${newId()}, 'sql')`))).toContain(
      'refused while the campaign is closed',
    );
  });
});

const causeOf = (work: Promise<unknown>): Promise<string> =>
  work.then(
    () => 'no error',
    (caught: unknown) => String((caught as { cause?: unknown }).cause ?? caught),
  );

describe('an organisation’s captains', () => {
  // 尚善学苑 (ORG_SIDE) runs two teams: the captain of one speaks for the organisation, its other team and that team's members.
  const ORG_SIDE = newId();
  const [OWN_TEAM, SISTER_TEAM, OTHER_TEAM, ORG_CAPTAIN, SISTER_MEMBER, OTHER_MEMBER] = Array.from({ length: 6 }, () => newId()) as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const orgCaptain = viewerOf({ roles: ['team_captain', 'volunteer'], personId: ORG_CAPTAIN });
  const withOrganization = (teamId: string, organizationId: string | null): NewEvent => {
    const event = teamCreated(teamId, EAST);
    return { ...event, payload: { ...event.payload, organizationId } };
  };
  let categories: Record<string, string>;

  beforeAll(async () => {
    await publish(
      'people',
      ...[ORG_CAPTAIN, SISTER_MEMBER, OTHER_MEMBER].map((person) => registered(person, EAST)),
      withOrganization(OWN_TEAM, ORG_SIDE),
      withOrganization(SISTER_TEAM, ORG_SIDE),
      withOrganization(OTHER_TEAM, null),
      memberAdded(OWN_TEAM, ORG_CAPTAIN, 'captain', EAST),
      memberAdded(SISTER_TEAM, SISTER_MEMBER, 'member', EAST),
      memberAdded(OTHER_TEAM, OTHER_MEMBER, 'member', EAST),
    );
    expect((await consumeEvents(db())).deadLettered).toBe(0);
    const created = ok(
      await createCampaign(streetAdmin, {
        title: '尚善学苑推荐评选',
        categories: [
          { name: '最美志愿者', subjectKind: 'VOLUNTEER', quota: 1 },
          { name: '最美服务队', subjectKind: 'TEAM', quota: 1 },
          { name: '优秀志愿服务组织', subjectKind: 'ORGANIZATION', quota: 1 },
        ],
      }),
    );
    categories = Object.fromEntries(created.categories.map((entry) => [entry.name, entry.id]));
    ok(await advance(created.id, 'NOMINATING'));
  });

  it('nominate the organisation, its other teams and their members, and nothing outside it', async () => {
    expect(ok(await nominate(categories['优秀志愿服务组织']!, ORG_SIDE, orgCaptain))).toMatchObject({ nominatorKind: 'CAPTAIN' });
    expect(ok(await nominate(categories['最美服务队']!, SISTER_TEAM, orgCaptain))).toMatchObject({ nominatorKind: 'CAPTAIN' });
    expect(ok(await nominate(categories['最美志愿者']!, SISTER_MEMBER, orgCaptain))).toMatchObject({ nominatorKind: 'CAPTAIN' });
    expect(codesOf(await nominate(categories['最美志愿者']!, OTHER_MEMBER, orgCaptain))).toEqual(['input.subject:NOT_ALLOWED']);
    expect(codesOf(await nominate(categories['最美服务队']!, OTHER_TEAM, orgCaptain))).toEqual(['input.subject:NOT_ALLOWED']);
    expect(codesOf(await nominate(categories['优秀志愿服务组织']!, newId(), orgCaptain))).toEqual(['input.subject:NOT_ALLOWED']);
    // The captain of a team outside any organisation speaks for that team alone.
    expect(codesOf(await nominate(categories['优秀志愿服务组织']!, ORG_SIDE, captain))).toEqual(['input.subject:NOT_ALLOWED']);
  });
});

describe('the quota, kept by the database', () => {
  let campaignId: string;
  let categoryId: string;
  const nominationIds: string[] = [];

  beforeAll(async () => {
    const created = ok(
      await createCampaign(streetAdmin, { title: '兴乐社区评选', selfApplication: true, categories: [{ name: '最美助残志愿者', subjectKind: 'VOLUNTEER', quota: 1 }] }),
    );
    campaignId = created.id;
    categoryId = created.categories[0]!.id;
    ok(await advance(campaignId, 'NOMINATING'));
    // Self-application, allowed here: the volunteer nominates themself.
    const self = ok(await nominate(categoryId, V1, volunteer(V1)));
    expect(self.nominatorKind).toBe('SELF');
    nominationIds.push(self.id, ok(await nominate(categoryId, V4, eastAdmin)).id);
    ok(await mutate('campaignReviewerAssign', { campaign: campaignId, reviewer: R1 }, streetAdmin, 'campaign { id }'));
    ok(await advance(campaignId, 'REVIEWING'));
    for (const id of nominationIds) ok(await score(id, 60, reviewer(R1)));
  });

  it('refuses a winner beyond the quota inserted directly, whatever quota it claims', async () => {
    const insert = (nominationId: string, slot: number, quota: number) =>
      db().execute(
        sql`insert into recognition.campaign_winners (category_id, slot, quota, campaign_id, nomination_id, subject_kind, subject_id, display_name, citation, score_total, scores)
            select category_id, ${slot}, ${quota}, campaign_id, id, subject_kind, subject_id, display_name, 'c', 60, 1 from recognition.campaign_nominations where id = ${nominationId}`,
      );
    expect(await causeOf(insert(nominationIds[1]!, 2, 1))).toContain('campaign_winners_slot_within_quota');
    expect(await causeOf(insert(nominationIds[1]!, 2, 2))).toContain('campaign_winners_quota_fk');
    expect(await causeOf(insert(nominationIds[1]!, 0, 1))).toContain('campaign_winners_slot_within_quota');
    const [{ winners } = { winners: -1 }] = await rowsOf<{ winners: number }>(
      db(),
      sql`select count(*)::int as winners from recognition.campaign_winners where category_id = ${categoryId}`,
    );
    expect(winners).toBe(0);
  });

  it('makes one set of winners of several concurrent publications, within the quota', async () => {
    const answers = await Promise.all([streetAdmin, platformAdmin, streetAdmin, platformAdmin, streetAdmin].map((viewer) => publishCampaign(campaignId, viewer)));
    expect(answers.map(codesOf).filter((entry) => Array.isArray(entry) && entry.length === 0)).toHaveLength(1);
    const rows = await rowsOf<{ slot: number; subject_id: string }>(db(), sql`select slot, subject_id from recognition.campaign_winners where category_id = ${categoryId}`);
    // Equal averages and counts: the earlier nomination (V1's own) wins.
    expect(rows).toEqual([{ slot: 1, subject_id: V1 }]);
    const [{ honours } = { honours: -1 }] = await rowsOf<{ honours: number }>(
      db(),
      sql`select count(*)::int as honours from recognition.certificates where source_id = ${campaignId}`,
    );
    expect(honours).toBe(1);
    const [{ events } = { events: -1 }] = await rowsOf<{ events: number }>(
      db(),
      sql`select count(*)::int as events from recognition.outbox where type = 'campaign.published' and aggregate_id = ${campaignId}`,
    );
    expect(events).toBe(1);
  });
});

describe('honour titles', () => {
  const record = (person: string, viewer: Viewer, overrides: Record<string, unknown> = {}) =>
    mutate<{ id: string; title: string; withdrawn: boolean }>(
      'honourTitleRecord',
      { person, title: '中国好人', source: '中央文明办', awardedOn: '2024-09-01', ...overrides },
      viewer,
      'title { id title withdrawn }',
    );
  const honoursOf = async (person: string) =>
    (
      (
        await run(
          `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Person { honours { kind title source awardedOn } } } }`,
          { r: [{ __typename: 'Person', id: person }] },
          ANONYMOUS,
        )
      ).data?.['_entities'] as { honours: unknown[] }[]
    )[0]!.honours;

  it('are recorded by admins whose scope holds the person, once, shown on Person.honours, and withdrawn with a reason', async () => {
    expect(codesOf(await record(V5, ANONYMOUS))).toBe('UNAUTHENTICATED');
    expect(codesOf(await record(V5, volunteer(V5)))).toBe('FORBIDDEN');
    expect(codesOf(await record(V5, westAdmin))).toEqual(['input.person:NOT_ALLOWED']);
    expect(codesOf(await record(V5, eastAdmin, { awardedOn: '2999-01-01' }))).toEqual(['input.awardedOn:INVALID']);
    const title = ok(await record(V5, eastAdmin));
    expect(title).toMatchObject({ title: '中国好人', withdrawn: false });
    expect(codesOf(await record(V5, streetAdmin))).toEqual(['input.title:ALREADY_EXISTS']);
    ok(await record(V5, platformAdmin, { title: '最美志愿者', source: '中央宣传部', awardedOn: '2025-03-05' }));
    expect(await honoursOf(V5)).toEqual([
      { kind: 'TITLE', title: '最美志愿者', source: '中央宣传部', awardedOn: '2025-03-05' },
      { kind: 'TITLE', title: '中国好人', source: '中央文明办', awardedOn: '2024-09-01' },
    ]);
    const withdraw = (viewer: Viewer, reason = '核实有误。') =>
      mutate<{ withdrawn: boolean; withdrawalReason: string }>('honourTitleWithdraw', { title: title.id, reason }, viewer, 'title { withdrawn withdrawalReason }');
    expect(codesOf(await withdraw(westAdmin))).toEqual(['input.title:NOT_ALLOWED']);
    expect(codesOf(await withdraw(eastAdmin, ' '))).toEqual(['input.reason:REQUIRED']);
    expect(ok(await withdraw(eastAdmin))).toEqual({ withdrawn: true, withdrawalReason: '核实有误。' });
    expect(codesOf(await withdraw(eastAdmin))).toEqual(['input.title:INVALID_STATE']);
    expect(await honoursOf(V5)).toEqual([{ kind: 'TITLE', title: '最美志愿者', source: '中央宣传部', awardedOn: '2025-03-05' }]);
    expect(await causeOf(db().execute(sql`update recognition.honour_titles set title = 'x'`))).toContain('append-only: UPDATE refused');
    expect(await causeOf(db().execute(sql`delete from recognition.honour_title_withdrawals`))).toContain('append-only: DELETE refused');
  });
});
