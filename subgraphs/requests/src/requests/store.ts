/** SQL for service requests and their history: one named query per function, nothing else. */
import { and, asc, count, desc, eq, gte, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import { pagesPerParent, preparedPagesPerParent, required, type Executor, type PageRequest, type PageValues } from '@lianxin/shared';
import {
  requestTransitions,
  serviceRequests,
  type NewRequestTransitionRow,
  type NewServiceRequestRow,
  type RequestStatus,
  type RequestTransitionRow,
  type ServiceRequestRow,
} from '../db/schema.js';
import { withinAny } from '../sql.js';

export function findServiceRequestsByIds(db: Executor, ids: readonly string[]): Promise<ServiceRequestRow[]> {
  return db
    .select()
    .from(serviceRequests)
    .where(inArray(serviceRequests.id, [...ids]));
}

/** The request, locked until the transaction ends: every status change goes through this. */
export async function lockServiceRequest(db: Executor, id: string): Promise<ServiceRequestRow | null> {
  const [row] = await db.select().from(serviceRequests).where(eq(serviceRequests.id, id)).for('update');
  return row ?? null;
}

export async function updateServiceRequest(db: Executor, id: string, values: Partial<NewServiceRequestRow>): Promise<ServiceRequestRow> {
  const [row] = await db.update(serviceRequests).set(values).where(eq(serviceRequests.id, id)).returning();
  return required(row, `service request ${id}, locked by this transaction`);
}

export async function insertServiceRequest(db: Executor, values: NewServiceRequestRow): Promise<ServiceRequestRow> {
  const [row] = await db.insert(serviceRequests).values(values).returning();
  return required(row, 'row inserted into service_requests');
}

export async function insertTransition(db: Executor, values: NewRequestTransitionRow): Promise<RequestTransitionRow> {
  const [row] = await db.insert(requestTransitions).values(values).returning();
  return required(row, 'row inserted into request_transitions');
}

/** The history of each of `requestIds`, oldest first. */
export function findTransitionsOfRequests(db: Executor, requestIds: readonly string[]): Promise<RequestTransitionRow[]> {
  return db
    .select()
    .from(requestTransitions)
    .where(inArray(requestTransitions.requestId, [...requestIds]))
    .orderBy(asc(requestTransitions.requestId), asc(requestTransitions.at), asc(requestTransitions.id));
}

/** Keeps rows placed inside `scope` (null: everything). */
const scoped = (scope: readonly string[] | null): SQL | undefined => (scope === null ? undefined : scope.length === 0 ? sql`false` : withinAny(serviceRequests.regionPath, scope));

/**
 * The same page of requests, newest first, for each of `requesterIds`, in one
 * statement: rows are numbered per requester and cut at `limit + 1`, so many
 * persons cost one query.
 */
export async function findRequestPagesOfRequesters(
  db: Executor,
  requesterIds: readonly string[],
  page: PageRequest,
  scope: readonly string[] | null,
): Promise<ServiceRequestRow[]> {
  const after = page.after ? sql`(${serviceRequests.createdAt}, ${serviceRequests.id}) < (${page.after[0]}::timestamptz, ${page.after[1]}::uuid)` : undefined;
  return pagesPerParent(db, {
    table: serviceRequests,
    parent: serviceRequests.requesterId,
    parentIds: requesterIds,
    orderBy: sql`${serviceRequests.createdAt} desc, ${serviceRequests.id} desc`,
    where: and(after, scoped(scope)),
    limit: page.limit,
  });
}

/** How many requests each of `requesterIds` has (inside `scope`); requesters with none are absent. */
export function countRequestsOfRequesters(db: Executor, requesterIds: readonly string[], scope: readonly string[] | null): Promise<{ requesterId: string; total: number }[]> {
  return db
    .select({ requesterId: serviceRequests.requesterId, total: count() })
    .from(serviceRequests)
    .where(and(inArray(serviceRequests.requesterId, [...requesterIds]), scoped(scope)))
    .groupBy(serviceRequests.requesterId);
}

/** The statuses in which a request still needs the volunteer holding it: accepted or being served by its assignee. */
const ASSIGNED_OPEN: readonly RequestStatus[] = ['accepted', 'in_service'];

/** Open tasks come oldest first, by filing time then id: a volunteer's queue, as a team's is. */
const openTaskOrder = () => sql`${serviceRequests.createdAt} asc, ${serviceRequests.id} asc`;

/** The values an open-task page may name besides its parents and size: the cursor's key, and the scope's regions. */
interface OpenTaskValues extends Record<string, unknown> {
  afterAt?: string;
  afterId?: string;
  scope?: readonly string[];
}

/**
 * Open-task pages, one prepared statement per kind (dispatched to the person
 * or accepted by them) and combination of cursor and scope: every volunteer
 * dashboard reads both kinds, and rendering them anew with their thirty
 * columns twice over (the numbered rows, then the page) was most of the
 * statement rendering that took a tenth of the graph's CPU under dashboard
 * load (docs/performance.md).
 */
const openTaskStatements = (kind: 'dispatched' | 'assigned') => {
  const [parent, status] =
    kind === 'dispatched'
      ? [serviceRequests.dispatchedPersonId, sql`${serviceRequests.status} = 'dispatched'`]
      : [serviceRequests.assigneeId, inArray(serviceRequests.status, [...ASSIGNED_OPEN])];
  const after = sql`(${serviceRequests.createdAt}, ${serviceRequests.id}) > (${sql.placeholder('afterAt')}::timestamptz, ${sql.placeholder('afterId')}::uuid)`;
  const inScope = sql`${serviceRequests.regionPath} && ${sql.placeholder('scope')}::uuid[]`;
  const shape = (cursor: boolean, scoped: boolean) =>
    preparedPagesPerParent<typeof serviceRequests, OpenTaskValues>(`${kind}_task_pages${cursor ? '_after' : ''}${scoped ? '_scoped' : ''}`, {
      table: serviceRequests,
      parent,
      orderBy: openTaskOrder(),
      where: and(status, cursor ? after : undefined, scoped ? inScope : undefined),
    });
  const shapes = [shape(false, false), shape(false, true), shape(true, false), shape(true, true)] as const;
  return (db: Executor, personIds: readonly string[], page: PageRequest, scope: readonly string[] | null): Promise<ServiceRequestRow[]> => {
    const [afterAt, afterId] = page.after ?? [];
    const cursor = afterAt !== undefined && afterId !== undefined;
    const values: PageValues<OpenTaskValues> = { parents: personIds, limit: page.limit, ...(cursor ? { afterAt, afterId } : {}), ...(scope ? { scope: [...scope] } : {}) };
    return shapes[(cursor ? 2 : 0) + (scope ? 1 : 0)]!(db, values);
  };
};

/**
 * The same page of requests dispatched by name to each of `personIds` and
 * waiting for them to accept, oldest first, in one statement.
 */
export const findDispatchedTaskPages = openTaskStatements('dispatched');

/** The same page of requests each of `personIds` accepted and has not finished, oldest first, in one statement. */
export const findAssignedTaskPages = openTaskStatements('assigned');

/** Who an open task waits for: the person it was dispatched to until accepted, then its assignee. */
const openTaskHolder = sql<string>`case when ${serviceRequests.status} = 'dispatched' then ${serviceRequests.dispatchedPersonId} else ${serviceRequests.assigneeId} end`;

/** How many open tasks each of `personIds` has (inside `scope`); persons with none are absent. */
export function countOpenTasksOf(db: Executor, personIds: readonly string[], scope: readonly string[] | null): Promise<{ personId: string; total: number }[]> {
  const ids = [...personIds];
  return db
    .select({ personId: openTaskHolder.as('person_id'), total: count() })
    .from(serviceRequests)
    .where(
      and(
        or(
          and(eq(serviceRequests.status, 'dispatched'), inArray(serviceRequests.dispatchedPersonId, ids)),
          and(inArray(serviceRequests.status, [...ASSIGNED_OPEN]), inArray(serviceRequests.assigneeId, ids)),
        ),
        scoped(scope),
      ),
    )
    .groupBy(openTaskHolder);
}

/** Open tasks sort by filing time, then id (the cursor's order). */
export const compareOpenTasks = (a: ServiceRequestRow, b: ServiceRequestRow): number => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** What a list of requests is narrowed to. */
export interface RequestListFilter {
  scope?: readonly string[] | null;
  region?: string | undefined;
  statuses?: readonly RequestStatus[] | undefined;
  category?: string | undefined;
  urgency?: 'normal' | 'urgent' | undefined;
  filedFrom?: Date | undefined;
  filedBefore?: Date | undefined;
  requesterId?: string | undefined;
  filedById?: string | undefined;
  assigneeId?: string | undefined;
  dispatchedTeamId?: string | undefined;
}

/** The statuses of a request still on its way: the predicate of `service_requests_open_region_path_idx`. */
const OPEN_STATUSES: readonly RequestStatus[] = ['submitted', 'approved', 'dispatched', 'accepted', 'in_service'];

/**
 * The asked statuses; when all of them are open, also the open predicate in
 * literal SQL. A prepared statement's generic plan cannot tell that the
 * bound statuses lie inside a partial index's predicate, so without the
 * literal the queue would read every request of the region, closed ones
 * included (a community holds a hundred times more closed requests than open).
 */
function statusConditions(statuses: readonly RequestStatus[] | undefined): SQL | undefined {
  if (!statuses?.length) return undefined;
  const asked = inArray(serviceRequests.status, [...statuses]);
  if (!statuses.every((status) => OPEN_STATUSES.includes(status))) return asked;
  return and(asked, sql`${serviceRequests.status} in (${sql.raw(OPEN_STATUSES.map((status) => `'${status}'`).join(', '))})`);
}

function listConditions(filter: RequestListFilter): SQL | undefined {
  return and(
    filter.scope === undefined ? undefined : scoped(filter.scope),
    filter.region ? withinAny(serviceRequests.regionPath, [filter.region]) : undefined,
    statusConditions(filter.statuses),
    filter.category ? eq(serviceRequests.categoryCode, filter.category) : undefined,
    filter.urgency ? eq(serviceRequests.urgency, filter.urgency) : undefined,
    filter.filedFrom ? gte(serviceRequests.createdAt, filter.filedFrom) : undefined,
    filter.filedBefore ? lt(serviceRequests.createdAt, filter.filedBefore) : undefined,
    filter.requesterId ? eq(serviceRequests.requesterId, filter.requesterId) : undefined,
    filter.filedById ? eq(serviceRequests.filedById, filter.filedById) : undefined,
    filter.assigneeId ? eq(serviceRequests.assigneeId, filter.assigneeId) : undefined,
    filter.dispatchedTeamId ? eq(serviceRequests.dispatchedTeamId, filter.dispatchedTeamId) : undefined,
  );
}

/** One page of requests matching `filter`, by filing time: newest first, or oldest first for a queue. */
export function findRequestPage(db: Executor, filter: RequestListFilter, page: PageRequest, order: 'newest' | 'oldest' = 'newest'): Promise<ServiceRequestRow[]> {
  const newest = order === 'newest';
  const after = page.after
    ? newest
      ? sql`(${serviceRequests.createdAt}, ${serviceRequests.id}) < (${page.after[0]}::timestamptz, ${page.after[1]}::uuid)`
      : sql`(${serviceRequests.createdAt}, ${serviceRequests.id}) > (${page.after[0]}::timestamptz, ${page.after[1]}::uuid)`
    : undefined;
  const direction = newest ? desc : asc;
  return db
    .select()
    .from(serviceRequests)
    .where(and(listConditions(filter), after))
    .orderBy(direction(serviceRequests.createdAt), direction(serviceRequests.id))
    .limit(page.limit + 1);
}

export async function countRequests(db: Executor, filter: RequestListFilter): Promise<number> {
  const [row] = await db.select({ total: count() }).from(serviceRequests).where(listConditions(filter));
  return row?.total ?? 0;
}

/** Request page cursors sort by filing time, then id. */
export const requestCursor = (row: ServiceRequestRow): string[] => [row.createdAt.toISOString(), row.id];
