/**
 * What a refused mutation's payload shows: the object it acts on as it now
 * stands, beside the user errors, so a screen can redraw without reading it
 * again; but only when the viewer may see that object under the rule its
 * query uses. An object hidden from the viewer, an id that names nothing
 * and a malformed id leave it null, so a refusal tells no more than a query
 * would. A success is what it always was, and a mutation that would create
 * the object has nothing to show when refused.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newId, type Viewer } from '@lianxin/shared';
import { DEMO_HOUSEHOLDS, DEMO_VOLUNTEERS } from '@lianxin/shared/demo';
import { viewerOf } from '@lianxin/shared/testing';
import { applyDeviceEvent } from '../src/alerts/service.js';
import { DEV_DEVICE_PLATFORM } from '../src/settings.js';
import {
  EAST_BUILDING_1,
  changeCaretaker,
  XINGLE,
  ZIMING,
  act,
  fileRequest,
  knowPersons,
  must,
  requestAt,
  run,
  startRequests,
  viewers,
  wangJianguo,
  zhengHousehold,
  type RequestsTestBed,
  type UserErrorShape,
} from './support.js';

let bed: RequestsTestBed;

beforeAll(async () => {
  bed = await startRequests();
});
afterAll(async () => {
  await bed?.stop();
});

describe('service requests', () => {
  it('show the request as it stands when a change is refused for its status or the viewer’s authority', async () => {
    const submitted = await requestAt(bed, 'submitted');
    expect(await act(bed, 'serviceRequestRate', { request: submitted, score: 5 }, viewers.zheng)).toEqual({
      serviceRequest: { id: submitted, status: 'SUBMITTED', assignee: null },
      userErrors: [{ field: ['input', 'request'], code: 'INVALID_STATE', message: expect.stringContaining('cannot be') }],
    });

    const accepted = await requestAt(bed, 'accepted');
    // 张秀英 of the team sees the request 王建国 accepted, but may not start it.
    expect(await act(bed, 'serviceRequestStart', { request: accepted }, viewers.zhang)).toEqual({
      serviceRequest: { id: accepted, status: 'ACCEPTED', assignee: { id: wangJianguo.id } },
      userErrors: [{ field: ['input', 'request'], code: 'NOT_ALLOWED', message: expect.stringContaining('accepted it') }],
    });
    // A repair needs an agreed price before the service starts: refused, still accepted.
    const repair = await requestAt(bed, 'accepted', 'home_repair');
    expect(await act(bed, 'serviceRequestStart', { request: repair }, viewers.wang)).toEqual({
      serviceRequest: { id: repair, status: 'ACCEPTED', assignee: { id: wangJianguo.id } },
      userErrors: [{ field: ['input', 'request'], code: 'INVALID_STATE', message: expect.stringContaining('Agree a price') }],
    });
    // A refused input shows the request too: nothing about it was wrong.
    expect(await act(bed, 'serviceRequestReject', { request: submitted, reason: ' ' }, viewers.station)).toEqual({
      serviceRequest: { id: submitted, status: 'SUBMITTED', assignee: null },
      userErrors: [{ field: ['input', 'reason'], code: 'REQUIRED', message: expect.any(String) }],
    });
  });

  it('show nothing to a viewer who may not see the request, even when they may act on it', async () => {
    // An unplaced request is seen by its requester and platform admins only; a region admin reaches it to review it, placing it.
    const unplaced = await fileRequest(bed, { place: null });
    expect(await act(bed, 'serviceRequestApprove', { request: unplaced }, viewers.station)).toEqual({
      serviceRequest: null,
      userErrors: [{ field: ['input', 'request'], code: 'NOT_ALLOWED', message: expect.any(String) }],
    });
    // Anyone else who may not see it is refused before the payload, as for a made-up id.
    const dispatched = await requestAt(bed, 'dispatched');
    const refused = await bed.requests.execute(
      `mutation ($input: ServiceRequestAcceptInput!) { serviceRequestAccept(input: $input) { serviceRequest { id } userErrors { code } } }`,
      {
        variables: { input: { request: dispatched } },
        viewer: viewers.outsider,
      },
    );
    expect({ data: refused.data, codes: refused.errors?.map((error) => error.extensions?.['code']) }).toEqual({ data: { serviceRequestAccept: null }, codes: ['FORBIDDEN'] });
  });

  it('show nothing for an id that names no request, or is no id at all', async () => {
    expect(await act(bed, 'serviceRequestAccept', { request: newId() }, viewers.platform)).toEqual({
      serviceRequest: null,
      userErrors: [{ field: ['input', 'request'], code: 'NOT_FOUND', message: 'There is no such request.' }],
    });
    expect(await act(bed, 'serviceRequestCancel', { request: 'nope', reason: '不需要了。' }, viewers.zheng)).toEqual({
      serviceRequest: null,
      userErrors: [{ field: ['input', 'request'], code: 'INVALID', message: expect.any(String) }],
    });
  });

  it('are what they were on success', async () => {
    const request = await requestAt(bed, 'submitted');
    expect(await act(bed, 'serviceRequestApprove', { request }, viewers.station)).toEqual({
      serviceRequest: { id: request, status: 'APPROVED', assignee: null },
      userErrors: [],
    });
    expect(await must(bed, 'serviceRequestCancel', { request, reason: '不需要了。' }, viewers.zheng)).toEqual({ id: request, status: 'CANCELLED', assignee: null });
  });
});

describe('micro-wishes', () => {
  type WishMutation = 'microWishPost' | 'microWishPublish' | 'microWishClaim' | 'microWishThank';
  interface WishPayload {
    microWish: { id: string; status: string; claimant: { id: string } | null } | null;
    userErrors: UserErrorShape[];
  }

  async function wish(mutation: WishMutation, input: Record<string, unknown>, viewer: Viewer): Promise<WishPayload> {
    const inputType = `${mutation.charAt(0).toUpperCase()}${mutation.slice(1)}Input`;
    const data = await run<Record<string, WishPayload>>(
      bed,
      `mutation ($input: ${inputType}!) { ${mutation}(input: $input) { microWish { id status claimant { id } } userErrors { field code message } } }`,
      viewer,
      { input },
    );
    return data[mutation]!;
  }

  async function posted(): Promise<string> {
    const { microWish, userErrors } = await wish('microWishPost', { title: '一把雨伞', story: '出门买菜总被淋。', place: EAST_BUILDING_1 }, viewers.zheng);
    expect(userErrors).toEqual([]);
    return microWish!.id;
  }

  it('show the wish as it stands when a change is refused for its status or the viewer’s authority', async () => {
    const id = await posted();
    expect(await wish('microWishPublish', { wish: id }, viewers.station)).toEqual({ microWish: { id, status: 'PUBLISHED', claimant: null }, userErrors: [] });
    expect(await wish('microWishClaim', { wish: id }, viewers.wang)).toEqual({ microWish: { id, status: 'CLAIMED', claimant: { id: wangJianguo.id } }, userErrors: [] });
    expect(await wish('microWishClaim', { wish: id }, viewers.zhang)).toEqual({
      microWish: { id, status: 'CLAIMED', claimant: { id: wangJianguo.id } },
      userErrors: [{ field: ['input', 'wish'], code: 'INVALID_STATE', message: 'A wish that is claimed cannot be claimed.' }],
    });
    expect(await wish('microWishThank', { wish: id, message: '谢谢！' }, viewers.wang)).toEqual({
      microWish: { id, status: 'CLAIMED', claimant: { id: wangJianguo.id } },
      userErrors: [{ field: ['input', 'wish'], code: 'NOT_ALLOWED', message: expect.stringContaining('Only the wisher') }],
    });
  });

  it('show nothing of a wish the viewer may not see, of a made-up or malformed id, or of a post refused', async () => {
    const hidden = await posted();
    const refused = await bed.requests.execute(`mutation ($input: MicroWishClaimInput!) { microWishClaim(input: $input) { microWish { id } userErrors { code } } }`, {
      variables: { input: { wish: hidden } },
      viewer: viewers.wang,
    });
    expect({ data: refused.data, codes: refused.errors?.map((error) => error.extensions?.['code']) }).toEqual({ data: { microWishClaim: null }, codes: ['FORBIDDEN'] });
    expect(await wish('microWishPublish', { wish: newId() }, viewers.platform)).toEqual({
      microWish: null,
      userErrors: [{ field: ['input', 'wish'], code: 'NOT_FOUND', message: 'There is no such wish.' }],
    });
    expect(await wish('microWishPublish', { wish: 'nope' }, viewers.station)).toEqual({
      microWish: null,
      userErrors: [{ field: ['input', 'wish'], code: 'INVALID', message: expect.any(String) }],
    });
    expect(await wish('microWishPost', { title: ' ', story: '想要。', place: EAST_BUILDING_1 }, viewers.zheng)).toEqual({
      microWish: null,
      userErrors: [{ field: ['input', 'title'], code: 'REQUIRED', message: expect.any(String) }],
    });
  });
});

describe('activities', () => {
  const HOUR = 3600_000;
  const volunteer = (index: number): Viewer => viewerOf({ roles: ['volunteer'], personId: DEMO_VOLUNTEERS[index]!.id });
  interface SignupPayload {
    signup: { status: string; person: { id: string } } | null;
    userErrors: UserErrorShape[];
  }
  interface AttendancePayload {
    attendance: { person: { id: string }; checkedOutAt: Date | null; minutes: number | null } | null;
    userErrors: UserErrorShape[];
  }

  async function createActivity(startsAt: Date, capacity: number): Promise<string> {
    const data = await run<{ activityCreate: { activity: { id: string } | null; userErrors: UserErrorShape[] } }>(
      bed,
      `mutation ($input: ActivityCreateInput!) { activityCreate(input: $input) { activity { id } userErrors { field code message } } }`,
      viewers.lin,
      { input: { title: '义诊', place: XINGLE, startsAt, endsAt: new Date(startsAt.getTime() + 2 * HOUR), capacity } },
    );
    expect(data.activityCreate.userErrors).toEqual([]);
    return data.activityCreate.activity!.id;
  }

  async function signUp(activity: string, viewer: Viewer, cancel = false): Promise<SignupPayload> {
    const mutation = cancel ? 'activitySignUpCancel' : 'activitySignUp';
    const data = await run<Record<string, SignupPayload>>(
      bed,
      `mutation ($input: ${cancel ? 'ActivitySignUpCancelInput' : 'ActivitySignUpInput'}!) { ${mutation}(input: $input) { signup { status person { id } } userErrors { field code message } } }`,
      viewer,
      { input: { activity } },
    );
    return data[mutation]!;
  }

  async function door(direction: 'in' | 'out', code: string, viewer: Viewer): Promise<AttendancePayload> {
    const mutation = direction === 'in' ? 'activityCheckIn' : 'activityCheckOut';
    const data = await run<Record<string, AttendancePayload>>(
      bed,
      `mutation ($input: ${direction === 'in' ? 'ActivityCheckInInput' : 'ActivityCheckOutInput'}!) { ${mutation}(input: $input) { attendance { person { id } checkedOutAt minutes } userErrors { field code message } } }`,
      viewer,
      { input: { code } },
    );
    return data[mutation]!;
  }

  async function codes(activity: string): Promise<{ checkInCode: { payload: string }; checkOutCode: { payload: string } }> {
    const data = await run<{ activity: { checkInCode: { payload: string }; checkOutCode: { payload: string } } }>(
      bed,
      `query ($id: ID!) { activity(id: $id) { checkInCode { payload } checkOutCode { payload } } }`,
      viewers.lin,
      { id: activity },
    );
    return data.activity;
  }

  it('show the viewer’s own sign-up as it stands when signing up or giving the place back is refused, and nobody else’s', async () => {
    const start = new Date(Date.now() + 48 * HOUR);
    const activity = await createActivity(start, 1);
    const [first, second, third] = [volunteer(1), volunteer(2), volunteer(3)];
    const own = (viewer: Viewer, status: string) => ({ status, person: { id: viewer.personId } });
    expect(await signUp(activity, first)).toEqual({ signup: own(first, 'CONFIRMED'), userErrors: [] });
    expect(await signUp(activity, second)).toEqual({ signup: own(second, 'WAITLISTED'), userErrors: [] });
    expect(await signUp(activity, first)).toEqual({
      signup: own(first, 'CONFIRMED'),
      userErrors: [{ field: ['input', 'activity'], code: 'ALREADY_EXISTS', message: 'You have signed up already.' }],
    });
    // Someone with no sign-up hears so, and sees nobody's.
    expect(await signUp(activity, third, true)).toEqual({
      signup: null,
      userErrors: [{ field: ['input', 'activity'], code: 'NOT_FOUND', message: 'You have not signed up for this activity.' }],
    });
    bed.clock.set(new Date(start.getTime() + 10 * 60_000));
    try {
      expect(await signUp(activity, second, true)).toEqual({
        signup: own(second, 'WAITLISTED'),
        userErrors: [{ field: ['input', 'activity'], code: 'INVALID_STATE', message: expect.stringContaining('has started') }],
      });
    } finally {
      bed.clock.reset();
    }
    expect(await signUp(newId(), first)).toEqual({ signup: null, userErrors: [{ field: ['input', 'activity'], code: 'NOT_FOUND', message: 'There is no such activity.' }] });
    expect(await signUp('nope', first, true)).toEqual({ signup: null, userErrors: [{ field: ['input', 'activity'], code: 'INVALID', message: expect.any(String) }] });
  });

  it('show the viewer’s own attendance as it stands when a check-in or check-out is refused; nothing for a code that names no activity at this door', async () => {
    const start = new Date(Date.now() + 72 * HOUR);
    const activity = await createActivity(start, 5);
    const [present, absent] = [volunteer(4), volunteer(5)];
    await signUp(activity, present);
    await signUp(activity, absent);
    bed.clock.set(new Date(start.getTime() + 5 * 60_000));
    try {
      const { checkInCode, checkOutCode } = await codes(activity);
      expect(await door('out', checkOutCode.payload, absent)).toEqual({
        attendance: null,
        userErrors: [{ field: ['input', 'code'], code: 'INVALID_STATE', message: 'You have not checked in: check in before checking out.' }],
      });
      const checkedIn = { person: { id: present.personId }, checkedOutAt: null, minutes: null };
      expect(await door('in', checkInCode.payload, present)).toEqual({ attendance: checkedIn, userErrors: [] });
      expect(await door('in', checkInCode.payload, present)).toEqual({
        attendance: checkedIn,
        userErrors: [{ field: ['input', 'code'], code: 'ALREADY_EXISTS', message: 'You have checked in already.' }],
      });
      // The other door's code, and no code at all, name no activity to check in at.
      expect(await door('in', checkOutCode.payload, present)).toEqual({
        attendance: null,
        userErrors: [{ field: ['input', 'code'], code: 'INVALID', message: expect.any(String) }],
      });
      expect(await door('in', 'garbage', present)).toEqual({ attendance: null, userErrors: [{ field: ['input', 'code'], code: 'INVALID', message: expect.any(String) }] });
      bed.clock.advance(60 * 60_000);
      const out = (await codes(activity)).checkOutCode.payload;
      const checkedOut = { person: { id: present.personId }, checkedOutAt: bed.clock.now(), minutes: 60 };
      expect(await door('out', out, present)).toEqual({ attendance: checkedOut, userErrors: [] });
      expect(await door('out', out, present)).toEqual({
        attendance: checkedOut,
        userErrors: [{ field: ['input', 'code'], code: 'INVALID_STATE', message: 'You have checked out already.' }],
      });
      bed.clock.advance(10 * 60_000);
      expect(await door('out', out, present)).toEqual({ attendance: null, userErrors: [{ field: ['input', 'code'], code: 'EXPIRED', message: expect.any(String) }] });
    } finally {
      bed.clock.reset();
    }
  });
});

describe('alerts', () => {
  interface AlertPayload {
    alert: { id: string; acknowledgedBy: { id: string } | null } | null;
    userErrors: UserErrorShape[];
  }
  const acknowledge = async (alert: string, viewer: Viewer): Promise<AlertPayload> =>
    (
      await run<{ alertAcknowledge: AlertPayload }>(
        bed,
        `mutation ($input: AlertAcknowledgeInput!) { alertAcknowledge(input: $input) { alert { id acknowledgedBy { id } } userErrors { field code message } } }`,
        viewer,
        { input: { alert } },
      )
    ).alertAcknowledge;

  /** A call button at 郑小红's home, pressed: an alert for the volunteer it notifies. */
  async function pressed(notify: string): Promise<string> {
    const externalId = `callbox-${newId()}`;
    const registered = await run<{ deviceRegister: { userErrors: UserErrorShape[] } }>(
      bed,
      `mutation ($input: DeviceRegisterInput!) { deviceRegister(input: $input) { userErrors { field code message } } }`,
      viewers.lin,
      { input: { platform: DEV_DEVICE_PLATFORM, externalId, household: zhengHousehold.id, resident: viewers.zheng.personId, notify, place: EAST_BUILDING_1 } },
    );
    expect(registered.deviceRegister.userErrors).toEqual([]);
    const outcome = await applyDeviceEvent(
      bed.requests.database.db,
      { platform: DEV_DEVICE_PLATFORM, id: newId(), type: 'button_pressed', device: externalId, occurredAt: new Date() },
      new Date(),
    );
    if (outcome.kind !== 'accepted') throw new Error(outcome.kind);
    return outcome.alertId!;
  }

  it('show the alert as it stands when acknowledging it is refused, to whoever may see it', async () => {
    const notified = DEMO_VOLUNTEERS[2]!.id;
    const alert = await pressed(notified);
    // The grid worker of the place sees the alert, but only the person notified and admins acknowledge it.
    expect(await acknowledge(alert, viewers.gridWorker)).toEqual({
      alert: { id: alert, acknowledgedBy: null },
      userErrors: [{ field: ['input', 'alert'], code: 'NOT_ALLOWED', message: expect.any(String) }],
    });
    expect(await acknowledge(alert, viewerOf({ roles: ['volunteer'], personId: notified }))).toEqual({ alert: { id: alert, acknowledgedBy: { id: notified } }, userErrors: [] });
    expect(await acknowledge(alert, viewers.lin)).toEqual({
      alert: { id: alert, acknowledgedBy: { id: notified } },
      userErrors: [{ field: ['input', 'alert'], code: 'INVALID_STATE', message: 'Someone has acknowledged this alert already.' }],
    });
  });

  it('show nothing of an alert the viewer may not see, or of a made-up or malformed id', async () => {
    const alert = await pressed(DEMO_VOLUNTEERS[3]!.id);
    const refused = await bed.requests.execute(`mutation ($input: AlertAcknowledgeInput!) { alertAcknowledge(input: $input) { alert { id } userErrors { code } } }`, {
      variables: { input: { alert } },
      viewer: viewers.wang,
    });
    expect({ data: refused.data, codes: refused.errors?.map((error) => error.extensions?.['code']) }).toEqual({ data: { alertAcknowledge: null }, codes: ['FORBIDDEN'] });
    expect(await acknowledge(newId(), viewers.platform)).toEqual({
      alert: null,
      userErrors: [{ field: ['input', 'alert'], code: 'NOT_FOUND', message: 'There is no such alert.' }],
    });
    expect(await acknowledge('nope', viewers.lin)).toEqual({ alert: null, userErrors: [{ field: ['input', 'alert'], code: 'INVALID', message: expect.any(String) }] });
  });
});

describe('caseloads', () => {
  interface EntryPayload {
    entry: { id: string; household: { id: string }; volunteer: { id: string } } | null;
    userErrors: UserErrorShape[];
  }
  const household = DEMO_HOUSEHOLDS[2]!.id;

  const assign = async (volunteer: string, viewer: Viewer, target = household): Promise<EntryPayload> =>
    (
      await run<{ caseloadAssign: EntryPayload }>(
        bed,
        `mutation ($input: CaseloadAssignInput!) { caseloadAssign(input: $input) { entry { id household { id } volunteer { id } } userErrors { field code message } } }`,
        viewer,
        { input: { household: target, volunteer, place: EAST_BUILDING_1 } },
      )
    ).caseloadAssign;
  const end = async (viewer: Viewer, target = household): Promise<EntryPayload> =>
    (
      await run<{ caseloadEnd: EntryPayload }>(
        bed,
        `mutation ($input: CaseloadEndInput!) { caseloadEnd(input: $input) { entry { id household { id } volunteer { id } } userErrors { field code message } } }`,
        viewer,
        { input: { household: target } },
      )
    ).caseloadEnd;

  it('refuse assigning and ending here, showing the household’s current assignment as it stands to whoever may see it', async () => {
    const [first, second] = [DEMO_VOLUNTEERS[10]!.id, DEMO_VOLUNTEERS[11]!.id];
    await changeCaretaker(bed, household, first);
    const moved = (verb: string) => ({ field: ['input', 'household'], code: 'NOT_ALLOWED', message: expect.stringContaining(`householdCaretaker${verb}`) });
    const assigned = await assign(second, viewers.lin);
    expect(assigned).toEqual({ entry: { id: expect.any(String), household: { id: household }, volunteer: { id: first } }, userErrors: [moved('Assign')] });
    const current = assigned.entry!;
    // An admin of another community does not see the assignment there.
    expect(await assign(second, viewers.zimingStation)).toEqual({ entry: null, userErrors: [moved('Assign')] });
    expect(await end(viewers.lin)).toEqual({ entry: current, userErrors: [moved('End')] });
    // Ended through people, the household is in no caseload: nothing to show, even to a platform admin.
    await changeCaretaker(bed, household, null);
    expect(await end(viewers.platform)).toEqual({ entry: null, userErrors: [moved('End')] });
    expect(await end(viewers.lin, 'nope')).toEqual({ entry: null, userErrors: [moved('End')] });
  });
});

describe('price rules', () => {
  interface RulePayload {
    priceRule: { ordinaryLabourPercent: number; region: { id: string } | null } | null;
    userErrors: UserErrorShape[];
  }
  const set = async (region: string, ordinaryLabourPercent: number, viewer: Viewer): Promise<RulePayload> =>
    (
      await run<{ priceRuleSet: RulePayload }>(
        bed,
        `mutation ($input: PriceRuleSetInput!) { priceRuleSet(input: $input) { priceRule { ordinaryLabourPercent region { id } } userErrors { field code message } } }`,
        viewer,
        { input: { region, ordinaryLabourPercent } },
      )
    ).priceRuleSet;

  it('show the region’s own rule as it stands when setting it is refused, and nothing when it has none of its own', async () => {
    const zimingAdmin = viewerOf({ roles: ['community_admin'], personId: newId(), regionIds: [ZIMING] });
    await knowPersons(bed, [zimingAdmin.personId!]);
    const outside = { field: ['input', 'region'], code: 'NOT_ALLOWED', message: 'The region lies outside your scope.' };
    // Xingle's own rule, which every reader may see (`Query.priceRule`).
    expect(await set(XINGLE, 50, zimingAdmin)).toEqual({ priceRule: { ordinaryLabourPercent: 80, region: { id: XINGLE } }, userErrors: [outside] });
    expect(await set(XINGLE, 101, viewers.lin)).toEqual({
      priceRule: { ordinaryLabourPercent: 80, region: { id: XINGLE } },
      userErrors: [{ field: ['input', 'ordinaryLabourPercent'], code: 'INVALID', message: expect.any(String) }],
    });
    expect(await set(XINGLE, 85, viewers.lin)).toEqual({ priceRule: { ordinaryLabourPercent: 85, region: { id: XINGLE } }, userErrors: [] });
    expect(await set(XINGLE, 50, zimingAdmin)).toEqual({ priceRule: { ordinaryLabourPercent: 85, region: { id: XINGLE } }, userErrors: [outside] });
    // A building inherits Xingle's rule, and has none of its own to show.
    expect(await set(EAST_BUILDING_1, 50, zimingAdmin)).toEqual({ priceRule: null, userErrors: [outside] });
    expect(await set(newId(), 50, viewers.lin)).toEqual({ priceRule: null, userErrors: [{ field: ['input', 'region'], code: 'NOT_FOUND', message: expect.any(String) }] });
    expect(await set('nope', 50, viewers.lin)).toEqual({ priceRule: null, userErrors: [{ field: ['input', 'region'], code: 'INVALID', message: expect.any(String) }] });
  });
});

describe('service record corrections', () => {
  interface CorrectionPayload {
    reversal: { id: string; kind: string; minutes: number } | null;
    replacement: { id: string; kind: string; minutes: number } | null;
    userErrors: UserErrorShape[];
  }
  const correct = async (input: Record<string, unknown>, viewer: Viewer = viewers.lin): Promise<CorrectionPayload> =>
    (
      await run<{ serviceRecordCorrect: CorrectionPayload }>(
        bed,
        `mutation ($input: ServiceRecordCorrectInput!) { serviceRecordCorrect(input: $input) {
          reversal { id kind minutes } replacement { id kind minutes } userErrors { field code message } } }`,
        viewer,
        { input },
      )
    ).serviceRecordCorrect;

  /** The record 王建国's completion of a request wrote. */
  async function completedRecord(): Promise<{ id: string; minutes: number }> {
    const request = await requestAt(bed, 'completed');
    const data = await run<{ serviceRequest: { serviceRecord: { id: string; minutes: number } } }>(
      bed,
      `query ($id: ID!) { serviceRequest(id: $id) { serviceRecord { id minutes } } }`,
      viewers.lin,
      { id: request },
    );
    return data.serviceRequest.serviceRecord;
  }

  it('show the correction a record already has when correcting it again is refused, and nothing when it has none', async () => {
    const record = await completedRecord();
    expect(await correct({ record: record.id, minutes: 1441, reason: '太长。' })).toEqual({
      reversal: null,
      replacement: null,
      userErrors: [{ field: ['input', 'minutes'], code: 'INVALID', message: expect.any(String) }],
    });
    const corrected = await correct({ record: record.id, minutes: 45, reason: '实际服务45分钟。' });
    expect(corrected).toEqual({
      reversal: { id: expect.any(String), kind: 'REVERSAL', minutes: -record.minutes },
      replacement: { id: expect.any(String), kind: 'SERVICE', minutes: 45 },
      userErrors: [],
    });
    const earlier = { reversal: corrected.reversal, replacement: corrected.replacement };
    expect(await correct({ record: record.id, minutes: 30, reason: '再改一次。' })).toEqual({
      ...earlier,
      userErrors: [{ field: ['input', 'record'], code: 'ALREADY_EXISTS', message: expect.any(String) }],
    });
    // 王建国 sees his own records; as an admin of another community he may not correct them, and sees the correction they have.
    const wangElsewhere = viewerOf({ roles: ['volunteer', 'station_admin'], personId: wangJianguo.id, regionIds: [ZIMING] });
    expect(await correct({ record: record.id, reason: '无权。' }, wangElsewhere)).toEqual({
      ...earlier,
      userErrors: [{ field: ['input', 'record'], code: 'NOT_ALLOWED', message: 'The record lies outside your scope.' }],
    });
    // A reversal is never reversed: there is nothing of the kind to show.
    expect(await correct({ record: corrected.reversal!.id, reason: '改撤销记录。' })).toEqual({
      reversal: null,
      replacement: null,
      userErrors: [{ field: ['input', 'record'], code: 'INVALID_STATE', message: 'A reversal cannot itself be corrected.' }],
    });
  });

  it('show a reversal without a replacement when there is none, and nothing of a record the viewer may not see, or of a made-up or malformed id', async () => {
    const record = await completedRecord();
    const reversed = await correct({ record: record.id, reason: '撤销。' });
    expect(reversed).toEqual({ reversal: { id: expect.any(String), kind: 'REVERSAL', minutes: -record.minutes }, replacement: null, userErrors: [] });
    // Only reversed before: the reversal, and no replacement.
    expect(await correct({ record: record.id, minutes: 30, reason: '补记。' })).toEqual({
      reversal: reversed.reversal,
      replacement: null,
      userErrors: [{ field: ['input', 'record'], code: 'ALREADY_EXISTS', message: expect.any(String) }],
    });
    const refused = await bed.requests.execute(`mutation ($input: ServiceRecordCorrectInput!) { serviceRecordCorrect(input: $input) { reversal { id } userErrors { code } } }`, {
      variables: { input: { record: record.id, reason: '无权。' } },
      viewer: viewers.zimingStation,
    });
    expect({ data: refused.data, codes: refused.errors?.map((error) => error.extensions?.['code']) }).toEqual({ data: { serviceRecordCorrect: null }, codes: ['FORBIDDEN'] });
    expect(await correct({ record: newId(), reason: '不存在。' }, viewers.platform)).toEqual({
      reversal: null,
      replacement: null,
      userErrors: [{ field: ['input', 'record'], code: 'NOT_FOUND', message: 'There is no such service record.' }],
    });
    expect(await correct({ record: 'nope', reason: '不存在。' })).toEqual({
      reversal: null,
      replacement: null,
      userErrors: [{ field: ['input', 'record'], code: 'INVALID', message: expect.any(String) }],
    });
  });
});
