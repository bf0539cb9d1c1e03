/**
 * Reading service requests: one by id under the visibility rule (access.ts),
 * and the lists staff, a team and a viewer page through. A hidden request and
 * an unknown id are refused alike, so a refusal tells a stranger nothing.
 */
import {
  BadInputError,
  ForbiddenError,
  isUuid,
  optionalId,
  readPage,
  toConnection,
  type Connection,
  type ConnectionArgs,
  type EntityReference,
  holdsAnyOf,
  isPlatformAdmin,
} from '@lianxin/shared';
import type { RequestsContext } from '../context.js';
import { type RequestStatus, type ServiceRequestRow } from '../db/schema.js';
import { REGION_STAFF_ROLES, administers, requireReader, staffScope } from '../access.js';
import { maySeeRequest } from './access.js';
import { countRequests, findRequestPage, requestCursor, type RequestListFilter } from './store.js';

// Reading
// ---------------------------------------------------------------------------

/**
 * A request by id, for a viewer who may see it. Anyone but a platform admin
 * (who sees every request) hears the same refusal for a request hidden from
 * them and for an id that names none: the answer never tells a stranger that
 * a request exists.
 */
async function visible(ctx: RequestsContext, request: ServiceRequestRow | null): Promise<ServiceRequestRow | null> {
  if (request === null ? !isPlatformAdmin(ctx.viewer) : !(await maySeeRequest(ctx, request))) {
    throw new ForbiddenError('Only the requester and their household, whoever filed it, its volunteers and staff of its region may see this request.');
  }
  return request;
}

export async function getServiceRequest(ctx: RequestsContext, id: string): Promise<ServiceRequestRow | null> {
  requireReader(ctx.viewer);
  if (!isUuid(id)) throw new BadInputError('id is not a service request id.', 'id');
  return visible(ctx, await ctx.loaders.serviceRequestById.load(id));
}

/** A reference from another subgraph is read under the same rule as a direct query. */
export async function resolveServiceRequestReference(ctx: RequestsContext, id: string): Promise<ServiceRequestRow | null> {
  requireReader(ctx.viewer);
  return visible(ctx, await ctx.loaders.serviceRequestById.load(id));
}

/** A request referred to from another object here (a record, an alert): hidden ones are null rather than an error. */
export async function relatedRequest(ctx: RequestsContext, id: string | null): Promise<ServiceRequestRow | null> {
  if (id === null) return null;
  const request = await ctx.loaders.serviceRequestById.load(id);
  return request && (await maySeeRequest(ctx, request)) ? request : null;
}

/** Persons are owned by the people subgraph; here a reference is only its id, and one that cannot be an id is none. */
export function resolvePersonReference(id: string): EntityReference | null {
  return isUuid(id) ? { id } : null;
}

export async function listRequestsOfPerson(ctx: RequestsContext, personId: string, args: ConnectionArgs): Promise<Connection<ServiceRequestRow>> {
  requireReader(ctx.viewer);
  const self = ctx.viewer.personId === personId;
  if (!self && !holdsAnyOf(ctx.viewer, REGION_STAFF_ROLES)) {
    throw new ForbiddenError("Only the person and staff may see a person's requests.");
  }
  // Staff see the person's requests placed inside their scope.
  const scope = self ? null : staffScope(ctx.viewer);
  const page = readPage(args, ['timestamp', 'uuid']);
  const rows = await ctx.loaders.requestPage({ page, scope }).load(personId);
  return toConnection(rows, page, requestCursor, () => ctx.loaders.requestCountOfPerson(scope).load(personId));
}

/**
 * The requests that still need a volunteer (dispatched to them by name, or
 * accepted and not finished), oldest first. Read as `Person.requests` is: the
 * person sees all, staff those inside their scope, everyone else is refused.
 */
export async function listOpenTasksOf(ctx: RequestsContext, personId: string, args: ConnectionArgs): Promise<Connection<ServiceRequestRow>> {
  requireReader(ctx.viewer);
  const self = ctx.viewer.personId === personId;
  if (!self && !holdsAnyOf(ctx.viewer, REGION_STAFF_ROLES)) {
    throw new ForbiddenError("Only the person and staff may see a person's open tasks.");
  }
  const scope = self ? null : staffScope(ctx.viewer);
  const page = readPage(args, ['timestamp', 'uuid']);
  const rows = await ctx.loaders.openTaskPage({ page, scope }).load(personId);
  for (const row of rows) ctx.loaders.serviceRequestById.prime(row.id, row);
  return toConnection(rows, page, requestCursor, () => ctx.loaders.openTaskCountOfPerson(scope).load(personId));
}

export interface ServiceRequestFilterArgs {
  region?: string | null | undefined;
  status?: readonly RequestStatus[] | null | undefined;
  category?: string | null | undefined;
  urgency?: ServiceRequestRow['urgency'] | null | undefined;
  filedFrom?: Date | null | undefined;
  filedBefore?: Date | null | undefined;
}

const statusesOf = (statuses: readonly RequestStatus[] | null | undefined): RequestStatus[] | undefined => (statuses ? [...statuses] : undefined);

async function pageOfRequests(
  ctx: RequestsContext,
  filter: RequestListFilter,
  args: ConnectionArgs,
  order: 'newest' | 'oldest' = 'newest',
): Promise<Connection<ServiceRequestRow>> {
  const page = readPage(args, ['timestamp', 'uuid']);
  const rows = await findRequestPage(ctx.db, filter, page, order);
  for (const row of rows) ctx.loaders.serviceRequestById.prime(row.id, row);
  return toConnection(rows, page, requestCursor, () => countRequests(ctx.db, filter));
}

/** Requests by region subtree, status, category and date range, for staff inside their scope. */
export async function listServiceRequests(ctx: RequestsContext, filter: ServiceRequestFilterArgs | null | undefined, args: ConnectionArgs): Promise<Connection<ServiceRequestRow>> {
  requireReader(ctx.viewer);
  if (!holdsAnyOf(ctx.viewer, REGION_STAFF_ROLES)) throw new ForbiddenError('Only staff may list requests.');
  const regionId = optionalId(filter?.region, 'filter.region', 'a region id');
  if (filter?.filedFrom && filter.filedBefore && filter.filedFrom >= filter.filedBefore) {
    throw new BadInputError('filter.filedFrom must be before filter.filedBefore.', 'filter');
  }
  return pageOfRequests(
    ctx,
    {
      scope: staffScope(ctx.viewer),
      region: regionId,
      statuses: statusesOf(filter?.status),
      category: filter?.category ?? undefined,
      urgency: filter?.urgency ?? undefined,
      filedFrom: filter?.filedFrom ?? undefined,
      filedBefore: filter?.filedBefore ?? undefined,
    },
    args,
  );
}

/** The viewer's own requests: asked for, filed for someone, or served. */
export async function listMyServiceRequests(
  ctx: RequestsContext,
  relation: 'requested' | 'filed' | 'serving',
  status: readonly RequestStatus[] | null | undefined,
  args: ConnectionArgs,
): Promise<Connection<ServiceRequestRow>> {
  requireReader(ctx.viewer);
  const me = ctx.viewer.personId;
  if (me === null) throw new ForbiddenError('This account is not a person, so it has no requests of its own.');
  const who: RequestListFilter = relation === 'requested' ? { requesterId: me } : relation === 'filed' ? { filedById: me } : { assigneeId: me };
  return pageOfRequests(ctx, { ...who, statuses: statusesOf(status) }, args);
}

const QUEUE_STATUSES: readonly RequestStatus[] = ['dispatched', 'accepted', 'in_service'];

/** The work dispatched to a team, oldest first: for its members, and admins whose scope holds its community. */
export async function listTeamQueue(
  ctx: RequestsContext,
  teamId: string,
  status: readonly RequestStatus[] | null | undefined,
  args: ConnectionArgs,
): Promise<Connection<ServiceRequestRow>> {
  requireReader(ctx.viewer);
  if (!isUuid(teamId)) throw new BadInputError('team is not a team id.', 'team');
  const me = ctx.viewer.personId;
  const member = me !== null && (await ctx.loaders.teamsOfPerson.load(me)).some((team) => team.teamId === teamId);
  if (!member) {
    const team = await ctx.loaders.directoryTeamById.load(teamId);
    const community = team ? await ctx.loaders.directoryRegionById.load(team.communityId) : null;
    const path = community ? [...community.path, community.id] : [];
    if (!administers(ctx.viewer, path)) throw new ForbiddenError("Only the team's members and admins of its community may see its queue.");
  }
  return pageOfRequests(ctx, { dispatchedTeamId: teamId, statuses: statusesOf(status) ?? [...QUEUE_STATUSES] }, args, 'oldest');
}

// ---------------------------------------------------------------------------
