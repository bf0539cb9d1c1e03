/**
 * Service projects and project competitions on real Postgres: teams, members
 * and services built from people's and requests' events; a project's results
 * measured exactly (a reversal takes its minutes away); a competition run from
 * application to awards; a judge on the owner's side refused by the database
 * (through the mutation and by a direct insert); ties broken by the
 * documented rule; the final's quota and award counts; frozen results;
 * idempotent and concurrent closes; authority before state; who sees scores.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { ANONYMOUS, CHECK_VIOLATION, isConstraintViolation, newId, rowsOf, type NewEvent, type Viewer } from '@lianxin/shared';
import { countStatements, viewerOf, type SubgraphHarness } from '@lianxin/shared/testing';
import {
  DISTRICT,
  EAST,
  STREET,
  WEST,
  consumeAll as consumeEvents,
  publish as publishEvents,
  serviceCreated,
  serviceReversed,
  startRecognition,
  type Source,
  regionTree,
} from './support.js';
import type { RecognitionContext } from '../src/context.js';
import { compareRanked, rankEntrants, type Ranked } from '../src/competitions/ranking.js';

let recognition: SubgraphHarness<RecognitionContext>;
const db = () => recognition.database.db;
const publish = (source: Source, ...events: NewEvent[]): Promise<void> => publishEvents(db(), source, events);

async function consumeAll(): Promise<void> {
  const total = await consumeEvents(db());
  expect(total.deadLettered).toBe(0);
}

// Teams: A (EAST, of ORG), C (EAST, of ORG), B (WEST, no organisation).
const [TEAM_A, TEAM_B, TEAM_C, ORG] = [newId(), newId(), newId(), newId()];
// Persons: A's captain and two members; B's member; judges J1 (a member of C, so on ORG's side), J2, J3; a former member of A.
const [CAPTAIN_A, V1, V2, V3, J1, J2, J3, FORMER] = Array.from({ length: 8 }, () => newId()) as [string, string, string, string, string, string, string, string];
const [ACT1, R1, R2, R3] = [newId(), newId(), newId(), newId()];

const teamCreated = (teamId: string, communityId: string, organizationId: string | null): NewEvent => ({
  type: 'team.created',
  aggregateType: 'team',
  aggregateId: teamId,
  payload: { teamId, communityId, organizationId, name: `队${teamId.slice(0, 4)}`, kind: 'general' },
});
const memberAdded = (teamId: string, personId: string, role: 'captain' | 'member' = 'member'): NewEvent => ({
  type: 'team_member.added',
  aggregateType: 'team',
  aggregateId: teamId,
  payload: { teamId, personId, role, joinedAt: '2025-01-01T00:00:00.000Z', communityId: EAST },
});
const memberRemoved = (teamId: string, personId: string): NewEvent => ({
  type: 'team_member.removed',
  aggregateType: 'team',
  aggregateId: teamId,
  payload: { teamId, personId, leftAt: '2025-02-01T00:00:00.000Z' },
});

beforeAll(async () => {
  recognition = await startRecognition();
  await publish(
    'people',
    ...regionTree(),
    teamCreated(TEAM_A, EAST, ORG),
    teamCreated(TEAM_B, WEST, null),
    teamCreated(TEAM_C, EAST, ORG),
    memberAdded(TEAM_A, CAPTAIN_A, 'captain'),
    memberAdded(TEAM_A, V1),
    memberAdded(TEAM_A, V2),
    memberAdded(TEAM_B, V3),
    memberAdded(TEAM_C, J1),
    memberAdded(TEAM_A, FORMER),
    memberRemoved(TEAM_A, FORMER),
  );
  await consumeAll();
  // A's members: 120 + 60 minutes at ACT1, 30 with the team (R1), 45 with the team (R2, reversed later); B's member 90 (R3).
  await publish(
    'requests',
    serviceCreated(V1, 120, '2025-05-10T02:00:00.000Z', { region: EAST, activityId: ACT1 }),
    serviceCreated(V2, 60, '2025-05-10T02:00:00.000Z', { region: EAST, activityId: ACT1 }),
    serviceCreated(V1, 30, '2025-05-11T02:00:00.000Z', { region: EAST, teamId: TEAM_A, recordId: R1 }),
    serviceCreated(V1, 45, '2025-05-12T02:00:00.000Z', { region: EAST, teamId: TEAM_A, recordId: R2 }),
    serviceCreated(V3, 90, '2025-05-12T02:00:00.000Z', { region: WEST, teamId: TEAM_B, recordId: R3 }),
  );
  await consumeAll();
});
afterAll(async () => {
  await recognition?.stop();
});

const platformAdmin = viewerOf({ roles: ['platform_admin'] });
const districtAdmin = viewerOf({ roles: ['station_admin'], regionIds: [DISTRICT] });
const westAdmin = viewerOf({ roles: ['community_admin'], regionIds: [WEST] });
const otherAdmin = viewerOf({ roles: ['station_admin'], regionIds: [newId()] });
const captainA = viewerOf({ roles: ['team_captain'], personId: CAPTAIN_A });
const volunteer = viewerOf({ roles: ['volunteer'], personId: V1 });
const judge = (personId: string): Viewer => viewerOf({ roles: ['volunteer'], personId });

interface UserErrorShape {
  field: string[] | null;
  code: string;
}

async function mutate<T>(
  name: string,
  selection: string,
  input: Record<string, unknown>,
  viewer: Viewer,
): Promise<{ value: T | null; userErrors: UserErrorShape[]; errors?: readonly { extensions?: Record<string, unknown> }[] }> {
  const inputType = `${name.charAt(0).toUpperCase()}${name.slice(1)}Input`;
  const result = await recognition.execute(`mutation ($input: ${inputType}!) { ${name}(input: $input) { ${selection} userErrors { field code } } }`, {
    variables: { input },
    viewer,
  });
  const payload = (result.data as Record<string, (Record<string, unknown> & { userErrors: UserErrorShape[] }) | null> | null | undefined)?.[name];
  return { value: (payload as T | null) ?? null, userErrors: payload?.userErrors ?? [], errors: result.errors };
}

const codeOf = (errors: readonly { extensions?: Record<string, unknown> }[] | undefined): unknown => errors?.[0]?.extensions?.['code'];

async function createProject(input: Record<string, unknown>, viewer: Viewer = captainA): Promise<string> {
  const { value, userErrors } = await mutate<{ serviceProject: { id: string } | null }>('serviceProjectCreate', 'serviceProject { id }', input, viewer);
  expect(userErrors).toEqual([]);
  return value!.serviceProject!.id;
}

const RESULTS = `query ($id: ID!) { serviceProject(id: $id) { results { minutes hours services volunteers activities } } }`;
async function resultsOf(id: string): Promise<unknown> {
  const { data, errors } = await recognition.execute(RESULTS, { variables: { id }, viewer: volunteer });
  expect(errors).toBeUndefined();
  return (data as { serviceProject: { results: unknown } }).serviceProject.results;
}

let projectA = '';
let projectB = '';
let projectOrg = '';

describe('service projects', () => {
  it('are created by the owner team’s captain and measured from linked activities and records, a reversal taking its minutes away', async () => {
    projectA = await createProject({ ownerTeam: TEAM_A, name: '兴乐助老', category: 'elderly_care', region: EAST, description: '上门助老' });
    for (const [name, input] of [
      ['serviceProjectActivityLink', { project: projectA, activity: ACT1 }],
      ['serviceProjectRecordLink', { project: projectA, serviceRecord: R1 }],
      ['serviceProjectRecordLink', { project: projectA, serviceRecord: R2 }],
    ] as const) {
      expect((await mutate(name, 'serviceProject { id }', input, captainA)).userErrors).toEqual([]);
    }
    expect(await resultsOf(projectA)).toEqual({ minutes: 255, hours: 4.25, services: 4, volunteers: 2, activities: 1 });
    await publish('requests', serviceReversed(V1, R2, 45, EAST, '2025-06-01T02:00:00.000Z'));
    await consumeAll();
    expect(await resultsOf(projectA)).toEqual({ minutes: 210, hours: 3.5, services: 3, volunteers: 2, activities: 1 });
  });

  it('link only what the owner’s teams served, once, and only for the owner’s leaders', async () => {
    expect((await mutate('serviceProjectRecordLink', 'serviceProject { id }', { project: projectA, serviceRecord: R3 }, captainA)).userErrors).toEqual([
      { field: ['input', 'serviceRecord'], code: 'NOT_FOUND' },
    ]);
    expect((await mutate('serviceProjectRecordLink', 'serviceProject { id }', { project: projectA, serviceRecord: R1 }, captainA)).userErrors).toEqual([
      { field: ['input', 'serviceRecord'], code: 'ALREADY_EXISTS' },
    ]);
    expect((await mutate('serviceProjectRecordLink', 'serviceProject { id }', { project: projectA, serviceRecord: R1 }, westAdmin)).userErrors).toEqual([
      { field: ['input', 'project'], code: 'NOT_ALLOWED' },
    ]);
    expect(codeOf((await mutate('serviceProjectRecordLink', 'serviceProject { id }', { project: projectA, serviceRecord: R1 }, volunteer)).errors)).toBe('FORBIDDEN');
    const refused = await mutate(
      'serviceProjectCreate',
      'serviceProject { id }',
      { ownerTeam: TEAM_B, name: '越权', category: 'repair', region: WEST, description: 'x' },
      captainA,
    );
    expect(refused.userErrors).toEqual([{ field: ['input', 'ownerTeam'], code: 'NOT_ALLOWED' }]);
  });

  it('are created for a team by the admins of its community and for an organisation through its teams', async () => {
    projectB = await createProject({ ownerTeam: TEAM_B, name: '西区维修', category: 'repair', region: WEST, description: '小修小补' }, westAdmin);
    expect((await mutate('serviceProjectRecordLink', 'serviceProject { id }', { project: projectB, serviceRecord: R3 }, westAdmin)).userErrors).toEqual([]);
    projectOrg = await createProject({ ownerOrganization: ORG, name: '机构项目', category: 'repair', region: EAST, description: '机构的' }, districtAdmin);
    const twoOwners = await mutate(
      'serviceProjectCreate',
      'serviceProject { id }',
      { ownerTeam: TEAM_B, ownerOrganization: ORG, name: 'x', category: 'repair', region: WEST, description: 'x' },
      westAdmin,
    );
    expect(twoOwners.userErrors).toEqual([{ field: ['input', 'ownerTeam'], code: 'INVALID' }]);
  });
});

const COMPETITION = `id status stages { stage openedAt closedAt judges } criteria { id name weight }`;
interface CompetitionShape {
  id: string;
  status: string;
  criteria: { id: string; name: string; weight: number }[];
}
interface ResultShape {
  project: { id: string };
  position: number;
  score: number | null;
  judges: number;
  minutes: number;
  advanced: boolean;
  award: string | null;
}
const RESULT = 'project { id } position score judges minutes advanced award';

let competition: CompetitionShape;

async function close(stage: string, viewer: Viewer = districtAdmin) {
  const { value, userErrors, errors } = await mutate<{ alreadyClosed: boolean | null; results: ResultShape[] }>(
    'competitionStageClose',
    `alreadyClosed results { ${RESULT} }`,
    { competition: competition.id, stage },
    viewer,
  );
  return { alreadyClosed: value?.alreadyClosed ?? null, results: value?.results ?? [], userErrors, errors };
}

async function score(judgeId: string, project: string, values: [number, number], stage = 'PRELIMINARY') {
  const [impact, innovation] = competition.criteria;
  return mutate<{ scores: { score: number }[] }>(
    'competitionScore',
    'scores { score }',
    {
      competition: competition.id,
      stage,
      project,
      scores: [
        { criterion: impact!.id, score: values[0] },
        { criterion: innovation!.id, score: values[1] },
      ],
    },
    judge(judgeId),
  );
}

describe('a competition', () => {
  it('is created by an admin of its region, with weights adding up to 100 and awards within the final’s quota', async () => {
    const input = {
      title: '新城区志愿服务项目大赛',
      region: DISTRICT,
      criteria: [
        { name: '项目成效', weight: 60 },
        { name: '创新性', weight: 40 },
      ],
      finalQuota: 2,
      awards: [
        { level: 'GOLD', count: 1 },
        { level: 'SILVER', count: 1 },
      ],
    };
    expect((await mutate('competitionCreate', 'competition { id }', { ...input, criteria: [{ name: '项目成效', weight: 50 }] }, districtAdmin)).userErrors).toEqual([
      { field: ['input', 'criteria'], code: 'INVALID' },
    ]);
    expect((await mutate('competitionCreate', 'competition { id }', { ...input, awards: [{ level: 'GOLD', count: 3 }] }, districtAdmin)).userErrors).toEqual([
      { field: ['input', 'awards'], code: 'INVALID' },
    ]);
    expect((await mutate('competitionCreate', 'competition { id }', input, westAdmin)).userErrors).toEqual([{ field: ['input', 'region'], code: 'NOT_ALLOWED' }]);
    expect(codeOf((await mutate('competitionCreate', 'competition { id }', input, captainA)).errors)).toBe('FORBIDDEN');
    const created = await mutate<{ competition: CompetitionShape }>('competitionCreate', `competition { ${COMPETITION} }`, input, districtAdmin);
    expect(created.userErrors).toEqual([]);
    competition = created.value!.competition;
    expect(competition).toMatchObject({
      status: 'APPLICATION',
      criteria: [
        { name: '项目成效', weight: 60 },
        { name: '创新性', weight: 40 },
      ],
    });
  });

  it('takes applications from the projects’ owners during the application stage', async () => {
    expect((await mutate('competitionApply', 'competition { id }', { competition: competition.id, project: projectB }, captainA)).userErrors).toEqual([
      { field: ['input', 'project'], code: 'NOT_ALLOWED' },
    ]);
    for (const [project, viewer] of [
      [projectA, captainA],
      [projectB, westAdmin],
      [projectOrg, districtAdmin],
    ] as const) {
      expect((await mutate('competitionApply', 'competition { id }', { competition: competition.id, project }, viewer)).userErrors).toEqual([]);
    }
    expect((await mutate('competitionApply', 'competition { id }', { competition: competition.id, project: projectA }, captainA)).userErrors).toEqual([
      { field: ['input', 'project'], code: 'ALREADY_EXISTS' },
    ]);
    for (const [stage, judgeId] of [
      ['PRELIMINARY', J1],
      ['PRELIMINARY', J2],
      ['FINAL', J2],
      ['FINAL', J3],
    ] as const) {
      expect((await mutate('competitionJudgeAssign', 'competition { id }', { competition: competition.id, stage, judge: judgeId }, districtAdmin)).userErrors).toEqual([]);
    }
    // Scoring before the preliminary opens is refused.
    expect((await score(J2, projectA, [80, 80])).userErrors).toEqual([{ field: ['input', 'stage'], code: 'INVALID_STATE' }]);
    const closed = await close('APPLICATION');
    expect(closed.results.map((result) => [result.project.id, result.position, result.advanced])).toEqual([
      [projectA, 1, true],
      [projectB, 2, true],
      [projectOrg, 3, true],
    ]);
    expect((await mutate('competitionApply', 'competition { id }', { competition: competition.id, project: projectA }, captainA)).userErrors).toEqual([
      { field: ['input', 'competition'], code: 'INVALID_STATE' },
    ]);
  });

  it('refuses, in the database, a judge on the owner side: a member of a team of the owning organisation', async () => {
    expect((await score(J1, projectA, [90, 90])).userErrors).toEqual([{ field: ['input', 'project'], code: 'CONFLICT_OF_INTEREST' }]);
    expect((await score(J1, projectOrg, [90, 90])).userErrors).toEqual([{ field: ['input', 'project'], code: 'CONFLICT_OF_INTEREST' }]);
    const [criterion] = competition.criteria;
    const direct = await db()
      .execute(
        sql`insert into recognition.competition_scores (id, competition_id, stage, judge_id, project_id, criterion_id, score)
            values (${newId()}, ${competition.id}, 'preliminary', ${J1}, ${projectA}, ${criterion!.id}, 90)`,
      )
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(isConstraintViolation(direct, CHECK_VIOLATION, 'competition_scores_conflict_of_interest')).toBe(true);
    const [row] = await rowsOf<{ n: number }>(db(), sql`select count(*)::int as n from recognition.competition_scores where judge_id = ${J1}`);
    expect(row!.n).toBe(0);
    // A member who left the owner's team is no longer on its side; a judge not assigned to the stage is refused first.
    expect((await score(FORMER, projectA, [90, 90])).userErrors).toEqual([{ field: ['input', 'stage'], code: 'NOT_ALLOWED' }]);
  });

  it('ranks the preliminary with ties broken by measured minutes and advances the final’s quota', async () => {
    // J2: A and B tie at 70 (A 60×70+40×70; B 60×80+40×55 = 70); J1 (of ORG's side) scores B only: 70 as well.
    expect((await score(J1, projectB, [70, 70])).userErrors).toEqual([]);
    expect((await score(J2, projectA, [50, 50])).userErrors).toEqual([]);
    // The latest score counts: J2 changes their mind on A.
    expect((await score(J2, projectA, [70, 70])).userErrors).toEqual([]);
    expect((await score(J2, projectB, [80, 55])).userErrors).toEqual([]);
    expect((await score(J2, projectOrg, [60, 60])).userErrors).toEqual([]);
    const closed = await close('PRELIMINARY');
    expect(closed.userErrors).toEqual([]);
    expect(closed.alreadyClosed).toBe(false);
    // A and B both 70: A has 210 measured minutes, B 90, so A is first; only two go to the final.
    expect(closed.results).toEqual([
      { project: { id: projectA }, position: 1, score: 70, judges: 1, minutes: 210, advanced: true, award: null },
      { project: { id: projectB }, position: 2, score: 70, judges: 2, minutes: 90, advanced: true, award: null },
      { project: { id: projectOrg }, position: 3, score: 60, judges: 1, minutes: 0, advanced: false, award: null },
    ]);
  });

  it('freezes a closed stage: no score, no result changed, the same answer when closed again', async () => {
    expect((await score(J2, projectA, [100, 100])).userErrors).toEqual([{ field: ['input', 'stage'], code: 'INVALID_STATE' }]);
    await expect(db().execute(sql`update recognition.competition_results set position = 9 where competition_id = ${competition.id}`)).rejects.toThrow();
    await expect(db().execute(sql`delete from recognition.competition_scores where competition_id = ${competition.id}`)).rejects.toThrow();
    await expect(
      db().execute(sql`update recognition.competition_stages set closed_at = null where competition_id = ${competition.id} and stage = 'preliminary'`),
    ).rejects.toThrow();
    const again = await close('PRELIMINARY');
    expect(again.alreadyClosed).toBe(true);
    expect(again.results.map((result) => [result.project.id, result.advanced])).toEqual([
      [projectA, true],
      [projectB, true],
      [projectOrg, false],
    ]);
  });

  it('shows scores to organisers and judges only', async () => {
    const query = `query ($id: ID!) { competition(id: $id) { scores(stage: PRELIMINARY) { judge { id } score } } }`;
    const organiser = await recognition.execute(query, { variables: { id: competition.id }, viewer: districtAdmin });
    expect((organiser.data as { competition: { scores: unknown[] } }).competition.scores).toHaveLength(8);
    const own = await recognition.execute(query, { variables: { id: competition.id }, viewer: judge(J1) });
    expect((own.data as { competition: { scores: { judge: { id: string } }[] } }).competition.scores.every((entry) => entry.judge.id === J1)).toBe(true);
    const stranger = await recognition.execute(query, { variables: { id: competition.id }, viewer: volunteer });
    expect(codeOf(stranger.errors)).toBe('FORBIDDEN');
  });

  it('checks authority before state: an outsider learns nothing of a stage', async () => {
    expect((await close('FINAL', otherAdmin)).userErrors).toEqual([{ field: ['input', 'competition'], code: 'NOT_ALLOWED' }]);
    expect(codeOf((await close('FINAL', volunteer)).errors)).toBe('FORBIDDEN');
    expect(codeOf((await close('FINAL', ANONYMOUS)).errors)).toBe('UNAUTHENTICATED');
  });

  it('awards the final by rank and counts, with an honour certificate each, once, when two admins close it at once', async () => {
    expect((await score(J2, projectOrg, [90, 90], 'FINAL')).userErrors).toEqual([{ field: ['input', 'project'], code: 'NOT_FOUND' }]);
    expect((await score(J2, projectA, [60, 60], 'FINAL')).userErrors).toEqual([]);
    expect((await score(J3, projectA, [60, 60], 'FINAL')).userErrors).toEqual([]);
    expect((await score(J2, projectB, [90, 80], 'FINAL')).userErrors).toEqual([]);
    const [a, b] = await Promise.all([close('FINAL'), close('FINAL', platformAdmin)]);
    expect([a.alreadyClosed, b.alreadyClosed].sort()).toEqual([false, true]);
    expect(a.results).toEqual(b.results);
    expect(a.results).toEqual([
      { project: { id: projectB }, position: 1, score: 86, judges: 1, minutes: 90, advanced: false, award: 'GOLD' },
      { project: { id: projectA }, position: 2, score: 60, judges: 2, minutes: 210, advanced: false, award: 'SILVER' },
    ]);
    const events = await rowsOf<{ aggregate_type: string; payload: Record<string, unknown> }>(
      db(),
      sql`select aggregate_type, payload from recognition.outbox where type = 'competition.awarded' and aggregate_id = ${competition.id}`,
    );
    expect(events).toEqual([
      {
        aggregate_type: 'competition',
        payload: {
          competitionId: competition.id,
          title: '新城区志愿服务项目大赛',
          regionId: DISTRICT,
          awardedAt: expect.any(String),
          awards: [
            { projectId: projectB, projectName: '西区维修', level: 'gold', position: 1 },
            { projectId: projectA, projectName: '兴乐助老', level: 'silver', position: 2 },
          ],
        },
      },
    ]);
    const { data } = await recognition.execute(`query ($id: ID!) { competition(id: $id) { status awards { project { name } award } } }`, {
      variables: { id: competition.id },
      viewer: ANONYMOUS,
    });
    expect(data).toEqual({
      competition: {
        status: 'AWARDED',
        awards: [
          { project: { name: '西区维修' }, award: 'GOLD' },
          { project: { name: '兴乐助老' }, award: 'SILVER' },
        ],
      },
    });
    // Each award came with one honour certificate in the close's transaction, the concurrent close adding none.
    const honours = await rowsOf<{ subject_id: string; title: string; issuer: string; holder_name: string; source_id: string }>(
      db(),
      sql`select subject_id::text, title, issuer, holder_name, source_id::text from recognition.certificates where subject_kind = 'project' order by title collate "C"`,
    );
    expect(honours).toEqual([
      { subject_id: projectB, title: '金奖', issuer: '新城区志愿服务项目大赛', holder_name: '西区维修', source_id: competition.id },
      { subject_id: projectA, title: '银奖', issuer: '新城区志愿服务项目大赛', holder_name: '兴乐助老', source_id: competition.id },
    ]);
  });

  it('lists competitions by region and status, and a project’s competitions', async () => {
    const { data, errors } = await recognition.execute(`query ($region: ID) { competitions(filter: { region: $region, status: AWARDED }) { edges { node { id } } } }`, {
      variables: { region: STREET },
      viewer: volunteer,
    });
    expect(errors).toBeUndefined();
    expect(data).toEqual({ competitions: { edges: [] } });
    const byDistrict = await recognition.execute(`query { competitions(filter: { status: AWARDED }) { edges { node { id } } } }`, { viewer: volunteer });
    expect(byDistrict.data).toEqual({ competitions: { edges: [{ node: { id: competition.id } }] } });
    const project = await recognition.execute(`query ($id: ID!) { serviceProject(id: $id) { competitions { id } } }`, { variables: { id: projectA }, viewer: volunteer });
    expect(project.data).toEqual({ serviceProject: { competitions: [{ id: competition.id }] } });
  });

  it('reads the results and awards of a page of competitions in one statement, however many there are', async () => {
    for (const title of ['东区项目大赛', '西区项目大赛']) {
      const created = await mutate(
        'competitionCreate',
        'competition { id }',
        { title, region: DISTRICT, criteria: [{ name: '项目成效', weight: 100 }], finalQuota: 1, awards: [{ level: 'GOLD', count: 1 }] },
        districtAdmin,
      );
      expect(created.userErrors).toEqual([]);
    }
    const LIST = `query ($first: Int) { competitions(first: $first) { edges { node { results { position } awards { position } } } } }`;
    const one = await countStatements(recognition.database, () => recognition.execute(LIST, { variables: { first: 1 }, viewer: volunteer }));
    const all = await countStatements(recognition.database, () => recognition.execute(LIST, { variables: { first: 50 }, viewer: volunteer }));
    expect(all.result.errors).toBeUndefined();
    const listed = (all.result.data as { competitions: { edges: unknown[] } }).competitions.edges;
    expect(listed.length).toBeGreaterThan(2);
    // The page, then every listed competition's results at once.
    expect([one.count, all.count]).toEqual([2, 2]);
  });
});

describe('the tie rule', () => {
  const entry = (projectId: string, total: number, judges: number, minutes: number, appliedAt: string): Ranked => ({
    projectId,
    total,
    judges,
    minutes,
    appliedAt: new Date(appliedAt),
    position: 0,
    scoreHundredths: 0,
  });

  it('orders by exact average score, then minutes, then the earlier application, then id', () => {
    const ranked = [
      entry('b', 14_000, 2, 10, '2025-01-02T00:00:00Z'),
      entry('a', 7_000, 1, 10, '2025-01-02T00:00:00Z'),
      entry('c', 7_000, 1, 10, '2025-01-01T00:00:00Z'),
      entry('d', 7_000, 1, 20, '2025-01-03T00:00:00Z'),
      entry('e', 20_001, 3, 0, '2025-01-01T00:00:00Z'),
    ].sort(compareRanked);
    expect(ranked.map((r) => r.projectId)).toEqual(['d', 'c', 'a', 'b', 'e']);
    expect(rankEntrants([{ projectId: 'x', appliedAt: new Date(0), minutes: 0 }], [], new Map()).map((r) => [r.position, r.scoreHundredths])).toEqual([[1, 0]]);
  });
});
