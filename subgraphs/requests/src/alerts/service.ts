/**
 * Rules for alerts (一键呼叫). Admins register a household's call button and
 * motion sensor, naming whom its alerts notify when the household has no
 * caseload volunteer (its grid worker). A button press opens an urgent
 * request dispatched straight to the household's caseload volunteer, or else
 * that person; no motion
 * for the device's hours raises an inactivity alert. Each alert waits for a
 * person to acknowledge it; open ones are listed for the region's admins
 * with their age.
 */
import { requirePerson, REGION_ADMIN_ROLES, REGION_STAFF_ROLES, administers, requireReader, staffScope } from '../access.js';
import { z } from 'zod';
import {
  BadInputError,
  ForbiddenError,
  UNIQUE_VIOLATION,
  isUuid,
  optionalId,
  readPage,
  toConnection,
  userError,
  type Connection,
  type ConnectionArgs,
  type Database,
  type Executor,
  type Result,
  holdsAnyOf,
  isPlatformAdmin,
  requireRoles,
  refuseUnseen,
} from '@lianxin/shared';
import type { RequestsContext } from '../context.js';
import type { AlertRow, DeviceRow } from '../db/schema.js';
import { placeOf, requireKnownPersons } from '../directory/service.js';
import { findCurrentAssignmentsOfHouseholds } from '../caseloads/store.js';
import { alertRaised } from '../events/publish.js';
import { idInput, inTransaction, inputField, parseInput, refuse, textInput } from '../mutation.js';
import { insertServiceRequest, insertTransition } from '../requests/store.js';
import { TRANSITIONS } from '../requests/transitions.js';
import {
  acknowledgeAlert,
  alertCursor,
  countOpenAlerts,
  findAlertsByIds,
  findInactiveDevices,
  insertAlert,
  insertDevice,
  insertDeviceEvent,
  insertInactivityAlert,
  findDeviceByExternalId,
  findOpenAlertPage,
  recordMotion,
} from './store.js';

/** The category a call button files under (reference data of the migrations). */
const EMERGENCY_CATEGORY = 'emergency_call';

function maySeeAlert(ctx: RequestsContext, alert: AlertRow): boolean {
  const me = ctx.viewer.personId;
  if (me !== null && (me === alert.notifyPersonId || me === alert.residentId)) return true;
  return administers(ctx.viewer, alert.regionPath, REGION_STAFF_ROLES);
}

export async function getAlert(ctx: RequestsContext, id: string): Promise<AlertRow | null> {
  requireReader(ctx.viewer);
  if (!isUuid(id)) throw new BadInputError('id is not an alert id.', 'id');
  return visibleAlert(ctx, await ctx.loaders.alertById.load(id));
}

/** As for requests: anyone but a platform admin hears the same refusal for a hidden alert and for an id that names none. */
function visibleAlert(ctx: RequestsContext, alert: AlertRow | null): AlertRow | null {
  if (alert === null ? !isPlatformAdmin(ctx.viewer) : !maySeeAlert(ctx, alert)) throw new ForbiddenError('Only the person an alert notifies and staff of its region may see it.');
  return alert;
}

export async function resolveAlertReference(ctx: RequestsContext, id: string): Promise<AlertRow | null> {
  requireReader(ctx.viewer);
  return visibleAlert(ctx, await ctx.loaders.alertById.load(id));
}

/** The alert that opened a request, for those who see the request. */
export function alertOfRequest(ctx: RequestsContext, requestId: string): Promise<AlertRow | null> {
  return ctx.loaders.alertOfRequest.load(requestId);
}

/** Seconds an alert has waited: until acknowledged, or until now. */
export function ageOf(ctx: RequestsContext, alert: AlertRow): number {
  const until = alert.acknowledgedAt ?? ctx.settings.now();
  return Math.max(0, Math.floor((until.getTime() - alert.raisedAt.getTime()) / 1000));
}

export interface AlertFilterArgs {
  region?: string | null | undefined;
  kind?: AlertRow['kind'] | null | undefined;
}

/** Open alerts for admins inside their scope; inactivity is checked first, so a silent home shows up when someone looks. */
export async function listOpenAlerts(ctx: RequestsContext, filter: AlertFilterArgs | null | undefined, args: ConnectionArgs): Promise<Connection<AlertRow>> {
  requireReader(ctx.viewer);
  if (!holdsAnyOf(ctx.viewer, REGION_ADMIN_ROLES)) throw new ForbiddenError('Only station, community and platform admins may list open alerts.');
  const regionId = optionalId(filter?.region, 'filter.region', 'a region id');
  const page = readPage(args, ['timestamp', 'uuid']);
  await raiseInactivityAlerts(ctx.db, ctx.settings.now());
  const conditions = {
    scope: staffScope(ctx.viewer, REGION_ADMIN_ROLES),
    region: regionId,
    kind: filter?.kind ?? undefined,
  };
  const rows = await findOpenAlertPage(ctx.db, conditions, page);
  for (const row of rows) ctx.loaders.alertById.prime(row.id, row);
  return toConnection(rows, page, alertCursor, () => countOpenAlerts(ctx.db, conditions));
}

/**
 * Whom an alert of `device` notifies: the household's caseload volunteer
 * (包干) at this moment, else the person named at registration (usually the
 * grid worker).
 */
async function notifyPersonsOf(db: Database | Executor, silent: readonly DeviceRow[]): Promise<Map<string, string>> {
  const assignments = await findCurrentAssignmentsOfHouseholds(db, [...new Set(silent.map((device) => device.householdId))]);
  const volunteerOf = new Map(assignments.map((assignment) => [assignment.householdId, assignment.volunteerId]));
  return new Map(silent.map((device) => [device.id, volunteerOf.get(device.householdId) ?? device.notifyPersonId]));
}

/** Raises an inactivity alert for every device silent longer than it allows; returns how many. Safe to run at any time, from anywhere. */
export async function raiseInactivityAlerts(db: Database | Executor, now: Date): Promise<number> {
  const silent = await findInactiveDevices(db, now);
  if (silent.length === 0) return 0;
  const notify = await notifyPersonsOf(db, silent);
  let raised = 0;
  for (const device of silent) {
    // The alert and its event for the notified person's inbox commit together.
    const inserted = await db.transaction(async (tx) => {
      const alert = await insertInactivityAlert(tx, {
        kind: 'inactivity',
        deviceId: device.id,
        householdId: device.householdId,
        residentId: device.residentId,
        notifyPersonId: notify.get(device.id)!,
        regionId: device.regionId,
        regionPath: device.regionPath,
        raisedAt: now,
      });
      if (alert) await alertRaised(tx, alert);
      return alert !== null;
    });
    if (inserted) raised += 1;
  }
  return raised;
}

const acknowledgeInput = z.object({ alert: idInput('an alert'), note: textInput(500).nullish() });

export async function acknowledge(ctx: RequestsContext, input: unknown): Promise<Result<AlertRow>> {
  const me = requirePerson(ctx.viewer, 'acknowledge alerts');
  const parsed = parseInput(acknowledgeInput, input);
  if (!parsed.ok) return parsed;
  const now = ctx.settings.now();
  return inTransaction(ctx, async (tx) => {
    await requireKnownPersons(tx, me);
    const [alert] = await findAlertsByIds(tx, [parsed.value.alert]);
    // An alert the viewer may not see is FORBIDDEN in the words used for an id that names none.
    if (!alert || !maySeeAlert(ctx, alert)) refuseUnseen(ctx.viewer, inputField('alert'), 'alert');
    if (alert.notifyPersonId !== me && !administers(ctx.viewer, alert.regionPath)) {
      refuse(inputField('alert'), 'NOT_ALLOWED', 'Only the person the alert notifies and admins of its region may acknowledge it.');
    }
    const acknowledged = await acknowledgeAlert(tx, alert.id, { at: now, by: me, note: parsed.value.note ?? null });
    if (!acknowledged) refuse(inputField('alert'), 'INVALID_STATE', 'Someone has acknowledged this alert already.');
    return acknowledged;
  });
}

const registerInput = z.object({
  platform: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be a configured device platform.'),
  externalId: textInput(128),
  household: idInput('a household'),
  resident: idInput('a person'),
  notify: idInput('a person'),
  place: idInput('a region'),
  inactivityHours: z.number().int().min(1, 'must be 1 to 168.').max(168, 'must be 1 to 168.').nullish(),
});

export async function registerDevice(ctx: RequestsContext, input: unknown): Promise<Result<DeviceRow>> {
  const me = requirePerson(ctx.viewer, 'register devices');
  requireRoles(ctx.viewer, REGION_ADMIN_ROLES, 'register devices');
  const parsed = parseInput(registerInput, input);
  if (!parsed.ok) return parsed;
  const value = parsed.value;
  if (!ctx.settings.deviceSecrets.has(value.platform)) {
    return { ok: false, errors: [userError(inputField('platform'), 'NOT_FOUND', `No device platform ${value.platform} is configured (REQUESTS_DEVICE_SECRETS).`)] };
  }
  const now = ctx.settings.now();
  return inTransaction(
    ctx,
    async (tx) => {
      // The resident and whom to notify must be known: alerts name both.
      await requireKnownPersons(tx, me, [
        { id: value.resident, field: inputField('resident') },
        { id: value.notify, field: inputField('notify') },
      ]);
      const place = await placeOf(tx, value.place, inputField('place'));
      if (!administers(ctx.viewer, place.path)) refuse(inputField('place'), 'NOT_ALLOWED', 'The place lies outside your scope.');
      return insertDevice(tx, {
        platform: value.platform,
        externalId: value.externalId,
        householdId: value.household,
        residentId: value.resident,
        notifyPersonId: value.notify,
        regionId: place.id,
        regionPath: place.path,
        inactivityHours: value.inactivityHours ?? 12,
        registeredById: me,
        registeredAt: now,
      });
    },
    [
      {
        sqlState: UNIQUE_VIOLATION,
        constraint: 'devices_platform_external_unique',
        error: userError(inputField('externalId'), 'ALREADY_EXISTS', 'This device is registered already.'),
      },
    ],
  );
}

/** An event a device platform delivered, after its signature and timestamp were checked. */
export interface DeviceEvent {
  platform: string;
  id: string;
  type: 'button_pressed' | 'motion';
  device: string;
  occurredAt: Date;
}

export type DeviceEventOutcome = { kind: 'accepted'; alertId: string | null; requestId: string | null } | { kind: 'replayed' } | { kind: 'unknown_device' };

/**
 * Applies one device event in one transaction: the event id is recorded
 * first (a replay finds it and nothing else is written), then a button press
 * opens an urgent request dispatched to the device's notify person with its
 * alert, and motion moves the device's last motion on.
 */
export async function applyDeviceEvent(db: Database, event: DeviceEvent, now: Date): Promise<DeviceEventOutcome> {
  class Replayed extends Error {}
  try {
    return await db.transaction(async (tx): Promise<DeviceEventOutcome> => {
      const device = await findDeviceByExternalId(tx, event.platform, event.device);
      if (!device) return { kind: 'unknown_device' };
      const fresh = await insertDeviceEvent(tx, {
        platform: event.platform,
        eventId: event.id,
        deviceId: device.id,
        type: event.type,
        occurredAt: event.occurredAt,
        receivedAt: now,
      });
      if (!fresh) throw new Replayed();
      if (event.type === 'motion') {
        await recordMotion(tx, device.id, event.occurredAt);
        return { kind: 'accepted', alertId: null, requestId: null };
      }
      const notifyPersonId = (await notifyPersonsOf(tx, [device])).get(device.id)!;
      const request = await insertServiceRequest(tx, {
        requesterId: device.residentId,
        categoryCode: EMERGENCY_CATEGORY,
        description: `一键呼叫：${event.occurredAt.toISOString()} 按下呼叫按钮，请立即联系或上门查看。`,
        channel: 'device',
        deviceId: device.id,
        regionId: device.regionId,
        regionPath: device.regionPath,
        urgency: 'urgent',
        status: TRANSITIONS.call.to,
        dispatchedPersonId: notifyPersonId,
        createdAt: now,
        updatedAt: now,
      });
      await insertTransition(tx, { requestId: request.id, fromStatus: null, toStatus: 'submitted', actorKind: 'device', at: now });
      // The `call` transition of the table: filed by the device, dispatched by the service at once.
      await insertTransition(tx, {
        requestId: request.id,
        fromStatus: TRANSITIONS.call.from[0]!,
        toStatus: TRANSITIONS.call.to,
        actorKind: 'system',
        reason: 'Call button: dispatched to the household’s caseload volunteer or grid worker.',
        personId: notifyPersonId,
        at: now,
      });
      const alert = await insertAlert(tx, {
        kind: 'call_button',
        deviceId: device.id,
        householdId: device.householdId,
        residentId: device.residentId,
        notifyPersonId,
        regionId: device.regionId,
        regionPath: device.regionPath,
        raisedAt: now,
        requestId: request.id,
      });
      await alertRaised(tx, alert);
      return { kind: 'accepted', alertId: alert.id, requestId: request.id };
    });
  } catch (error) {
    if (error instanceof Replayed) return { kind: 'replayed' };
    throw error;
  }
}
