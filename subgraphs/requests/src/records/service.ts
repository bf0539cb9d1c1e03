/**
 * Rules for service records (志愿服务记录): the official record of a
 * volunteer's time, written when a request is completed or an organiser
 * approves activity hours, never changed. A wrong record is reversed, once,
 * by a record of the opposite minutes, and may be replaced by one with the
 * right time; the database refuses anything else (see the migration).
 * Visible to the volunteer and to region staff whose scope holds it.
 */
import { requirePerson, REGION_ADMIN_ROLES, REGION_STAFF_ROLES, administers, mayRead, requireReader, staffScope } from '../access.js';
import { z } from 'zod';
import {
  BadInputError,
  ForbiddenError,
  UNIQUE_VIOLATION,
  isUuid,
  readPage,
  toConnection,
  userError,
  type Connection,
  type ConnectionArgs,
  type Result,
  type Transaction,
  holdsAnyOf,
  isPlatformAdmin,
  requireRoles,
  refuseUnseen,
} from '@lianxin/shared';
import type { RequestsContext } from '../context.js';
import type { NewServiceRecordRow, ServiceRecordRow, ServiceRequestRow } from '../db/schema.js';
import { requireKnownPersons } from '../directory/service.js';
import { idInput, inTransaction, inputField, parseInput, refuse, textInput } from '../mutation.js';
import { recordWritten } from '../events/publish.js';
import { findServiceRecordsByIds, insertServiceRecord, recordCursor } from './store.js';

/** The most one record holds: a day. Longer service is several records. */
export const MAX_RECORD_MINUTES = 1440;

/** Minutes between two instants, rounded up (a started minute counts), at least 1 and at most a day. */
export function servedMinutes(from: Date, to: Date): number {
  const minutes = Math.ceil((to.getTime() - from.getTime()) / 60_000);
  return Math.min(MAX_RECORD_MINUTES, Math.max(1, minutes));
}

/**
 * Writes a service record and its event (`service_record.created`, or
 * `.reversed` for a reversal) in the caller's transaction: the one way
 * records are written, so points and recognition hear of every one.
 */
export async function writeServiceRecord(tx: Transaction, values: NewServiceRecordRow): Promise<ServiceRecordRow> {
  const record = await insertServiceRecord(tx, values);
  await recordWritten(tx, record);
  return record;
}

/** Writes the record of a completed request for the volunteer who served it, timed by its start and completion. */
export function recordRequestService(tx: Transaction, request: ServiceRequestRow, completedAt: Date): Promise<ServiceRecordRow> {
  if (!request.assigneeId || !request.startedAt) throw new Error(`request ${request.id} was completed without a volunteer or a start`);
  return writeServiceRecord(tx, {
    volunteerId: request.assigneeId,
    categoryCode: request.categoryCode,
    minutes: servedMinutes(request.startedAt, completedAt),
    servedAt: request.startedAt,
    requestId: request.id,
    regionId: request.regionId,
    regionPath: request.regionPath,
    description: Array.from(request.description).slice(0, 500).join(''),
    createdAt: completedAt,
  });
}

function maySeeRecord(ctx: RequestsContext, record: ServiceRecordRow): boolean {
  return ctx.viewer.personId === record.volunteerId || administers(ctx.viewer, record.regionPath, REGION_STAFF_ROLES);
}

export async function getServiceRecord(ctx: RequestsContext, id: string): Promise<ServiceRecordRow | null> {
  requireReader(ctx.viewer);
  if (!isUuid(id)) throw new BadInputError('id is not a service record id.', 'id');
  return visibleRecord(ctx, await ctx.loaders.serviceRecordById.load(id));
}

/** A record referred to from another object or subgraph: the same rule, but a hidden record is null rather than an error. */
export async function resolveServiceRecord(ctx: RequestsContext, id: string | null): Promise<ServiceRecordRow | null> {
  if (id === null || !mayRead(ctx.viewer)) return null;
  const record = await ctx.loaders.serviceRecordById.load(id);
  return record && maySeeRecord(ctx, record) ? record : null;
}

/** As for requests: anyone but a platform admin hears the same refusal for a hidden record and for an id that names none. */
function visibleRecord(ctx: RequestsContext, record: ServiceRecordRow | null): ServiceRecordRow | null {
  if (record === null ? !isPlatformAdmin(ctx.viewer) : !maySeeRecord(ctx, record))
    throw new ForbiddenError('Only the volunteer and staff of the region may see this service record.');
  return record;
}

/** A reference from another subgraph is read under the same rule as a direct query. */
export async function resolveServiceRecordReference(ctx: RequestsContext, id: string): Promise<ServiceRecordRow | null> {
  requireReader(ctx.viewer);
  return visibleRecord(ctx, await ctx.loaders.serviceRecordById.load(id));
}

/** What a person's record list is cut to for the viewer: all of it for the person, the scope for staff. */
function recordScopeFor(ctx: RequestsContext, personId: string): string[] | null {
  requireReader(ctx.viewer);
  if (ctx.viewer.personId === personId) return null;
  if (!holdsAnyOf(ctx.viewer, REGION_STAFF_ROLES)) throw new ForbiddenError("Only the person and staff may see a person's service records.");
  return staffScope(ctx.viewer);
}

export async function listRecordsOfPerson(ctx: RequestsContext, personId: string, args: ConnectionArgs): Promise<Connection<ServiceRecordRow>> {
  const scope = recordScopeFor(ctx, personId);
  const page = readPage(args, ['timestamp', 'uuid']);
  const rows = await ctx.loaders.recordPage({ page, scope }).load(personId);
  return toConnection(rows, page, recordCursor);
}

/**
 * The start of a Beijing calendar day. The Date scalar hands over the day as
 * a Date at UTC midnight (typed as its `YYYY-MM-DD` text); either way the
 * calendar day is what counts.
 */
export function beijingDay(date: string | Date): Date {
  const day = date instanceof Date ? date.toISOString().slice(0, 10) : date;
  return new Date(`${day}T00:00:00+08:00`);
}

export interface ServiceHours {
  minutes: number;
  hours: number;
  records: number;
}

/** A person's recorded time between two Beijing dates, both included. */
export async function serviceHoursOf(ctx: RequestsContext, personId: string, from: string | Date | null | undefined, to: string | Date | null | undefined): Promise<ServiceHours> {
  requireReader(ctx.viewer);
  const start = from ? beijingDay(from) : null;
  const before = to ? new Date(beijingDay(to).getTime() + 86_400_000) : null;
  if (start && before && start >= before) throw new BadInputError('from must not be after to.', 'from');
  const sum = await ctx.loaders.serviceSum({ from: start?.toISOString() ?? null, before: before?.toISOString() ?? null }).load(personId);
  return { minutes: sum.minutes, hours: Math.round((sum.minutes / 60) * 100) / 100, records: sum.records };
}

const correctInput = z.object({
  record: idInput('a service record'),
  minutes: z.number().int().min(1).max(MAX_RECORD_MINUTES).nullish(),
  reason: textInput(500),
});

export interface Correction {
  reversal: ServiceRecordRow;
  replacement: ServiceRecordRow | null;
}

/**
 * The correction a record already has, each part as a query shows it: its
 * reversal, and the replacement written with it if any. What a refused
 * correction returns, such as a second one of the same record. Null when
 * the record is not corrected; the record hidden from the viewer, unknown or
 * malformed is refused as `serviceRecord` refuses it.
 */
export async function correctionOf(ctx: RequestsContext, recordId: string): Promise<Correction | null> {
  const record = await getServiceRecord(ctx, recordId);
  if (!record) return null;
  const [reversal, replacement] = await Promise.all([ctx.loaders.reversalOfRecord.load(record.id), ctx.loaders.replacementOfRecord.load(record.id)]);
  if (!reversal || !maySeeRecord(ctx, reversal)) return null;
  return { reversal, replacement: replacement && maySeeRecord(ctx, replacement) ? replacement : null };
}

/**
 * Corrects a record: writes its reversal and, when minutes are given, a
 * replacement with the right time, in one transaction. A record is
 * reversed once: a second correction, even racing the first, is refused.
 */
export async function correctServiceRecord(ctx: RequestsContext, input: unknown): Promise<Result<Correction>> {
  const adminId = requirePerson(ctx.viewer, 'correct service records');
  requireRoles(ctx.viewer, REGION_ADMIN_ROLES, 'correct service records');
  const parsed = parseInput(correctInput, input);
  if (!parsed.ok) return parsed;
  const { record: recordId, minutes, reason } = parsed.value;
  const now = ctx.settings.now();
  return inTransaction(
    ctx,
    async (tx) => {
      await requireKnownPersons(tx, adminId);
      const [original] = await findServiceRecordsByIds(tx, [recordId]);
      // A record the viewer may not see is FORBIDDEN in the words used for an id that names none; one they see but may not correct, whatever it is, NOT_ALLOWED.
      if (!original || !maySeeRecord(ctx, original)) refuseUnseen(ctx.viewer, inputField('record'), 'service record');
      if (!administers(ctx.viewer, original.regionPath)) refuse(inputField('record'), 'NOT_ALLOWED', 'The record lies outside your scope.');
      if (original.kind !== 'service') refuse(inputField('record'), 'INVALID_STATE', 'A reversal cannot itself be corrected.');
      const basis = { requestId: original.requestId, activityId: original.activityId, dutyShiftId: original.dutyShiftId, wishId: original.wishId };
      const common = {
        volunteerId: original.volunteerId,
        categoryCode: original.categoryCode,
        servedAt: original.servedAt,
        ...basis,
        regionId: original.regionId,
        regionPath: original.regionPath,
        description: original.description,
        verifiedById: adminId,
        reason,
        createdAt: now,
      };
      const reversal = await writeServiceRecord(tx, { ...common, kind: 'reversal', minutes: -original.minutes, reversesId: original.id });
      const replacement = minutes ? await writeServiceRecord(tx, { ...common, kind: 'service', minutes, correctsId: original.id }) : null;
      return { reversal, replacement };
    },
    [
      {
        sqlState: UNIQUE_VIOLATION,
        constraint: 'service_records_reversed_once',
        error: userError(inputField('record'), 'ALREADY_EXISTS', 'The record has been corrected already; correct its replacement instead.'),
      },
    ],
  );
}
