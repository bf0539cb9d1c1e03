/**
 * Who may see a request and who may act on it. A request is visible to its
 * requester and members of their household, to whoever filed it, to the
 * volunteers it is dispatched to (the team's members, the named volunteer,
 * the one who accepted it), and to region staff whose scope holds its place.
 */
import { refuseUnseen, type Executor, type Transaction, type Viewer } from '@lianxin/shared';
import type { RequestsContext } from '../context.js';
import type { ServiceRequestRow } from '../db/schema.js';
import { findHouseholdsOfPersons, isTeamMember } from '../directory/store.js';
import { inputField } from '../mutation.js';
import { REGION_STAFF_ROLES, administers } from '../access.js';
import { lockServiceRequest } from './store.js';

/** Admins whose scope holds the request's place (station and community admins), and platform admins. */
export const isRequestAdmin = (viewer: Viewer, request: ServiceRequestRow): boolean => administers(viewer, request.regionPath);

/** Whether the viewer is the request's requester, filer or volunteer: a check that needs no lookup. */
function isParty(viewer: Viewer, request: ServiceRequestRow): boolean {
  const me = viewer.personId;
  if (me === null) return false;
  return [request.requesterId, request.filedById, request.assigneeId, request.dispatchedPersonId].includes(me);
}

/** Whether the viewer belongs to the requester's household, per this request's loaders. */
async function livesWithRequester(ctx: RequestsContext, request: ServiceRequestRow): Promise<boolean> {
  const me = ctx.viewer.personId;
  if (me === null) return false;
  const [mine, theirs] = await Promise.all([ctx.loaders.householdOfPerson.load(me), ctx.loaders.householdOfPerson.load(request.requesterId)]);
  return mine !== null && mine === theirs;
}

export async function maySeeRequest(ctx: RequestsContext, request: ServiceRequestRow): Promise<boolean> {
  const { viewer } = ctx;
  if (isParty(viewer, request) || administers(viewer, request.regionPath, REGION_STAFF_ROLES)) return true;
  if (viewer.personId === null) return false;
  if (request.dispatchedTeamId !== null) {
    const teams = await ctx.loaders.teamsOfPerson.load(viewer.personId);
    if (teams.some((team) => team.teamId === request.dispatchedTeamId)) return true;
  }
  return livesWithRequester(ctx, request);
}

/**
 * The same as `maySeeRequest`, inside a transaction (no loaders: they may
 * hold rows from before it, and on the embedded database a read on another
 * handle would wait for this transaction). Mutations ask it first, so a
 * request the viewer may not see is refused exactly as a missing one.
 */
export async function maySeeRequestIn(tx: Executor, viewer: Viewer, request: ServiceRequestRow): Promise<boolean> {
  if (isParty(viewer, request) || administers(viewer, request.regionPath, REGION_STAFF_ROLES)) return true;
  const me = viewer.personId;
  if (me === null) return false;
  if (request.dispatchedTeamId !== null && (await isTeamMember(tx, request.dispatchedTeamId, me))) return true;
  return sharesHousehold(tx, me, request.requesterId);
}

/**
 * Locks the request `id` names for a mutation and refuses it when the viewer
 * may not see it (unless `reaches` says the viewer may act on it all the
 * same): FORBIDDEN, in the words used for an id that names none
 * (`refuseUnseen`). Every request mutation starts here, before it looks at
 * the request's status.
 */
export async function lockVisibleRequest(tx: Transaction, viewer: Viewer, id: string, reaches: (request: ServiceRequestRow) => boolean = () => false): Promise<ServiceRequestRow> {
  const request = await lockServiceRequest(tx, id);
  if (!request || !(reaches(request) || (await maySeeRequestIn(tx, viewer, request)))) refuseUnseen(viewer, inputField('request'), 'request');
  return request;
}

/** Whether the viewer may agree to a price and see what the household pays: the requester's side and admins. */
export async function mayAgreePrice(ctx: RequestsContext, request: ServiceRequestRow): Promise<boolean> {
  const me = ctx.viewer.personId;
  if (isRequestAdmin(ctx.viewer, request)) return true;
  if (me !== null && (me === request.requesterId || me === request.filedById)) return true;
  return livesWithRequester(ctx, request);
}

/** The same as `mayAgreePrice`, inside a transaction (no loaders: they may hold rows from before it). */
export async function mayAgreePriceIn(tx: Executor, viewer: Viewer, request: ServiceRequestRow): Promise<boolean> {
  const me = viewer.personId;
  if (isRequestAdmin(viewer, request)) return true;
  if (me === null) return false;
  if (me === request.requesterId || me === request.filedById) return true;
  return sharesHousehold(tx, me, request.requesterId);
}

/** Whether two persons belong to the same household, per the directory. */
export async function sharesHousehold(tx: Executor, personId: string, otherId: string): Promise<boolean> {
  const rows = await findHouseholdsOfPersons(tx, [personId, otherId]);
  const mine = rows.find((row) => row.personId === personId)?.householdId;
  return mine !== undefined && rows.some((row) => row.personId === otherId && row.householdId === mine);
}

/** Whether the viewer may accept a dispatched request: the volunteer named, or a current member of the team. */
export async function isDispatchee(tx: Executor, viewer: Viewer, request: ServiceRequestRow): Promise<boolean> {
  const me = viewer.personId;
  if (me === null) return false;
  if (request.dispatchedPersonId !== null) return request.dispatchedPersonId === me;
  if (request.dispatchedTeamId !== null) return isTeamMember(tx, request.dispatchedTeamId, me);
  return false;
}
