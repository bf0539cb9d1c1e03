/** The order flow 点单 → 派单 → 接单 → 评单: one state machine, who may do what, history, races and refusals. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { and, count, eq } from 'drizzle-orm';
import { newId } from '@lianxin/shared';
import { DEMO_HOUSEHOLDS } from '@lianxin/shared/demo';
import { viewerOf } from '@lianxin/shared/testing';
import { requestTransitions, serviceRecords, serviceRequests } from '../src/db/schema.js';
import { TRANSITIONS, type RequestAction } from '../src/requests/transitions.js';
import {
  LEXIUJIANG,
  act,
  codeOf,
  fileRequest,
  must,
  requestAt,
  run,
  startRequests,
  topLevelCodeOf,
  viewers,
  wangJianguo,
  zhangXiuying,
  type RequestMutation,
  type RequestsTestBed,
  type Stage,
} from './support.js';

let bed: RequestsTestBed;

beforeAll(async () => {
  bed = await startRequests();
});
afterAll(async () => {
  await bed?.stop();
});

async function statusOf(id: string): Promise<string> {
  const [row] = await bed.requests.database.db.select({ status: serviceRequests.status }).from(serviceRequests).where(eq(serviceRequests.id, id));
  return row!.status;
}

async function historyLength(id: string): Promise<number> {
  const [row] = await bed.requests.database.db.select({ total: count() }).from(requestTransitions).where(eq(requestTransitions.requestId, id));
  return row!.total;
}

/** Each action with its mutation, the actor the flow names for it, and a valid input. */
const ATTEMPTS: Record<Exclude<RequestAction, 'call'>, { mutation: RequestMutation; viewer: keyof typeof viewers; input: Record<string, unknown> }> = {
  approve: { mutation: 'serviceRequestApprove', viewer: 'station', input: {} },
  reject: { mutation: 'serviceRequestReject', viewer: 'station', input: { reason: '不在服务范围内。' } },
  dispatch: { mutation: 'serviceRequestDispatch', viewer: 'station', input: { team: LEXIUJIANG } },
  accept: { mutation: 'serviceRequestAccept', viewer: 'wang', input: {} },
  start: { mutation: 'serviceRequestStart', viewer: 'wang', input: {} },
  complete: { mutation: 'serviceRequestComplete', viewer: 'wang', input: { note: '完成。' } },
  rate: { mutation: 'serviceRequestRate', viewer: 'zheng', input: { score: 4 } },
  cancel: { mutation: 'serviceRequestCancel', viewer: 'zheng', input: { reason: '不需要了。' } },
};

const STAGES: Stage[] = ['submitted', 'approved', 'rejected', 'dispatched', 'accepted', 'in_service', 'completed', 'rated', 'cancelled'];

/** Stages at which 王建国 has accepted the request: it names him as its volunteer. */
const ACCEPTED: readonly Stage[] = ['accepted', 'in_service', 'completed', 'rated'];

/** Stages at which the request was never dispatched to 乐修匠: 王建国 neither sees it nor may take it. */
const UNDISPATCHED: readonly Stage[] = ['submitted', 'approved', 'rejected', 'cancelled'];

/**
 * What the actor of `action` hears at `stage` when the table does not list
 * the change. Authority comes first: 王建国 may not see a request never
 * dispatched to his team (FORBIDDEN, before any payload: `null` here), and
 * sees but may not serve one he has not accepted (NOT_ALLOWED); whoever holds
 * the authority hears INVALID_STATE.
 */
function refusalFor(action: Exclude<RequestAction, 'call'>, stage: Stage): { code: string; message: unknown } | null {
  const served = action === 'accept' || action === 'start' || action === 'complete';
  if (served && UNDISPATCHED.includes(stage)) return null;
  if (served && action !== 'accept' && stage === 'dispatched') return { code: 'NOT_ALLOWED', message: expect.stringContaining('accepted it') };
  return { code: 'INVALID_STATE', message: expect.stringContaining('cannot be') };
}

describe('the state machine', () => {
  it('refuses every transition the table does not list, changing nothing: INVALID_STATE to whoever holds the authority', async () => {
    let refusals = 0;
    for (const stage of STAGES) {
      const request = await requestAt(bed, stage);
      expect(await statusOf(request)).toBe(stage);
      const history = await historyLength(request);
      for (const [action, attempt] of Object.entries(ATTEMPTS) as [Exclude<RequestAction, 'call'>, (typeof ATTEMPTS)['approve']][]) {
        if (TRANSITIONS[action].from.includes(stage)) continue;
        const refusal = refusalFor(action, stage);
        const input = { request, ...attempt.input };
        if (refusal === null) {
          expect({ stage, action, code: await topLevelCodeOf(bed, attempt.mutation, input, viewers[attempt.viewer]) }).toEqual({ stage, action, code: 'FORBIDDEN' });
        } else {
          const payload = await act(bed, attempt.mutation, input, viewers[attempt.viewer]);
          // Refused, the payload shows the request as it stands, which the actor may see: the status unchanged.
          const asItStands = { id: request, status: stage.toUpperCase(), assignee: ACCEPTED.includes(stage) ? { id: wangJianguo.id } : null };
          expect({ stage, action, payload }).toEqual({ stage, action, payload: { serviceRequest: asItStands, userErrors: [{ field: ['input', 'request'], ...refusal }] } });
        }
        refusals += 1;
      }
      expect(await statusOf(request)).toBe(stage);
      expect(await historyLength(request)).toBe(history);
    }
    // 9 statuses × 8 actions, less the 12 legal pairs.
    expect(refusals).toBe(60);
  });

  it('takes a request through the whole flow, writing who did what and when at every step', async () => {
    const start = new Date('2026-03-02T01:00:00.000Z');
    bed.clock.set(start);
    const request = await fileRequest(bed);
    bed.clock.advance(10 * 60_000);
    await must(bed, 'serviceRequestApprove', { request, reason: '核实属实。' }, viewers.station);
    bed.clock.advance(5 * 60_000);
    await must(bed, 'serviceRequestDispatch', { request, team: LEXIUJIANG }, viewers.station);
    bed.clock.advance(15 * 60_000);
    await must(bed, 'serviceRequestAccept', { request }, viewers.wang);
    bed.clock.advance(60 * 60_000);
    await must(bed, 'serviceRequestStart', { request }, viewers.wang);
    bed.clock.advance(95 * 60_000);
    await must(
      bed,
      'serviceRequestComplete',
      { request, note: '楼道已清扫干净。', evidenceUrls: ['https://example.org/after.jpg'], materialsUsed: [{ name: '垃圾袋', quantity: 3 }] },
      viewers.wang,
    );
    bed.clock.advance(60 * 60_000);
    await must(bed, 'serviceRequestRate', { request, score: 5, comment: '很满意。' }, viewers.zheng);
    bed.clock.reset();

    const data = await run<{ serviceRequest: Record<string, unknown> }>(
      bed,
      `query ($id: ID!) { serviceRequest(id: $id) {
        status assignee { id } dispatchedTeam { id } acceptedAt startedAt completedAt
        responseTimes { toAccept toComplete }
        completion { note evidenceUrls materialsUsed { name quantity } }
        rating { score comment ratedBy { id } }
        history { from to actorKind actor { id } reason dispatchedTeam { id } at }
        serviceRecord { kind minutes volunteer { id } category { code } servedAt }
      } }`,
      viewers.station,
      { id: request },
    );
    const at = (minutes: number) => new Date(start.getTime() + minutes * 60_000);
    expect(data.serviceRequest).toEqual({
      status: 'RATED',
      assignee: { id: wangJianguo.id },
      dispatchedTeam: { id: LEXIUJIANG },
      acceptedAt: at(30),
      startedAt: at(90),
      completedAt: at(185),
      responseTimes: { toAccept: 30 * 60, toComplete: 155 * 60 },
      completion: { note: '楼道已清扫干净。', evidenceUrls: ['https://example.org/after.jpg'], materialsUsed: [{ name: '垃圾袋', quantity: 3 }] },
      rating: { score: 5, comment: '很满意。', ratedBy: { id: viewers.zheng.personId } },
      history: [
        { from: null, to: 'SUBMITTED', actorKind: 'PERSON', actor: { id: viewers.zheng.personId }, reason: null, dispatchedTeam: null, at: at(0) },
        { from: 'SUBMITTED', to: 'APPROVED', actorKind: 'PERSON', actor: { id: viewers.station.personId }, reason: '核实属实。', dispatchedTeam: null, at: at(10) },
        { from: 'APPROVED', to: 'DISPATCHED', actorKind: 'PERSON', actor: { id: viewers.station.personId }, reason: null, dispatchedTeam: { id: LEXIUJIANG }, at: at(15) },
        { from: 'DISPATCHED', to: 'ACCEPTED', actorKind: 'PERSON', actor: { id: wangJianguo.id }, reason: null, dispatchedTeam: null, at: at(30) },
        { from: 'ACCEPTED', to: 'IN_SERVICE', actorKind: 'PERSON', actor: { id: wangJianguo.id }, reason: null, dispatchedTeam: null, at: at(90) },
        { from: 'IN_SERVICE', to: 'COMPLETED', actorKind: 'PERSON', actor: { id: wangJianguo.id }, reason: null, dispatchedTeam: null, at: at(185) },
        { from: 'COMPLETED', to: 'RATED', actorKind: 'PERSON', actor: { id: viewers.zheng.personId }, reason: null, dispatchedTeam: null, at: at(245) },
      ],
      // Time serving counts, from start to completion; travel before the start does not.
      serviceRecord: { kind: 'SERVICE', minutes: 95, volunteer: { id: wangJianguo.id }, category: { code: 'cleaning' }, servedAt: at(90) },
    });
  });

  it('lets exactly one of two team members win when both accept at the same moment', async () => {
    for (let round = 0; round < 5; round += 1) {
      const request = await requestAt(bed, 'dispatched');
      const [first, second] = await Promise.all([act(bed, 'serviceRequestAccept', { request }, viewers.wang), act(bed, 'serviceRequestAccept', { request }, viewers.zhang)]);
      const winners = [first, second].filter((payload) => payload.userErrors.length === 0);
      const losers = [first, second].filter((payload) => payload.userErrors.length > 0);
      expect(winners).toHaveLength(1);
      expect(losers[0]!.userErrors.map((error) => error.code)).toEqual(['INVALID_STATE']);
      // The one who lost sees the request as the winner left it, and need not read it again.
      expect(losers[0]!.serviceRequest).toEqual({ id: request, status: 'ACCEPTED', assignee: winners[0]!.serviceRequest!.assignee });
      const [row] = await bed.requests.database.db.select().from(serviceRequests).where(eq(serviceRequests.id, request));
      expect(row!.assigneeId).toBe(winners[0]!.serviceRequest!.assignee!.id);
      const [accepted] = await bed.requests.database.db
        .select({ total: count() })
        .from(requestTransitions)
        .where(and(eq(requestTransitions.requestId, request), eq(requestTransitions.toStatus, 'accepted')));
      expect(accepted!.total).toBe(1);
    }
  });

  it('re-dispatches an accepted request to one volunteer, who alone may then accept it', async () => {
    const request = await requestAt(bed, 'accepted');
    const redispatched = await must(bed, 'serviceRequestDispatch', { request, person: zhangXiuying.id, reason: '王师傅临时有事。' }, viewers.station);
    expect(redispatched).toEqual({ id: request, status: 'DISPATCHED', assignee: null });
    // Taken back from him, the request is no longer his to see.
    expect(await topLevelCodeOf(bed, 'serviceRequestAccept', { request }, viewers.wang)).toBe('FORBIDDEN');
    expect(await must(bed, 'serviceRequestAccept', { request }, viewers.zhang)).toEqual({ id: request, status: 'ACCEPTED', assignee: { id: zhangXiuying.id } });
  });
});

describe('who may do what', () => {
  it('leaves review and dispatch to admins of the request’s place', async () => {
    const request = await requestAt(bed, 'submitted');
    // Outside the admin's scope, the request is one they may not see: FORBIDDEN, as a made-up one is.
    expect(await topLevelCodeOf(bed, 'serviceRequestApprove', { request }, viewers.zimingStation)).toBe('FORBIDDEN');
    expect(codeOf(await bed.requests.execute(`mutation { serviceRequestApprove(input: { request: "${request}" }) { userErrors { code } } }`, { viewer: viewers.wang }))).toBe(
      'FORBIDDEN',
    );
    expect(await statusOf(request)).toBe('submitted');
    expect(await must(bed, 'serviceRequestApprove', { request }, viewers.lin)).toMatchObject({ status: 'APPROVED' });
  });

  it('lets only members of the dispatched team accept, only the assignee serve, and only the requester’s household rate', async () => {
    const request = await requestAt(bed, 'dispatched');
    expect(await topLevelCodeOf(bed, 'serviceRequestAccept', { request }, viewers.outsider)).toBe('FORBIDDEN');
    await must(bed, 'serviceRequestAccept', { request }, viewers.wang);
    expect((await act(bed, 'serviceRequestStart', { request }, viewers.zhang)).userErrors.map((error) => error.code)).toEqual(['NOT_ALLOWED']);
    await must(bed, 'serviceRequestStart', { request }, viewers.wang);
    await must(bed, 'serviceRequestComplete', { request, note: '好了。' }, viewers.wang);
    expect((await act(bed, 'serviceRequestRate', { request, score: 5 }, viewers.wang)).userErrors.map((error) => error.code)).toEqual(['NOT_ALLOWED']);
    expect(await statusOf(request)).toBe('completed');
  });

  it('lets a member of the requester’s household rate for them', async () => {
    const household = DEMO_HOUSEHOLDS.find((candidate) => candidate.members.length === 2)!;
    const [head, spouse] = household.members.map((member) => viewerOf({ roles: ['resident'], personId: member.personId }));
    const request = await fileRequest(bed, { requester: head!, place: null });
    await must(bed, 'serviceRequestApprove', { request, place: viewers.station.regionIds[0] }, viewers.station);
    await must(bed, 'serviceRequestDispatch', { request, team: LEXIUJIANG }, viewers.station);
    await must(bed, 'serviceRequestAccept', { request }, viewers.zhang);
    await must(bed, 'serviceRequestStart', { request }, viewers.zhang);
    await must(bed, 'serviceRequestComplete', { request, note: '好了。' }, viewers.zhang);
    expect(await must(bed, 'serviceRequestRate', { request, score: 4 }, spouse!)).toMatchObject({ status: 'RATED' });
  });

  it('lets the requester withdraw before acceptance, and nobody else', async () => {
    const request = await requestAt(bed, 'dispatched');
    expect(await topLevelCodeOf(bed, 'serviceRequestCancel', { request, reason: '搞错了。' }, viewers.stranger)).toBe('FORBIDDEN');
    // Its volunteers see it, but may not withdraw it.
    expect((await act(bed, 'serviceRequestCancel', { request, reason: '搞错了。' }, viewers.zhang)).userErrors.map((error) => error.code)).toEqual(['NOT_ALLOWED']);
    expect(await must(bed, 'serviceRequestCancel', { request, reason: '邻居帮忙弄好了。' }, viewers.zheng)).toMatchObject({ status: 'CANCELLED' });
  });

  it('asks anonymous callers to sign in and operator accounts to act as a person', async () => {
    const request = await requestAt(bed, 'submitted');
    const mutation = `mutation ($input: ServiceRequestApproveInput!) { serviceRequestApprove(input: $input) { userErrors { code } } }`;
    expect(codeOf(await bed.requests.execute(mutation, { variables: { input: { request } } }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await bed.requests.execute(mutation, { variables: { input: { request } }, viewer: viewerOf({ roles: ['platform_admin'] }) }))).toBe('FORBIDDEN');
  });
});

describe('bad inputs', () => {
  it('answers FORBIDDEN for an unknown request (NOT_FOUND to a platform admin, who sees every request) and INVALID for a malformed id', async () => {
    expect(await topLevelCodeOf(bed, 'serviceRequestAccept', { request: newId() }, viewers.wang)).toBe('FORBIDDEN');
    expect((await act(bed, 'serviceRequestAccept', { request: newId() }, viewers.platform)).userErrors).toEqual([
      { field: ['input', 'request'], code: 'NOT_FOUND', message: 'There is no such request.' },
    ]);
    expect((await act(bed, 'serviceRequestAccept', { request: 'nope' }, viewers.wang)).userErrors).toEqual([
      { field: ['input', 'request'], code: 'INVALID', message: expect.any(String) },
    ]);
  });

  it('refuses a rating outside 1 to 5, leaving the request completed', async () => {
    const request = await requestAt(bed, 'completed');
    for (const score of [0, 6, -1]) {
      expect((await act(bed, 'serviceRequestRate', { request, score }, viewers.zheng)).userErrors).toEqual([
        { field: ['input', 'score'], code: 'INVALID', message: expect.any(String) },
      ]);
    }
    expect(await statusOf(request)).toBe('completed');
  });

  it('refuses a completion with a bad evidence URL and writes no service record', async () => {
    const request = await requestAt(bed, 'in_service');
    const payload = await act(bed, 'serviceRequestComplete', { request, note: '好了。', evidenceUrls: ['javascript:alert(1)'] }, viewers.wang);
    expect(payload.userErrors).toEqual([{ field: ['input', 'evidenceUrls', '0'], code: 'INVALID', message: expect.any(String) }]);
    expect(await statusOf(request)).toBe('in_service');
    const [records] = await bed.requests.database.db.select({ total: count() }).from(serviceRecords).where(eq(serviceRecords.requestId, request));
    expect(records!.total).toBe(0);
  });

  it('refuses a rejection without a reason and a dispatch to nobody or to two', async () => {
    const request = await requestAt(bed, 'submitted');
    expect((await act(bed, 'serviceRequestReject', { request, reason: '  ' }, viewers.station)).userErrors.map((error) => [error.field, error.code])).toEqual([
      [['input', 'reason'], 'REQUIRED'],
    ]);
    await must(bed, 'serviceRequestApprove', { request }, viewers.station);
    expect((await act(bed, 'serviceRequestDispatch', { request }, viewers.station)).userErrors.map((error) => error.code)).toEqual(['INVALID']);
    expect((await act(bed, 'serviceRequestDispatch', { request, team: LEXIUJIANG, person: wangJianguo.id }, viewers.station)).userErrors.map((error) => error.code)).toEqual([
      'INVALID',
    ]);
    expect((await act(bed, 'serviceRequestDispatch', { request, team: newId() }, viewers.station)).userErrors.map((error) => [error.field, error.code])).toEqual([
      [['input', 'team'], 'NOT_FOUND'],
    ]);
    expect(await statusOf(request)).toBe('approved');
  });

  it('refuses an unknown place when filing, writing nothing', async () => {
    const [before] = await bed.requests.database.db.select({ total: count() }).from(serviceRequests);
    const data = await run<{ serviceRequestCreate: { userErrors: { field: string[]; code: string }[] } }>(
      bed,
      `mutation { serviceRequestCreate(input: { category: "cleaning", description: "打扫", place: "${newId()}" }) { userErrors { field code } } }`,
      viewers.zheng,
    );
    expect(data.serviceRequestCreate.userErrors).toEqual([{ field: ['input', 'place'], code: 'NOT_FOUND' }]);
    const [after] = await bed.requests.database.db.select({ total: count() }).from(serviceRequests);
    expect(after!.total).toBe(before!.total);
  });
});
