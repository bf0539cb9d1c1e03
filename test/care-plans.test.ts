/**
 * A care plan end to end through the gateway: a community admin makes a
 * weekly plan, its occurrences are requests already accepted by the
 * volunteer, two instances' scheduled runs racing a week later make each new
 * occurrence once, and an occurrence served through the ordinary flow
 * (start, complete) records the volunteer's hours and brings the points
 * deposit as any request does.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eq, sql } from 'drizzle-orm';
import { createLogger, rowsOf } from '@lianxin/shared';
import { DEMO_REGIONS, DEMO_RESIDENTS, DEMO_STAFF, DEMO_VOLUNTEERS } from '@lianxin/shared/demo';
import { serviceRequests } from '../subgraphs/requests/src/db/schema.js';
import { requestsJobs } from '../subgraphs/requests/src/jobs.js';
import { readRequestsSettings } from '../subgraphs/requests/src/settings.js';
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
const XINGLE = DEMO_REGIONS.xingle.id;
const volunteer = DEMO_VOLUNTEERS[3]!;
const elder = DEMO_RESIDENTS[0]!;
const WEEKDAYS = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'];

type Occurrence = { id: string; status: string; wishedAt: string; assignee: { id: string } | null; carePlan: { id: string } | null };
type PlanRead = { carePlan: { id: string; status: string; occurrences: { totalCount: number; edges: { node: Occurrence }[] } } | null };
const planQuery = `query ($id: ID!) { carePlan(id: $id) { id status occurrences(first: 100) { totalCount edges { node { id status wishedAt assignee { id } carePlan { id } } } } } }`;
type Standing = { person: { account: { balance: number } | null; serviceHours: { minutes: number } } };
const standingQuery = `query ($id: ID!) { person(id: $id) { account { balance } serviceHours { minutes } } }`;

/** Runs the scheduled job as two instances would at the same tick, `days` from now. */
async function raceJob(days: number): Promise<number[]> {
  const db = graph.graph.subgraphs.requests.database.db;
  const later = () => new Date(Date.now() + days * 24 * 3600_000);
  const instance = () => {
    const jobs = requestsJobs({ db, settings: { ...readRequestsSettings({}), now: later }, logger: createLogger('requests', 'silent') });
    const job = jobs.find((candidate) => candidate.name === 'care-plan-occurrences');
    if (!job) throw new Error('no care-plan-occurrences job');
    return job;
  };
  const [first, second] = [instance(), instance()];
  return (await Promise.all([first.run(), second.run()])) as number[];
}

describe('a care plan', () => {
  it('generates accepted occurrences once however many schedulers run, and a served one brings hours and points', async () => {
    const admin = await graph.token({ roles: ['community_admin'], personId: DEMO_STAFF[0]!.id, regionIds: [XINGLE] });
    const token = await graph.token({ roles: ['volunteer'], personId: volunteer.id });
    const before = await ok<Standing>(standingQuery, token, { id: volunteer.id });
    // Tomorrow's weekday in Beijing, so the first occurrence lies ahead whatever the hour.
    const tomorrow = new Date(Date.now() + 8 * 3600_000 + 24 * 3600_000);
    const { plan } = await must<{ plan: { id: string } }>(
      'carePlanCreate',
      'plan { id }',
      {
        beneficiary: elder.id,
        place: XINGLE,
        category: 'companionship',
        volunteer: volunteer.id,
        description: '每周上门更换导尿管。',
        frequency: 'WEEKLY',
        weekday: WEEKDAYS[tomorrow.getUTCDay()],
        startTime: '09:00',
        durationMinutes: 45,
        startsOn: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10),
        horizonDays: 21,
      },
      admin,
    );
    const created = (await ok<PlanRead>(planQuery, token, { id: plan.id })).carePlan!;
    expect(created.occurrences.totalCount).toBe(3);
    for (const { node } of created.occurrences.edges) expect(node).toMatchObject({ status: 'ACCEPTED', assignee: { id: volunteer.id }, carePlan: { id: plan.id } });
    // The volunteer's open tasks hold them as any accepted request.
    const tasks = await ok<{ person: { openTasks: { edges: { node: { id: string } }[] } } }>(
      `query ($id: ID!) { person(id: $id) { openTasks(first: 100) { edges { node { id } } } } }`,
      token,
      { id: volunteer.id },
    );
    expect(tasks.person.openTasks.edges.map((edge) => edge.node.id)).toEqual(expect.arrayContaining(created.occurrences.edges.map((edge) => edge.node.id)));

    // A week on, two instances run the job at once: the one new day is made once.
    const made = await raceJob(7);
    expect(made[0]! + made[1]!).toBeGreaterThanOrEqual(1);
    const db = graph.graph.subgraphs.requests.database.db;
    const counted = await rowsOf<{ total: number; days: number }>(
      db,
      sql`select count(*)::int as total, count(distinct occurs_on)::int as days from requests.care_plan_occurrences where plan_id = ${plan.id}`,
    );
    expect(counted).toEqual([{ total: 4, days: 4 }]);
    expect(await raceJob(7)).toEqual([0, 0]);

    // The first occurrence served through the ordinary flow.
    const first = created.occurrences.edges[0]!.node.id;
    await must('serviceRequestStart', 'serviceRequest { id }', { request: first }, token);
    // An hour's visit: move the occurrence's acceptance and start an hour back, as the duty roster's test moves its shift.
    const hourAgo = new Date(Date.now() - 3600_000);
    await db.update(serviceRequests).set({ createdAt: hourAgo, acceptedAt: hourAgo, startedAt: hourAgo }).where(eq(serviceRequests.id, first));
    const done = await must<{ serviceRequest: { status: string; serviceRecord: { id: string; minutes: number } | null } }>(
      'serviceRequestComplete',
      'serviceRequest { status serviceRecord { id minutes } }',
      { request: first, note: '已更换导尿管，老人状况良好。' },
      token,
    );
    expect(done.serviceRequest.status).toBe('COMPLETED');
    const record = done.serviceRequest.serviceRecord!;
    await eventually<{ serviceRecord: { deposit: { points: number } | null } }>(
      'the deposit of the occurrence’s record',
      `query ($id: ID!) { serviceRecord(id: $id) { deposit { points } } }`,
      token,
      { id: record.id },
      (data) => data.serviceRecord.deposit !== null,
    );
    const after = await ok<Standing>(standingQuery, token, { id: volunteer.id });
    expect(record.minutes).toBeGreaterThanOrEqual(60);
    expect(after.person.serviceHours.minutes - before.person.serviceHours.minutes).toBe(record.minutes);
    expect(after.person.account!.balance).toBeGreaterThan(before.person.account?.balance ?? 0);
  });
});
