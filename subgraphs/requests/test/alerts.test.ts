/** Alerts and caseloads on the graph: devices registered, inactivity raised, alerts acknowledged; households assigned and visited. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { asc, eq } from 'drizzle-orm';
import { newId } from '@lianxin/shared';
import { DEMO_HOUSEHOLDS, DEMO_MORE_VOLUNTEERS, DEMO_VOLUNTEERS, demoBeijing, demoId } from '@lianxin/shared/demo';
import { countStatements, viewerOf } from '@lianxin/shared/testing';
import { applyDeviceEvent } from '../src/alerts/service.js';
import { alerts, caseloadAssignments, serviceRequests } from '../src/db/schema.js';
import { DEV_DEVICE_PLATFORM } from '../src/settings.js';
import {
  EAST_BUILDING_1,
  changeCaretaker,
  codeOf,
  liuGuifang,
  liuHousehold,
  run,
  startRequests,
  viewers,
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

const HOUR = 3600_000;

async function register(input: Record<string, unknown>, viewer = viewers.lin) {
  const data = await run<{ deviceRegister: { device: { id: string; inactivityHours: number } | null; userErrors: UserErrorShape[] } }>(
    bed,
    `mutation ($input: DeviceRegisterInput!) { deviceRegister(input: $input) { device { id inactivityHours } userErrors { field code message } } }`,
    viewer,
    { input },
  );
  return data.deviceRegister;
}

const openAlertsQuery = `query ($f: AlertFilter) { openAlerts(filter: $f) { totalCount edges { node { id kind ageSeconds resident { id } notify { id } } } } }`;
type OpenAlerts = { openAlerts: { totalCount: number; edges: { node: { id: string; kind: string; ageSeconds: number; resident: { id: string }; notify: { id: string } } }[] } };

describe('alerts', () => {
  it('lists open alerts for the region’s admins, oldest first, with their age', async () => {
    const data = await run<OpenAlerts>(bed, openAlertsQuery, viewers.lin);
    const ids = data.openAlerts.edges.map((edge) => edge.node.id);
    // The demo's inactivity alert of the stories' 2 December, 18:10 (the day before the demo's today) waits first;
    // 刘桂芳's sensor, silent since, has just raised one too.
    expect(ids[0]).toBe(demoId(16, 12));
    const age = (Date.now() - demoBeijing(12, 2, 18, 10).getTime()) / 1000;
    expect(Math.abs(data.openAlerts.edges[0]!.node.ageSeconds - age)).toBeLessThan(120);
    expect(data.openAlerts.edges.map((edge) => edge.node.resident.id)).toContain(liuGuifang.id);
    expect(data.openAlerts.totalCount).toBe(ids.length);
    expect((await run<OpenAlerts>(bed, openAlertsQuery, viewers.zimingStation)).openAlerts).toEqual({ totalCount: 0, edges: [] });
    expect(codeOf(await bed.requests.execute(openAlertsQuery, { viewer: viewers.wang }))).toBe('FORBIDDEN');
  });

  it('raises an inactivity alert once a device has been silent for its hours, and not again until it moves', async () => {
    const registered = await register({
      platform: DEV_DEVICE_PLATFORM,
      externalId: `sensor-${newId()}`,
      household: zhengHousehold.id,
      resident: viewers.zheng.personId,
      notify: DEMO_VOLUNTEERS[2]!.id,
      place: EAST_BUILDING_1,
      inactivityHours: 6,
    });
    const device = registered.device!.id;
    const raisedFor = async () => (await bed.requests.database.db.select().from(alerts).where(eq(alerts.deviceId, device))).length;
    bed.clock.set(new Date(Date.now() + 5 * HOUR));
    try {
      await run(bed, openAlertsQuery, viewers.lin);
      expect(await raisedFor()).toBe(0);
      bed.clock.set(new Date(Date.now() + 6 * HOUR + 60_000));
      const open = await run<OpenAlerts>(bed, openAlertsQuery, viewers.lin, { f: { kind: 'INACTIVITY' } });
      const alert = open.openAlerts.edges.find((edge) => edge.node.resident.id === viewers.zheng.personId)!.node;
      expect(alert).toMatchObject({ kind: 'INACTIVITY', notify: { id: DEMO_VOLUNTEERS[2]!.id }, ageSeconds: 0 });

      const notified = viewerOf({ roles: ['volunteer'], personId: DEMO_VOLUNTEERS[2]!.id });
      const acknowledge = (viewer = notified) =>
        run<{ alertAcknowledge: { alert: { acknowledgedBy: { id: string }; ageSeconds: number } | null; userErrors: UserErrorShape[] } }>(
          bed,
          `mutation ($input: AlertAcknowledgeInput!) { alertAcknowledge(input: $input) { alert { acknowledgedBy { id } ageSeconds } userErrors { code } } }`,
          viewer,
          { input: { alert: alert.id, note: '已电话联系，老人在外地女儿家。' } },
        );
      // Not his to see: FORBIDDEN, as a made-up alert.
      const asWang = await bed.requests.execute(`mutation ($input: AlertAcknowledgeInput!) { alertAcknowledge(input: $input) { userErrors { code } } }`, {
        variables: { input: { alert: alert.id } },
        viewer: viewers.wang,
      });
      expect(codeOf(asWang)).toBe('FORBIDDEN');
      bed.clock.advance(90_000);
      expect((await acknowledge()).alertAcknowledge.alert).toEqual({ acknowledgedBy: { id: DEMO_VOLUNTEERS[2]!.id }, ageSeconds: 90 });
      expect((await acknowledge(viewers.lin)).alertAcknowledge.userErrors).toEqual([{ code: 'INVALID_STATE' }]);
      // Still silent, but already alerted since the last motion: no second alert.
      bed.clock.advance(3 * HOUR);
      await run(bed, openAlertsQuery, viewers.lin);
      expect(await raisedFor()).toBe(1);
    } finally {
      bed.clock.reset();
    }
  });

  it('sends a button press to the household’s caseload volunteer, else to the device’s notify person, once per event id', async () => {
    // A household with no special needs, so no caseload of its own yet.
    const household = DEMO_HOUSEHOLDS.find((candidate, index) => index > 2 && candidate.needs.length === 0)!;
    const gridWorker = viewers.gridWorker.personId!;
    const volunteer = DEMO_VOLUNTEERS[6]!.id;
    const externalId = `callbox-${newId()}`;
    await register({ platform: DEV_DEVICE_PLATFORM, externalId, household: household.id, resident: household.members[0]!.personId, notify: gridWorker, place: EAST_BUILDING_1 });
    const pressed = async () => {
      const outcome = await applyDeviceEvent(
        bed.requests.database.db,
        { platform: DEV_DEVICE_PLATFORM, id: newId(), type: 'button_pressed', device: externalId, occurredAt: new Date() },
        new Date(),
      );
      if (outcome.kind !== 'accepted') throw new Error(outcome.kind);
      const [alert] = await bed.requests.database.db.select().from(alerts).where(eq(alerts.id, outcome.alertId!));
      const [request] = await bed.requests.database.db.select().from(serviceRequests).where(eq(serviceRequests.id, outcome.requestId!));
      return { alert: alert!.notifyPersonId, request: request!.dispatchedPersonId };
    };
    expect(await pressed()).toEqual({ alert: gridWorker, request: gridWorker });
    await changeCaretaker(bed, household.id, volunteer);
    expect(await pressed()).toEqual({ alert: volunteer, request: volunteer });

    const event = { platform: DEV_DEVICE_PLATFORM, id: newId(), type: 'button_pressed' as const, device: externalId, occurredAt: new Date() };
    expect((await applyDeviceEvent(bed.requests.database.db, event, new Date())).kind).toBe('accepted');
    expect(await applyDeviceEvent(bed.requests.database.db, event, new Date())).toEqual({ kind: 'replayed' });
    expect(await applyDeviceEvent(bed.requests.database.db, { ...event, id: newId(), device: 'nobody' }, new Date())).toEqual({ kind: 'unknown_device' });
  });

  it('refuses registering an unknown platform, twice the same device, or outside the admin’s scope', async () => {
    const input = {
      platform: DEV_DEVICE_PLATFORM,
      externalId: 'dup-0001',
      household: liuHousehold.id,
      resident: liuGuifang.id,
      notify: DEMO_VOLUNTEERS[1]!.id,
      place: EAST_BUILDING_1,
    };
    expect((await register({ ...input, platform: 'acme-iot' })).userErrors.map((error) => [error.field, error.code])).toEqual([[['input', 'platform'], 'NOT_FOUND']]);
    expect((await register(input)).device).toMatchObject({ inactivityHours: 12 });
    expect((await register(input)).userErrors.map((error) => [error.field, error.code])).toEqual([[['input', 'externalId'], 'ALREADY_EXISTS']]);
    expect((await register({ ...input, externalId: 'dup-0002' }, viewers.zimingStation)).userErrors.map((error) => error.code)).toEqual(['NOT_ALLOWED']);
  });
});

describe('caseloads', () => {
  const caseloadQuery = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Person { caseload { household { id } lastVisitAt visits(first: 5) { edges { node { note } } } } } } }`;
  type Caseload = { _entities: { caseload: { household: { id: string }; lastVisitAt: Date | null; visits: { edges: { node: { note: string } }[] } }[] }[] };

  it('follows people’s caretaker assignment: the volunteer logs visits; a new caretaker moves the household; the old hand-kept writers refuse', async () => {
    const household = DEMO_HOUSEHOLDS[2]!;
    const volunteer = viewerOf({ roles: ['volunteer'], personId: DEMO_VOLUNTEERS[10]!.id });
    const assign = (personId: string) => changeCaretaker(bed, household.id, personId);
    const current = () =>
      bed.requests.database.db
        .select({ volunteerId: caseloadAssignments.volunteerId, endedAt: caseloadAssignments.endedAt })
        .from(caseloadAssignments)
        .where(eq(caseloadAssignments.householdId, household.id))
        .orderBy(asc(caseloadAssignments.assignedAt));
    const before = (await current()).length;
    await assign(volunteer.personId!);
    // Delivered again, the same change finds the assignment it made and writes nothing.
    await assign(volunteer.personId!);
    const assigned = await current();
    expect(assigned.length).toBe(before + 1);
    expect(assigned.filter((row) => row.endedAt === null)).toEqual([{ volunteerId: volunteer.personId, endedAt: null }]);
    const byHand = await run<{ caseloadAssign: { entry: { volunteer: { id: string } } | null; userErrors: UserErrorShape[] } }>(
      bed,
      `mutation ($input: CaseloadAssignInput!) { caseloadAssign(input: $input) { entry { volunteer { id } } userErrors { field code message } } }`,
      viewers.lin,
      { input: { household: household.id, volunteer: DEMO_VOLUNTEERS[11]!.id, place: EAST_BUILDING_1 } },
    );
    expect(byHand.caseloadAssign).toEqual({
      entry: { volunteer: { id: volunteer.personId } },
      userErrors: [{ field: ['input', 'household'], code: 'NOT_ALLOWED', message: expect.stringContaining('householdCaretakerAssign') }],
    });

    const log = (viewer = volunteer, visitedAt?: Date) =>
      run<{ caseloadVisitLog: { visit: { note: string } | null; userErrors: UserErrorShape[] } }>(
        bed,
        `mutation ($input: CaseloadVisitLogInput!) { caseloadVisitLog(input: $input) { visit { note } userErrors { field code } } }`,
        viewer,
        { input: { household: household.id, note: '上门探访，一切安好。', ...(visitedAt ? { visitedAt } : {}) } },
      );
    expect((await log()).caseloadVisitLog.visit).toEqual({ note: '上门探访，一切安好。' });
    // Another volunteer does not see the assignment (FORBIDDEN, as for a household in no caseload); the staff of the place see it, and it is not theirs to log.
    const asWang = await bed.requests.execute(`mutation ($input: CaseloadVisitLogInput!) { caseloadVisitLog(input: $input) { userErrors { code } } }`, {
      variables: { input: { household: household.id, note: '顺路。' } },
      viewer: viewers.wang,
    });
    expect(codeOf(asWang)).toBe('FORBIDDEN');
    expect((await log(viewers.gridWorker)).caseloadVisitLog.userErrors).toEqual([{ field: ['input', 'household'], code: 'NOT_ALLOWED' }]);
    expect((await log(volunteer, new Date(Date.now() + 3 * HOUR))).caseloadVisitLog.userErrors).toEqual([{ field: ['input', 'visitedAt'], code: 'INVALID' }]);

    const mine = await run<Caseload>(bed, caseloadQuery, volunteer, { r: [{ __typename: 'Person', id: volunteer.personId }] });
    expect(mine._entities[0]!.caseload).toEqual([
      { household: { id: household.id }, lastVisitAt: expect.any(Date), visits: { edges: [{ node: { note: '上门探访，一切安好。' } }] } },
    ]);

    await assign(DEMO_VOLUNTEERS[11]!.id);
    expect((await current()).filter((row) => row.endedAt === null)).toEqual([{ volunteerId: DEMO_VOLUNTEERS[11]!.id, endedAt: null }]);
    const after = await run<Caseload>(bed, caseloadQuery, volunteer, { r: [{ __typename: 'Person', id: volunteer.personId }] });
    expect(after._entities[0]!.caseload).toEqual([]);
  });

  it('shows caseloads with their visits for the same few statements, one volunteer or all of them', async () => {
    const everyone = DEMO_MORE_VOLUNTEERS.map((volunteer) => ({ __typename: 'Person', id: volunteer.id }));
    const one = await countStatements(bed.requests.database, () => run<Caseload>(bed, caseloadQuery, viewers.platform, { r: everyone.slice(0, 1) }));
    const all = await countStatements(bed.requests.database, () => run<Caseload>(bed, caseloadQuery, viewers.platform, { r: everyone }));
    const households = all.result._entities.flatMap((entity) => entity.caseload);
    expect(households.length).toBeGreaterThan(5);
    expect(households.some((entry) => entry.visits.edges.length > 0)).toBe(true);
    // The caseloads, the last visits and the visit pages: one statement each.
    expect(all.count).toBe(3);
    expect(one.count).toBeLessThanOrEqual(all.count);
  });
});
