/** SQL for devices, their events and the alerts they raise. */
import { and, asc, count, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { required, type Executor, type PageRequest } from '@lianxin/shared';
import { alerts, deviceEvents, devices, type AlertRow, type DeviceRow } from '../db/schema.js';
import { withinAny } from '../sql.js';

export function findDevicesByIds(db: Executor, ids: readonly string[]): Promise<DeviceRow[]> {
  return db
    .select()
    .from(devices)
    .where(inArray(devices.id, [...ids]));
}

export async function findDeviceByExternalId(db: Executor, platform: string, externalId: string): Promise<DeviceRow | null> {
  const [row] = await db
    .select()
    .from(devices)
    .where(and(eq(devices.platform, platform), eq(devices.externalId, externalId)))
    .for('update');
  return row ?? null;
}

export async function insertDevice(db: Executor, values: typeof devices.$inferInsert): Promise<DeviceRow> {
  const [row] = await db.insert(devices).values(values).returning();
  return required(row, 'row inserted into devices');
}

/** Records a delivered event once; false when its id was delivered before (a replay). */
export async function insertDeviceEvent(db: Executor, values: typeof deviceEvents.$inferInsert): Promise<boolean> {
  const rows = await db.insert(deviceEvents).values(values).onConflictDoNothing().returning({ eventId: deviceEvents.eventId });
  return rows.length === 1;
}

/** Moves a device's last motion forward (never back: events may arrive out of order). */
export async function recordMotion(db: Executor, deviceId: string, at: Date): Promise<void> {
  await db
    .update(devices)
    .set({ lastMotionAt: sql`greatest(${devices.lastMotionAt}, ${at.toISOString()}::timestamptz)` })
    .where(eq(devices.id, deviceId));
}

export async function insertAlert(db: Executor, values: typeof alerts.$inferInsert): Promise<AlertRow> {
  const [row] = await db.insert(alerts).values(values).returning();
  return required(row, 'row inserted into alerts');
}

export function findAlertsByIds(db: Executor, ids: readonly string[]): Promise<AlertRow[]> {
  return db
    .select()
    .from(alerts)
    .where(inArray(alerts.id, [...ids]));
}

export function findAlertsOfRequests(db: Executor, requestIds: readonly string[]): Promise<AlertRow[]> {
  return db
    .select()
    .from(alerts)
    .where(inArray(alerts.requestId, [...requestIds]));
}

/** Acknowledges an open alert; null when it was acknowledged already (perhaps a moment ago by someone else). */
export async function acknowledgeAlert(db: Executor, id: string, values: { at: Date; by: string; note: string | null }): Promise<AlertRow | null> {
  const [row] = await db
    .update(alerts)
    .set({ acknowledgedAt: values.at, acknowledgedById: values.by, acknowledgementNote: values.note })
    .where(and(eq(alerts.id, id), isNull(alerts.acknowledgedAt)))
    .returning();
  return row ?? null;
}

/**
 * Devices that have seen no motion for longer than they allow, since their
 * last motion (or registration) and with no inactivity alert raised since.
 */
export function findInactiveDevices(db: Executor, now: Date): Promise<DeviceRow[]> {
  const since = sql`coalesce(${devices.lastMotionAt}, ${devices.registeredAt})`;
  return db
    .select()
    .from(devices)
    .where(
      and(
        sql`${since} + make_interval(hours => ${devices.inactivityHours}) <= ${now.toISOString()}::timestamptz`,
        sql`not exists (select 1 from ${alerts} where ${alerts.deviceId} = ${devices.id} and ${alerts.kind} = 'inactivity' and ${alerts.raisedAt} >= ${since})`,
      ),
    );
}

/** Inserts an inactivity alert unless one is open for the device already (the partial unique index decides a race). */
/** The alert inserted, or null when the device has an open inactivity alert already. */
export async function insertInactivityAlert(db: Executor, values: typeof alerts.$inferInsert): Promise<AlertRow | null> {
  const [row] = await db
    .insert(alerts)
    .values(values)
    .onConflictDoNothing({ target: alerts.deviceId, where: sql`${alerts.kind} = 'inactivity' and ${alerts.acknowledgedAt} is null` })
    .returning();
  return row ?? null;
}

export interface OpenAlertFilter {
  scope: readonly string[] | null;
  region?: string | undefined;
  kind?: 'call_button' | 'inactivity' | undefined;
}

function openConditions(filter: OpenAlertFilter): SQL | undefined {
  return and(
    isNull(alerts.acknowledgedAt),
    filter.scope === null ? undefined : filter.scope.length === 0 ? sql`false` : withinAny(alerts.regionPath, filter.scope),
    filter.region ? withinAny(alerts.regionPath, [filter.region]) : undefined,
    filter.kind ? eq(alerts.kind, filter.kind) : undefined,
  );
}

/** Open alerts, oldest first: the one waiting longest is served first. */
export function findOpenAlertPage(db: Executor, filter: OpenAlertFilter, page: PageRequest): Promise<AlertRow[]> {
  const after = page.after ? sql`(${alerts.raisedAt}, ${alerts.id}) > (${page.after[0]}::timestamptz, ${page.after[1]}::uuid)` : undefined;
  return db
    .select()
    .from(alerts)
    .where(and(openConditions(filter), after))
    .orderBy(asc(alerts.raisedAt), asc(alerts.id))
    .limit(page.limit + 1);
}

export async function countOpenAlerts(db: Executor, filter: OpenAlertFilter): Promise<number> {
  const [row] = await db.select({ total: count() }).from(alerts).where(openConditions(filter));
  return row?.total ?? 0;
}

export const alertCursor = (row: AlertRow): string[] => [row.raisedAt.toISOString(), row.id];
