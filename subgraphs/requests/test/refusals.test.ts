/**
 * Authority before state, in every requests mutation: a viewer who may not
 * act on an object hears one answer (code, field and words) whatever its
 * state. An object the viewer may not see is FORBIDDEN exactly as a made-up
 * id is (the same words; only a platform admin, who sees everything, hears
 * NOT_FOUND for a made-up id); one they see but may not change is
 * NOT_ALLOWED. Only whoever holds the authority hears about the state
 * (INVALID_STATE and the like). Each case tries the object in two or more
 * states, and where it should be refused as unseen, a made-up id too.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eq } from 'drizzle-orm';
import { newId, type Viewer } from '@lianxin/shared';
import { DEMO_HOUSEHOLDS, DEMO_VOLUNTEERS } from '@lianxin/shared/demo';
import { viewerOf } from '@lianxin/shared/testing';
import { applyDeviceEvent } from '../src/alerts/service.js';
import { serviceRecords, serviceRequests } from '../src/db/schema.js';
import { requestsSubgraph } from '../src/index.js';
import { issueQuoteToken } from '../src/pricing/token.js';
import { DEV_DEVICE_PLATFORM } from '../src/settings.js';
import {
  EAST_BUILDING_1,
  changeCaretaker,
  LEXIUJIANG,
  XINGLE,
  ZIMING,
  REQUEST_MUTATIONS,
  requestAt,
  run,
  startRequests,
  viewers,
  wangJianguo,
  zhengHousehold,
  type RequestMutation,
  type RequestsTestBed,
  type Stage,
  type UserErrorShape,
} from './support.js';

let bed: RequestsTestBed;

beforeAll(async () => {
  bed = await startRequests();
});
afterAll(async () => {
  await bed?.stop();
});

interface Answer {
  topLevel?: unknown;
  userErrors?: UserErrorShape[];
}

/** The whole answer to a mutation: the top-level error's code and words, or the user errors with their words. */
async function answer(mutation: string, input: Record<string, unknown>, viewer: Viewer): Promise<Answer> {
  const inputType = `${mutation.charAt(0).toUpperCase()}${mutation.slice(1)}Input`;
  const { data, errors } = await bed.requests.execute(`mutation ($input: ${inputType}!) { ${mutation}(input: $input) { userErrors { field code message } } }`, {
    variables: { input },
    viewer,
  });
  if (errors) return { topLevel: [errors[0]?.extensions?.['code'], errors[0]?.message] };
  return { userErrors: (data as Record<string, { userErrors: UserErrorShape[] }>)[mutation]!.userErrors };
}

/** The answer to an object the viewer may not see, and to a made-up id. */
const unseen = (what: string): Answer => ({ topLevel: ['FORBIDDEN', `There is no such ${what}, or you may not see it.`] });

/** Asks `mutation` of each object (and made-up ids) and expects FORBIDDEN for all, in the words of `unseen`. */
async function expectUnseen(mutation: string, inputs: readonly Record<string, unknown>[], viewer: Viewer, what: string): Promise<void> {
  for (const input of inputs) expect({ input, answer: await answer(mutation, input, viewer) }).toEqual({ input, answer: unseen(what) });
}

/** Asks `mutation` of each object and expects one answer for all: `code` on `field`. */
async function expectOneAnswer(mutation: string, inputs: readonly Record<string, unknown>[], viewer: Viewer, field: string[], code: string): Promise<Answer> {
  const answers: Answer[] = [];
  for (const input of inputs) answers.push(await answer(mutation, input, viewer));
  expect(answers[0]!.userErrors?.map((error) => [error.field, error.code])).toEqual([[field, code]]);
  answers.slice(1).forEach((other, index) => expect({ input: inputs[index + 1], answer: other }).toEqual({ input: inputs[index + 1], answer: answers[0] }));
  return answers[0]!;
}

// ---------------------------------------------------------------------------
// Requests: every status, every mutation
// ---------------------------------------------------------------------------

const STAGES: Stage[] = ['submitted', 'approved', 'rejected', 'dispatched', 'accepted', 'in_service', 'completed', 'rated', 'cancelled'];
/** Statuses in which the request is dispatched to 乐修匠, whose members then see it. */
const DISPATCHED: readonly Stage[] = ['dispatched', 'accepted', 'in_service', 'completed', 'rated'];

/** A quote token as the service signs it, for the request named: the seal holds, so only authority and status can refuse it. */
function quoteTokenFor(request: string): string {
  const { signingKey } = requestsSubgraph.settings(process.env);
  return issueQuoteToken(signingKey, { r: request, v: 1, t: 'ordinary', k: false, l: 1000, m: 500, pc: 80, rp: 1300, fp: 0, exp: Math.floor(Date.now() / 1000) + 3600 });
}

/** A valid input of each request mutation for the request `request`. */
const INPUTS: Record<RequestMutation, (request: string) => Record<string, unknown>> = {
  serviceRequestApprove: (request) => ({ request }),
  serviceRequestReject: (request) => ({ request, reason: '不在服务范围内。' }),
  serviceRequestDispatch: (request) => ({ request, team: LEXIUJIANG }),
  serviceRequestAccept: (request) => ({ request }),
  serviceRequestQuote: (request) => ({ request, labour: 1000, materials: 500 }),
  serviceRequestQuoteAgree: (request) => ({ request, quoteToken: quoteTokenFor(request) }),
  serviceRequestStart: (request) => ({ request }),
  serviceRequestComplete: (request) => ({ request, note: '完成。' }),
  serviceRequestRate: (request) => ({ request, score: 1 }),
  serviceRequestCancel: (request) => ({ request, reason: '不需要了。' }),
};
const MUTATIONS = Object.keys(REQUEST_MUTATIONS) as RequestMutation[];

describe('requests', () => {
  const at = new Map<Stage, string>();

  beforeAll(async () => {
    for (const stage of STAGES) at.set(stage, await requestAt(bed, stage));
  });

  const statuses = async () => {
    const rows = await bed.requests.database.db.select({ id: serviceRequests.id, status: serviceRequests.status }).from(serviceRequests);
    return STAGES.map((stage) => rows.find((row) => row.id === at.get(stage))!.status);
  };

  it.each([
    ['an unrelated resident', 'stranger'],
    ['a volunteer of another team', 'outsider'],
    ['a station admin of another community', 'zimingStation'],
  ] as const)('%s cannot tell a request in any status from no request at all, in any mutation', async (_who, name) => {
    const viewer = viewers[name];
    for (const mutation of MUTATIONS) {
      const missing = await answer(mutation, INPUTS[mutation](newId()), viewer);
      // A role that can never do this is refused before anything is looked up; everyone else hears that there is no request they may see.
      const [code, message] = missing.topLevel as [unknown, string];
      expect(code).toBe('FORBIDDEN');
      if (!message.startsWith('Your role may not')) expect(missing).toEqual(unseen('request'));
      for (const stage of STAGES) {
        expect({ mutation, stage, answer: await answer(mutation, INPUTS[mutation](at.get(stage)!), viewer) }).toEqual({ mutation, stage, answer: missing });
      }
    }
    expect(await statuses()).toEqual(STAGES);
  });

  it('a grid worker of the place sees every request and may do none of the volunteer’s or requester’s steps: NOT_ALLOWED in every status', async () => {
    for (const mutation of MUTATIONS) {
      const answers = await Promise.all(STAGES.map((stage) => answer(mutation, INPUTS[mutation](at.get(stage)!), viewers.gridWorker)));
      const [first] = answers;
      if (first!.topLevel === undefined) expect(first!.userErrors!.map((error) => [error.field, error.code])).toEqual([[['input', 'request'], 'NOT_ALLOWED']]);
      else expect((first!.topLevel as unknown[])[0]).toBe('FORBIDDEN');
      answers.forEach((other, index) => expect({ mutation, stage: STAGES[index], answer: other }).toEqual({ mutation, stage: STAGES[index], answer: first }));
    }
    expect(await statuses()).toEqual(STAGES);
  });

  it('a member of the team who did not accept it: FORBIDDEN before dispatch, NOT_ALLOWED after, whatever the status', async () => {
    for (const mutation of ['serviceRequestStart', 'serviceRequestComplete', 'serviceRequestRate', 'serviceRequestCancel'] as const) {
      const missing = await answer(mutation, INPUTS[mutation](newId()), viewers.zhang);
      expect(missing).toEqual(unseen('request'));
      const seen = await answer(mutation, INPUTS[mutation](at.get('dispatched')!), viewers.zhang);
      expect(seen.userErrors!.map((error) => [error.field, error.code])).toEqual([[['input', 'request'], 'NOT_ALLOWED']]);
      for (const stage of STAGES) {
        const expected = DISPATCHED.includes(stage) ? seen : missing;
        expect({ mutation, stage, answer: await answer(mutation, INPUTS[mutation](at.get(stage)!), viewers.zhang) }).toEqual({ mutation, stage, answer: expected });
      }
    }
    expect(await statuses()).toEqual(STAGES);
  });

  it('a platform admin, who sees every request, hears NOT_FOUND for a made-up one, and no other answer for a real one', async () => {
    for (const mutation of MUTATIONS) {
      expect({ mutation, answer: await answer(mutation, INPUTS[mutation](newId()), viewers.platform) }).toEqual({
        mutation,
        answer: { userErrors: [{ field: ['input', 'request'], code: 'NOT_FOUND', message: 'There is no such request.' }] },
      });
    }
  });

  it('whoever holds the authority hears the status', async () => {
    expect((await answer('serviceRequestCancel', INPUTS.serviceRequestCancel(at.get('rated')!), viewers.zheng)).userErrors!.map((error) => error.code)).toEqual(['INVALID_STATE']);
    expect((await answer('serviceRequestStart', INPUTS.serviceRequestStart(at.get('completed')!), viewers.wang)).userErrors!.map((error) => error.code)).toEqual(['INVALID_STATE']);
    expect((await answer('serviceRequestApprove', INPUTS.serviceRequestApprove(at.get('cancelled')!), viewers.station)).userErrors!.map((error) => error.code)).toEqual([
      'INVALID_STATE',
    ]);
  });
});

// ---------------------------------------------------------------------------
// Micro-wishes
// ---------------------------------------------------------------------------

type WishStage = 'posted' | 'published' | 'claimed' | 'fulfilled' | 'thanked' | 'withdrawn';

async function wishAt(stage: WishStage): Promise<string> {
  const step = async (mutation: string, input: Record<string, unknown>, viewer: Viewer): Promise<string> => {
    const inputType = `${mutation.charAt(0).toUpperCase()}${mutation.slice(1)}Input`;
    const data = await run<Record<string, { microWish: { id: string } | null; userErrors: UserErrorShape[] }>>(
      bed,
      `mutation ($input: ${inputType}!) { ${mutation}(input: $input) { microWish { id } userErrors { field code message } } }`,
      viewer,
      { input },
    );
    const payload = data[mutation]!;
    if (payload.userErrors.length > 0 || !payload.microWish) throw new Error(`${mutation} refused: ${JSON.stringify(payload.userErrors)}`);
    return payload.microWish.id;
  };
  const wish = await step('microWishPost', { title: '一盏台灯', story: '晚上看书太暗。', place: EAST_BUILDING_1 }, viewers.zheng);
  if (stage === 'posted') return wish;
  if (stage === 'withdrawn') return step('microWishWithdraw', { wish, reason: '买到了。' }, viewers.zheng);
  await step('microWishPublish', { wish }, viewers.station);
  if (stage === 'published') return wish;
  await step('microWishClaim', { wish }, viewers.wang);
  if (stage === 'claimed') return wish;
  await step('microWishFulfil', { wish, note: '送到了。', evidenceUrls: ['https://example.org/lamp.jpg'] }, viewers.wang);
  if (stage === 'fulfilled') return wish;
  return step('microWishThank', { wish, message: '谢谢！' }, viewers.zheng);
}

describe('micro-wishes', () => {
  const WISH_INPUTS: Record<string, (wish: string) => Record<string, unknown>> = {
    microWishPublish: (wish) => ({ wish }),
    microWishClaim: (wish) => ({ wish, organization: newId() }),
    microWishRelease: (wish) => ({ wish, reason: '没空。' }),
    microWishFulfil: (wish) => ({ wish, note: '送到了。', evidenceUrls: ['https://example.org/x.jpg'] }),
    microWishThank: (wish) => ({ wish, message: '谢谢。' }),
    microWishWithdraw: (wish) => ({ wish, reason: '不要了。' }),
  };
  const hidden = new Map<WishStage, string>();
  const shown = new Map<WishStage, string>();

  beforeAll(async () => {
    for (const stage of ['posted', 'withdrawn'] as const) hidden.set(stage, await wishAt(stage));
    for (const stage of ['published', 'claimed', 'fulfilled', 'thanked'] as const) shown.set(stage, await wishAt(stage));
  });

  it.each([
    ['a volunteer with no part in it', 'outsider', ['microWishRelease', 'microWishFulfil', 'microWishThank', 'microWishWithdraw']],
    ['a station admin of another community', 'zimingStation', ['microWishPublish', 'microWishClaim', 'microWishRelease', 'microWishWithdraw']],
  ] as const)('%s: an unpublished or withdrawn wish is FORBIDDEN as a made-up one, a public one NOT_ALLOWED in every status', async (_who, name, mutations) => {
    const viewer = viewers[name];
    for (const mutation of mutations) {
      const input = WISH_INPUTS[mutation]!;
      await expectUnseen(mutation, [newId(), ...hidden.values()].map(input), viewer, 'wish');
      await expectOneAnswer(mutation, [...shown.values()].map(input), viewer, ['input', 'wish'], 'NOT_ALLOWED');
    }
    expect(await answer('microWishWithdraw', WISH_INPUTS['microWishWithdraw']!(newId()), viewers.platform)).toEqual({
      userErrors: [{ field: ['input', 'wish'], code: 'NOT_FOUND', message: 'There is no such wish.' }],
    });
  });
});

// ---------------------------------------------------------------------------
// Activities
// ---------------------------------------------------------------------------

describe('activities', () => {
  const HOUR = 3600_000;
  const activities: string[] = [];

  beforeAll(async () => {
    // One to come, one under way, one over.
    for (const startsIn of [2 * HOUR, -HOUR, -4 * HOUR]) {
      const startsAt = new Date(Date.now() + startsIn);
      const data = await run<{ activityCreate: { activity: { id: string } | null; userErrors: UserErrorShape[] } }>(
        bed,
        `mutation ($input: ActivityCreateInput!) { activityCreate(input: $input) { activity { id } userErrors { field code message } } }`,
        viewers.lin,
        { input: { title: '义诊', category: 'cleaning', place: XINGLE, startsAt, endsAt: new Date(startsAt.getTime() + 2 * HOUR), capacity: 10 } },
      );
      activities.push(data.activityCreate.activity!.id);
    }
  });

  it('approving hours: whoever does not run it hears NOT_ALLOWED before, during and after', async () => {
    for (const viewer of [viewers.outsider, viewers.zimingStation]) {
      await expectOneAnswer(
        'activityHoursApprove',
        activities.map((activity) => ({ activity, attendances: [{ person: wangJianguo.id }] })),
        viewer,
        ['input', 'activity'],
        'NOT_ALLOWED',
      );
    }
  });

  it('giving a place back without one, and checking in without one: the same answer before, during and after', async () => {
    await expectOneAnswer(
      'activitySignUpCancel',
      activities.map((activity) => ({ activity })),
      viewers.outsider,
      ['input', 'activity'],
      'NOT_FOUND',
    );
    const codes: string[] = [];
    for (const id of activities) {
      const data = await run<{ activity: { checkInCode: { payload: string } } }>(bed, `query ($id: ID!) { activity(id: $id) { checkInCode { payload } } }`, viewers.lin, { id });
      codes.push(data.activity.checkInCode.payload);
    }
    await expectOneAnswer(
      'activityCheckIn',
      codes.map((code) => ({ code })),
      viewers.outsider,
      ['input', 'code'],
      'NOT_ALLOWED',
    );
  });
});

// ---------------------------------------------------------------------------
// Alerts, caseloads, service records
// ---------------------------------------------------------------------------

describe('alerts', () => {
  it('acknowledging: open or acknowledged, one answer to those who may not see it (as a made-up one) and to those who see but may not', async () => {
    const externalId = `callbox-${newId()}`;
    await run(bed, `mutation ($input: DeviceRegisterInput!) { deviceRegister(input: $input) { userErrors { code } } }`, viewers.lin, {
      input: { platform: DEV_DEVICE_PLATFORM, externalId, household: zhengHousehold.id, resident: viewers.zheng.personId, notify: DEMO_VOLUNTEERS[2]!.id, place: EAST_BUILDING_1 },
    });
    const press = async (): Promise<string> => {
      const outcome = await applyDeviceEvent(
        bed.requests.database.db,
        { platform: DEV_DEVICE_PLATFORM, id: newId(), type: 'button_pressed', device: externalId, occurredAt: new Date() },
        new Date(),
      );
      if (outcome.kind !== 'accepted') throw new Error(outcome.kind);
      return outcome.alertId!;
    };
    const [open, acknowledged] = [await press(), await press()];
    await run(bed, `mutation ($input: AlertAcknowledgeInput!) { alertAcknowledge(input: $input) { userErrors { code } } }`, viewers.lin, { input: { alert: acknowledged } });

    for (const viewer of [viewers.outsider, viewers.zimingStation]) {
      await expectUnseen(
        'alertAcknowledge',
        [newId(), open, acknowledged].map((alert) => ({ alert })),
        viewer,
        'alert',
      );
    }
    expect(await answer('alertAcknowledge', { alert: newId() }, viewers.platform)).toEqual({
      userErrors: [{ field: ['input', 'alert'], code: 'NOT_FOUND', message: 'There is no such alert.' }],
    });
    // The grid worker of the place sees alerts there but is neither notified nor an admin.
    await expectOneAnswer(
      'alertAcknowledge',
      [open, acknowledged].map((alert) => ({ alert })),
      viewers.gridWorker,
      ['input', 'alert'],
      'NOT_ALLOWED',
    );
  });
});

describe('caseloads', () => {
  it('one answer whether the household is in a caseload or not: logging a visit to one out of sight', async () => {
    // 郑小红's household, given a caseload here, and an ordinary Xingle household the demo gives none.
    const [assigned, unassigned] = [DEMO_HOUSEHOLDS[2]!.id, DEMO_HOUSEHOLDS[8]!.id];
    await changeCaretaker(bed, assigned, DEMO_VOLUNTEERS[10]!.id);
    // Assigning and ending belong to people now: refused alike whatever the household, with no word of its state.
    await expectOneAnswer(
      'caseloadAssign',
      [assigned, unassigned].map((household) => ({ household, volunteer: DEMO_VOLUNTEERS[10]!.id, place: EAST_BUILDING_1 })),
      viewers.zimingStation,
      ['input', 'household'],
      'NOT_ALLOWED',
    );
    await expectOneAnswer(
      'caseloadEnd',
      [assigned, unassigned, newId()].map((household) => ({ household })),
      viewers.zimingStation,
      ['input', 'household'],
      'NOT_ALLOWED',
    );
    // A volunteer with no part in it sees no assignment: FORBIDDEN, whether there is one or not.
    await expectUnseen(
      'caseloadVisitLog',
      [assigned, unassigned, newId()].map((household) => ({ household, note: '路过看看。' })),
      viewers.outsider,
      'caseload assignment',
    );
    // The grid worker of the place sees the assignment (Person.caseload) but is not its volunteer.
    await expectOneAnswer('caseloadVisitLog', [{ household: assigned, note: '路过看看。' }], viewers.gridWorker, ['input', 'household'], 'NOT_ALLOWED');
  });
});

describe('service records', () => {
  it('correcting: a record outside the scope is FORBIDDEN as a made-up one, whether corrected, a reversal or untouched; its own volunteer as an admin elsewhere hears NOT_ALLOWED', async () => {
    const recordOf = async (request: string) => (await bed.requests.database.db.select().from(serviceRecords).where(eq(serviceRecords.requestId, request)))[0]!.id;
    const untouched = await recordOf(await requestAt(bed, 'completed'));
    const corrected = await recordOf(await requestAt(bed, 'completed'));
    const data = await run<{ serviceRecordCorrect: { reversal: { id: string } | null } }>(
      bed,
      `mutation ($input: ServiceRecordCorrectInput!) { serviceRecordCorrect(input: $input) { reversal { id } } }`,
      viewers.lin,
      { input: { record: corrected, minutes: 30, reason: '时长有误。' } },
    );
    const reversal = data.serviceRecordCorrect.reversal!.id;
    const records = [untouched, corrected, reversal];

    await expectUnseen(
      'serviceRecordCorrect',
      [newId(), ...records].map((record) => ({ record, reason: '复核。' })),
      viewers.zimingStation,
      'service record',
    );
    expect(await answer('serviceRecordCorrect', { record: newId(), reason: '复核。' }, viewers.platform)).toEqual({
      userErrors: [{ field: ['input', 'record'], code: 'NOT_FOUND', message: 'There is no such service record.' }],
    });
    const wangElsewhere = viewerOf({ roles: ['volunteer', 'station_admin'], personId: wangJianguo.id, regionIds: [ZIMING] });
    await expectOneAnswer(
      'serviceRecordCorrect',
      records.map((record) => ({ record, reason: '复核。' })),
      wangElsewhere,
      ['input', 'record'],
      'NOT_ALLOWED',
    );
  });
});
