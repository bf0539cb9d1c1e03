/** SQL for service records: append-only, so there are inserts and reads only. */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { inUuids, pagesPerParent, preparedOnce, required, type Executor, type PageRequest } from '@lianxin/shared';
import { serviceRecords, type NewServiceRecordRow, type ServiceRecordRow } from '../db/schema.js';
import { withinAny } from '../sql.js';

export async function insertServiceRecord(db: Executor, values: NewServiceRecordRow): Promise<ServiceRecordRow> {
  const [row] = await db.insert(serviceRecords).values(values).returning();
  return required(row, 'row inserted into service_records');
}

export function findServiceRecordsByIds(db: Executor, ids: readonly string[]): Promise<ServiceRecordRow[]> {
  return db
    .select()
    .from(serviceRecords)
    .where(inArray(serviceRecords.id, [...ids]));
}

/** The record each of `requestIds` first wrote (its completion), not corrections of it. */
export function findOriginalRecordsOfRequests(db: Executor, requestIds: readonly string[]): Promise<ServiceRecordRow[]> {
  return db
    .select()
    .from(serviceRecords)
    .where(and(inArray(serviceRecords.requestId, [...requestIds]), eq(serviceRecords.kind, 'service'), isNull(serviceRecords.correctsId)));
}

/** The record each of `wishIds` wrote when its fulfiller's hours were confirmed, not corrections of it. */
export function findOriginalRecordsOfWishes(db: Executor, wishIds: readonly string[]): Promise<ServiceRecordRow[]> {
  return db
    .select()
    .from(serviceRecords)
    .where(and(inArray(serviceRecords.wishId, [...wishIds]), eq(serviceRecords.kind, 'service'), isNull(serviceRecords.correctsId)));
}

/** The reversal of each of `recordIds`, where there is one. */
export function findReversalsOf(db: Executor, recordIds: readonly string[]): Promise<ServiceRecordRow[]> {
  return db
    .select()
    .from(serviceRecords)
    .where(inArray(serviceRecords.reversesId, [...recordIds]));
}

/** The record that replaced each of `recordIds` with the right time, where there is one. */
export function findReplacementsOf(db: Executor, recordIds: readonly string[]): Promise<ServiceRecordRow[]> {
  return db
    .select()
    .from(serviceRecords)
    .where(inArray(serviceRecords.correctsId, [...recordIds]));
}

/**
 * The same page of records, newest service first, for each of
 * `volunteerIds`, in one statement (numbered per volunteer, cut at `limit + 1`).
 */
export async function findRecordPagesOfVolunteers(db: Executor, volunteerIds: readonly string[], page: PageRequest, scope: readonly string[] | null): Promise<ServiceRecordRow[]> {
  const after = page.after ? sql`(${serviceRecords.servedAt}, ${serviceRecords.id}) < (${page.after[0]}::timestamptz, ${page.after[1]}::uuid)` : undefined;
  const inScope = scope === null ? undefined : scope.length === 0 ? sql`false` : withinAny(serviceRecords.regionPath, scope);
  return pagesPerParent(db, {
    table: serviceRecords,
    parent: serviceRecords.volunteerId,
    parentIds: volunteerIds,
    orderBy: sql`${serviceRecords.servedAt} desc, ${serviceRecords.id} desc`,
    where: and(after, inScope),
    limit: page.limit,
  });
}

/** A volunteer's minutes and net record count over a period. */
export interface VolunteerServiceSum {
  volunteerId: string;
  minutes: number;
  records: number;
}

/**
 * The sums, one prepared statement per combination of the period's bounds
 * (every volunteer dashboard asks for all time): the volunteers bound as one
 * `uuid[]`, the bounds as values.
 */
const serviceSums = [false, true].flatMap((bounded) =>
  [false, true].map((capped) =>
    preparedOnce((db) =>
      db
        .select({
          volunteerId: serviceRecords.volunteerId,
          minutes: sql<number>`coalesce(sum(${serviceRecords.minutes}), 0)::int`,
          records: sql<number>`coalesce(sum(case ${serviceRecords.kind} when 'service' then 1 else -1 end), 0)::int`,
        })
        .from(serviceRecords)
        .where(
          and(
            inUuids(serviceRecords.volunteerId, 'volunteers'),
            bounded ? sql`${serviceRecords.servedAt} >= ${sql.placeholder('from')}::timestamptz` : undefined,
            capped ? sql`${serviceRecords.servedAt} < ${sql.placeholder('before')}::timestamptz` : undefined,
          ),
        )
        .groupBy(serviceRecords.volunteerId)
        .prepare(`sum_service_of_volunteers${bounded ? '_from' : ''}${capped ? '_before' : ''}`),
    ),
  ),
);

/** Minutes and net record count of each of `volunteerIds` served in [from, before); volunteers with none are absent. */
export function sumServiceOfVolunteers(db: Executor, volunteerIds: readonly string[], from: Date | null, before: Date | null): Promise<VolunteerServiceSum[]> {
  const statement = serviceSums[(from ? 2 : 0) + (before ? 1 : 0)]!;
  return statement(db, { volunteers: [...volunteerIds], from: from?.toISOString() ?? null, before: before?.toISOString() ?? null });
}

/** Record page cursors sort by service time, then id, both descending. */
export const recordCursor = (row: ServiceRecordRow): string[] => [row.servedAt.toISOString(), row.id];
