/** Care plans: recurrences (weekly, every two weeks, monthly on the 31st), occurrences as accepted requests made once, skipping, moving, ending, refusals. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eq, sql } from 'drizzle-orm';
import { isConstraintViolation, rowsOf, type Viewer } from '@lianxin/shared';
import { demoId } from '@lianxin/shared/demo';
import { carePlanOccurrences, categories } from '../src/db/schema.js';
import { generateAllOccurrences } from '../src/plans/generate.js';
import { occurrenceDates, type Recurrence } from '../src/plans/recurrence.js';
import { XINGLE, codeOf, heHousehold, liuGuifang, run, startRequests, viewers, zhangXiuying, LEXIUJIANG, type RequestsTestBed, type UserErrorShape } from './support.js';

let bed: RequestsTestBed;

/** Monday 4 March 2030, 10:00 in Beijing. */
const NOW = new Date('2030-03-04T02:00:00Z');

beforeAll(async () => {
  bed = await startRequests();
  bed.clock.set(NOW);
});
afterAll(async () => {
  await bed?.stop();
});

interface Occurrence {
  id: string;
  status: string;
  wishedAt: Date;
  assignee: { id: string } | null;
  dispatchedTeam: { id: string } | null;
  carePlan: { id: string } | null;
}
interface Plan {
  id: string;
  status: string;
  weekday: string | null;
  startTime: string;
  occurrences: { totalCount: number; edges: { node: Occurrence }[] };
}

const PLAN = `id status weekday startTime occurrences(first: 100) { totalCount edges { node { id status wishedAt assignee { id } dispatchedTeam { id } carePlan { id } } } }`;

const base = {
  beneficiary: liuGuifang.id,
  place: XINGLE,
  category: 'companionship',
  volunteer: zhangXiuying.id,
  description: '每周上门更换导尿管。',
  frequency: 'WEEKLY',
  weekday: 'TUESDAY',
  startTime: '09:30',
  durationMinutes: 45,
  startsOn: '2030-03-04',
};

async function create(input: Record<string, unknown>, viewer: Viewer = viewers.lin) {
  const result = await bed.requests.execute(`mutation ($input: CarePlanCreateInput!) { carePlanCreate(input: $input) { plan { ${PLAN} } userErrors { field code message } } }`, {
    variables: { input },
    viewer,
  });
  return result;
}

async function mustCreate(input: Record<string, unknown>): Promise<Plan> {
  const result = await create(input);
  const payload = (result.data as { carePlanCreate: { plan: Plan | null; userErrors: UserErrorShape[] } } | null)?.carePlanCreate;
  if (!payload?.plan) throw new Error(JSON.stringify(result.errors ?? payload?.userErrors));
  return payload.plan;
}

async function planOf(id: string, viewer: Viewer = viewers.lin): Promise<Plan | null> {
  return (await run<{ carePlan: Plan | null }>(bed, `query ($id: ID!) { carePlan(id: $id) { ${PLAN} } }`, viewer, { id })).carePlan;
}

async function userErrorsOf(input: Record<string, unknown>): Promise<UserErrorShape[]> {
  const result = await create(input);
  expect(result.errors).toBeUndefined();
  return (result.data as { carePlanCreate: { userErrors: UserErrorShape[] } }).carePlanCreate.userErrors;
}

async function occurrenceChange(mutation: 'carePlanOccurrenceSkip' | 'carePlanOccurrenceMove', input: Record<string, unknown>, viewer: Viewer) {
  const type = mutation === 'carePlanOccurrenceSkip' ? 'CarePlanOccurrenceSkipInput' : 'CarePlanOccurrenceMoveInput';
  return bed.requests.execute(`mutation ($input: ${type}!) { ${mutation}(input: $input) { serviceRequest { id status wishedAt } userErrors { field code message } } }`, {
    variables: { input },
    viewer,
  });
}

async function endPlan(plan: string, viewer: Viewer, reason = '老人住院。') {
  return bed.requests.execute(`mutation ($input: CarePlanEndInput!) { carePlanEnd(input: $input) { plan { id status endReason } userErrors { field code message } } }`, {
    variables: { input: { plan, reason } },
    viewer,
  });
}

const dates = (plan: Plan): string[] => plan.occurrences.edges.map((edge) => new Date(edge.node.wishedAt).toISOString());

describe('recurrence arithmetic', () => {
  const rule = (overrides: Partial<Recurrence>): Recurrence => ({
    frequency: 'weekly',
    intervalWeeks: 1,
    weekday: 2,
    monthDay: null,
    startsOn: '2030-01-01',
    endsOn: null,
    ...overrides,
  });

  it('falls on the weekday every N weeks, counted from the week of the start', () => {
    expect(occurrenceDates(rule({ weekday: 2 }), '2030-03-04', '2030-03-20')).toEqual(['2030-03-05', '2030-03-12', '2030-03-19']);
    // 2030-01-01 is a Tuesday: its week holds the first occurrence, and every second week after it.
    expect(occurrenceDates(rule({ intervalWeeks: 2 }), '2030-01-01', '2030-02-01')).toEqual(['2030-01-01', '2030-01-15', '2030-01-29']);
    // Starting on a Wednesday, that week's Monday is before the start: the first one is the next fortnight's.
    expect(occurrenceDates(rule({ weekday: 1, intervalWeeks: 2, startsOn: '2030-01-02' }), '2030-01-01', '2030-02-01')).toEqual(['2030-01-14', '2030-01-28']);
  });

  it('falls on the last day of a month shorter than the day asked, leap years included', () => {
    const monthly = rule({ frequency: 'monthly', weekday: null, intervalWeeks: null, monthDay: 31, startsOn: '2031-12-15' });
    expect(occurrenceDates(monthly, '2031-12-01', '2032-06-30')).toEqual(['2031-12-31', '2032-01-31', '2032-02-29', '2032-03-31', '2032-04-30', '2032-05-31', '2032-06-30']);
    expect(occurrenceDates({ ...monthly, startsOn: '2030-01-31' }, '2030-02-01', '2030-03-01')).toEqual(['2030-02-28']);
  });

  it('stops at the end date and gives nothing for nonsense ranges', () => {
    expect(occurrenceDates(rule({ endsOn: '2030-01-08' }), '2030-01-01', '2030-12-31')).toEqual(['2030-01-01', '2030-01-08']);
    expect(occurrenceDates(rule({}), '2030-02-30', '2030-03-31')).toEqual([]);
    expect(occurrenceDates(rule({}), '2030-03-31', '2030-03-01')).toEqual([]);
  });
});

describe('carePlanCreate', () => {
  it('makes a weekly plan whose occurrences up to the horizon are requests accepted by its volunteer', async () => {
    const plan = await mustCreate(base);
    expect(plan).toMatchObject({ status: 'ACTIVE', weekday: 'TUESDAY', startTime: '09:30' });
    // Four weeks ahead from Monday 4 March: the Tuesdays 5, 12, 19 and 26 March at 09:30 Beijing.
    expect(dates(plan)).toEqual(['2030-03-05T01:30:00.000Z', '2030-03-12T01:30:00.000Z', '2030-03-19T01:30:00.000Z', '2030-03-26T01:30:00.000Z']);
    expect(plan.occurrences.totalCount).toBe(4);
    for (const { node } of plan.occurrences.edges) {
      expect(node).toMatchObject({ status: 'ACCEPTED', assignee: { id: zhangXiuying.id }, dispatchedTeam: null, carePlan: { id: plan.id } });
    }
    // The volunteer and the beneficiary read the plan; a stranger and another community's staff do not.
    expect((await planOf(plan.id, viewers.zhang))?.id).toBe(plan.id);
    expect((await planOf(plan.id, viewers.liu))?.id).toBe(plan.id);
    expect(await planOf(plan.id, viewers.stranger)).toBeNull();
    expect(await planOf(plan.id, viewers.zimingStation)).toBeNull();
  });

  it('makes a fortnightly plan for a team, its occurrences dispatched to the team', async () => {
    const plan = await mustCreate({ ...base, volunteer: null, team: LEXIUJIANG, weekday: 'THURSDAY', intervalWeeks: 2, horizonDays: 42 });
    expect(dates(plan)).toEqual(['2030-03-07T01:30:00.000Z', '2030-03-21T01:30:00.000Z', '2030-04-04T01:30:00.000Z']);
    for (const { node } of plan.occurrences.edges) expect(node).toMatchObject({ status: 'DISPATCHED', assignee: null, dispatchedTeam: { id: LEXIUJIANG } });
  });

  it('makes a monthly plan on the 31st, falling on the last day of shorter months', async () => {
    const plan = await mustCreate({ ...base, frequency: 'MONTHLY', weekday: null, monthDay: 31, startTime: '14:00', horizonDays: 92 });
    expect(plan.weekday).toBeNull();
    expect(dates(plan)).toEqual(['2030-03-31T06:00:00.000Z', '2030-04-30T06:00:00.000Z', '2030-05-31T06:00:00.000Z']);
  });

  it('refuses bad input shapes as user errors', async () => {
    const cases: [Record<string, unknown>, string[], string][] = [
      [{ weekday: null }, ['input', 'weekday'], 'INVALID'],
      [{ team: LEXIUJIANG }, ['input', 'volunteer'], 'INVALID'],
      [{ volunteer: null }, ['input', 'volunteer'], 'INVALID'],
      [{ startTime: '25:00' }, ['input', 'startTime'], 'INVALID'],
      [{ startTime: '9:30' }, ['input', 'startTime'], 'INVALID'],
      [{ startsOn: '2030-02-30' }, ['input', 'startsOn'], 'INVALID'],
      [{ startsOn: 'tomorrow' }, ['input', 'startsOn'], 'INVALID'],
      [{ endsOn: '2030-03-01' }, ['input', 'endsOn'], 'INVALID'],
      [{ durationMinutes: -5 }, ['input', 'durationMinutes'], 'INVALID'],
      [{ durationMinutes: 2000 }, ['input', 'durationMinutes'], 'INVALID'],
      [{ horizonDays: 1000 }, ['input', 'horizonDays'], 'INVALID'],
      [{ intervalWeeks: 0 }, ['input', 'intervalWeeks'], 'INVALID'],
      [{ frequency: 'MONTHLY', monthDay: 32, weekday: null }, ['input', 'monthDay'], 'INVALID'],
      [{ frequency: 'MONTHLY', monthDay: 5 }, ['input', 'weekday'], 'INVALID'],
      [{ description: 'x'.repeat(2001) }, ['input', 'description'], 'INVALID'],
      [{ description: '   ' }, ['input', 'description'], 'REQUIRED'],
      [{ beneficiary: 'not-an-id' }, ['input', 'beneficiary'], 'INVALID'],
      [{ category: 'no_such_category' }, ['input', 'category'], 'NOT_FOUND'],
    ];
    for (const [overrides, field, code] of cases) {
      const errors = await userErrorsOf({ ...base, ...overrides });
      expect({ overrides, errors: errors.map((error) => [error.field, error.code]) }).toEqual({ overrides, errors: [[field, code]] });
    }
  });

  it('refuses a retired category, a place outside the scope, a household not the beneficiary’s, and plans for oneself', async () => {
    await bed.requests.database.db.update(categories).set({ retiredAt: NOW }).where(eq(categories.code, 'tutoring'));
    expect((await userErrorsOf({ ...base, category: 'tutoring' })).map((error) => error.code)).toEqual(['INVALID_STATE']);
    const outside = await create({ ...base }, viewers.zimingStation);
    expect((outside.data as { carePlanCreate: { userErrors: UserErrorShape[] } }).carePlanCreate.userErrors.map((error) => [error.field, error.code])).toEqual([
      [['input', 'place'], 'NOT_ALLOWED'],
    ]);
    expect((await userErrorsOf({ ...base, household: heHousehold.id })).map((error) => error.code)).toEqual(['INVALID']);
    expect((await userErrorsOf({ ...base, beneficiary: viewers.lin.personId })).map((error) => error.code)).toEqual(['NOT_ALLOWED']);
  });

  it('refuses residents, volunteers and grid workers before looking at the input', async () => {
    for (const viewer of [viewers.liu, viewers.zhang, viewers.gridWorker]) {
      expect(codeOf(await create({ ...base, startsOn: 'not a date' }, viewer))).toBe('FORBIDDEN');
    }
  });
});

describe('the demo', () => {
  it('holds a weekly catheter-care plan with seven visits done and recorded, and visits ahead generated', async () => {
    const data = await run<{
      carePlan: { frequency: string; status: string; occurrences: { totalCount: number; edges: { node: { status: string; serviceRecord: { minutes: number } | null } }[] } } | null;
    }>(
      bed,
      `query ($id: ID!) { carePlan(id: $id) { frequency status occurrences(first: 100) { totalCount edges { node { status serviceRecord { minutes } } } } } }`,
      viewers.platform,
      { id: demoId(58, 1) },
    );
    const plan = data.carePlan!;
    expect(plan).toMatchObject({ frequency: 'WEEKLY', status: 'ACTIVE' });
    const statuses = plan.occurrences.edges.map((edge) => edge.node.status);
    expect(statuses.slice(0, 7)).toEqual(Array(7).fill('COMPLETED'));
    expect(plan.occurrences.edges.slice(0, 7).map((edge) => edge.node.serviceRecord?.minutes)).toEqual(Array(7).fill(45));
    expect(statuses.slice(7).length).toBeGreaterThanOrEqual(3);
    expect(new Set(statuses.slice(7))).toEqual(new Set(['ACCEPTED']));
  });
});

describe('generation', () => {
  const countRows = async (): Promise<number> => {
    const [row] = await rowsOf<{ total: number }>(bed.requests.database.db, sql`select count(*)::int as total from requests.care_plan_occurrences`);
    return row?.total ?? 0;
  };

  it('makes each occurrence once when two schedulers race, and nothing when nothing is due', async () => {
    const plan = await mustCreate(base);
    bed.clock.set(new Date(NOW.getTime() + 7 * 24 * 3600_000));
    try {
      const before = await countRows();
      const made = await Promise.all([generateAllOccurrences(bed.requests.database.db, bed.clock.now()), generateAllOccurrences(bed.requests.database.db, bed.clock.now())]);
      const after = await countRows();
      expect(after - before).toBe(made[0] + made[1]);
      expect(after - before).toBeGreaterThan(0);
      const doubled = await rowsOf(bed.requests.database.db, sql`select plan_id, occurs_on from requests.care_plan_occurrences group by 1, 2 having count(*) > 1`);
      expect(doubled).toEqual([]);
      expect(await generateAllOccurrences(bed.requests.database.db, bed.clock.now())).toBe(0);
      // The plan gained its Tuesday of 2 April, the first beyond the horizon before.
      expect(dates((await planOf(plan.id))!).at(-1)).toBe('2030-04-02T01:30:00.000Z');
    } finally {
      bed.clock.set(NOW);
    }
  });
});

describe('skipping, moving and ending', () => {
  it('skips an occurrence: cancelled with its reason, not generated again, not skipped twice', async () => {
    const plan = await mustCreate(base);
    const first = plan.occurrences.edges[0]!.node.id;
    expect(codeOf(await occurrenceChange('carePlanOccurrenceSkip', { request: first, reason: '回老家。' }, viewers.stranger))).toBe('FORBIDDEN');
    const skipped = await occurrenceChange('carePlanOccurrenceSkip', { request: first, reason: '回老家。' }, viewers.zhang);
    expect(skipped.data).toEqual({ carePlanOccurrenceSkip: { serviceRequest: expect.objectContaining({ id: first, status: 'CANCELLED' }), userErrors: [] } });
    const [row] = await bed.requests.database.db.select().from(carePlanOccurrences).where(eq(carePlanOccurrences.requestId, first));
    expect(row?.skipReason).toBe('回老家。');
    // The skipped day stays for good: the database refuses to delete it or move it to another day.
    const refused = async (change: Promise<unknown>): Promise<boolean> => {
      try {
        await change;
        return false;
      } catch (error) {
        return isConstraintViolation(error, '23514', 'care_plan_occurrences_kept');
      }
    };
    expect(await refused(bed.requests.database.db.delete(carePlanOccurrences).where(eq(carePlanOccurrences.requestId, first)))).toBe(true);
    expect(await refused(bed.requests.database.db.update(carePlanOccurrences).set({ occursOn: '2030-03-06' }).where(eq(carePlanOccurrences.requestId, first)))).toBe(true);
    await generateAllOccurrences(bed.requests.database.db, bed.clock.now());
    const again = (await planOf(plan.id))!;
    expect(again.occurrences.totalCount).toBe(4);
    expect(again.occurrences.edges.map((edge) => edge.node.status)).toEqual(['CANCELLED', 'ACCEPTED', 'ACCEPTED', 'ACCEPTED']);
    const twice = await occurrenceChange('carePlanOccurrenceSkip', { request: first, reason: '再跳过。' }, viewers.lin);
    expect((twice.data as { carePlanOccurrenceSkip: { userErrors: UserErrorShape[] } }).carePlanOccurrenceSkip.userErrors.map((error) => error.code)).toEqual(['INVALID_STATE']);
    const empty = await occurrenceChange('carePlanOccurrenceSkip', { request: plan.occurrences.edges[1]!.node.id, reason: '' }, viewers.lin);
    expect((empty.data as { carePlanOccurrenceSkip: { userErrors: UserErrorShape[] } }).carePlanOccurrenceSkip.userErrors.map((error) => error.field)).toEqual([
      ['input', 'reason'],
    ]);
  });

  it('moves an occurrence to a new time in the future, and refuses the past', async () => {
    const plan = await mustCreate(base);
    const second = plan.occurrences.edges[1]!.node.id;
    const to = new Date('2030-03-13T06:00:00Z');
    const moved = await occurrenceChange('carePlanOccurrenceMove', { request: second, startsAt: to }, viewers.lin);
    expect(moved.data).toEqual({ carePlanOccurrenceMove: { serviceRequest: { id: second, status: 'ACCEPTED', wishedAt: to }, userErrors: [] } });
    const past = await occurrenceChange('carePlanOccurrenceMove', { request: second, startsAt: new Date('2030-03-01T00:00:00Z') }, viewers.lin);
    expect((past.data as { carePlanOccurrenceMove: { userErrors: UserErrorShape[] } }).carePlanOccurrenceMove.userErrors.map((error) => [error.field, error.code])).toEqual([
      [['input', 'startsAt'], 'INVALID'],
    ]);
    // Another community's station admin sees neither plan nor request: refused as missing, before any state.
    expect(codeOf(await occurrenceChange('carePlanOccurrenceMove', { request: second, startsAt: to }, viewers.zimingStation))).toBe('FORBIDDEN');
    // The beneficiary sees the plan but may not change it.
    const byResident = await occurrenceChange('carePlanOccurrenceMove', { request: second, startsAt: to }, viewers.liu);
    expect((byResident.data as { carePlanOccurrenceMove: { userErrors: UserErrorShape[] } }).carePlanOccurrenceMove.userErrors.map((error) => error.code)).toEqual(['NOT_ALLOWED']);
    expect(codeOf(await occurrenceChange('carePlanOccurrenceMove', { request: 'nonsense', startsAt: to }, viewers.lin))).toBeUndefined();
  });

  it('ends a plan: future occurrences cancelled, nothing more generated, not ended twice', async () => {
    const plan = await mustCreate(base);
    const byVolunteer = await endPlan(plan.id, viewers.zhang);
    expect((byVolunteer.data as { carePlanEnd: { userErrors: UserErrorShape[] } }).carePlanEnd.userErrors.map((error) => error.code)).toEqual(['NOT_ALLOWED']);
    expect(codeOf(await endPlan(plan.id, viewers.stranger))).toBe('FORBIDDEN');
    const ended = await endPlan(plan.id, viewers.lin);
    expect(ended.data).toEqual({ carePlanEnd: { plan: { id: plan.id, status: 'ENDED', endReason: '老人住院。' }, userErrors: [] } });
    bed.clock.set(new Date(NOW.getTime() + 14 * 24 * 3600_000));
    try {
      await generateAllOccurrences(bed.requests.database.db, bed.clock.now());
    } finally {
      bed.clock.set(NOW);
    }
    const after = (await planOf(plan.id))!;
    expect(after.occurrences.edges.map((edge) => edge.node.status)).toEqual(['CANCELLED', 'CANCELLED', 'CANCELLED', 'CANCELLED']);
    const twice = await endPlan(plan.id, viewers.lin);
    expect((twice.data as { carePlanEnd: { userErrors: UserErrorShape[] } }).carePlanEnd.userErrors.map((error) => error.code)).toEqual(['INVALID_STATE']);
  });

  it('lists plans by filter with their total, staff in scope and parties only', async () => {
    const list = async (viewer: Viewer, filter: Record<string, unknown> = {}) =>
      (
        await run<{ carePlans: { totalCount: number; edges: { node: { id: string } }[] } }>(
          bed,
          `query ($filter: CarePlanFilter) { carePlans(filter: $filter, first: 100) { totalCount edges { node { id } } } }`,
          viewer,
          { filter },
        )
      ).carePlans;
    const all = await list(viewers.lin);
    expect(all.totalCount).toBe(all.edges.length);
    expect(all.totalCount).toBeGreaterThan(3);
    expect((await list(viewers.lin, { status: 'ENDED' })).totalCount).toBe(1);
    expect((await list(viewers.zhang)).totalCount).toBe((await list(viewers.lin, { volunteer: zhangXiuying.id })).totalCount);
    expect((await list(viewers.stranger)).totalCount).toBe(0);
    expect((await list(viewers.zimingStation)).totalCount).toBe(0);
  });
});
