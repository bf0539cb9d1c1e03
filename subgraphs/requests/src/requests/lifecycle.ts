/**
 * Changing service requests: what a valid request is, who may file one and
 * for whom, and every change of status, each through the one transition table
 * (transitions.ts) in one transaction that locks the request row and writes a
 * history row.
 */
import { requirePerson, REGION_ADMIN_ROLES, administers, requireReader } from '../access.js';
import { z } from 'zod';
import {
  CHECK_VIOLATION,
  ForbiddenError,
  hasRole,
  ok,
  refused,
  required,
  userError,
  type Result,
  type Role,
  type Transaction,
  type UserError,
  type UserErrorCode,
  holdsAnyOf,
  requireRoles,
  requireSignedIn,
} from '@lianxin/shared';
import { filesAsCaretaker } from '../caseloads/service.js';
import { findCategoriesByCodes } from '../categories/store.js';
import type { RequestsContext } from '../context.js';
import { requestChannel, type NewServiceRequestRow, type ServiceOfferRow, type ServiceRequestRow } from '../db/schema.js';
import { placeOf, requireKnownPersons, teamOf, type NamedPerson } from '../directory/service.js';
import { captainsAnyOf } from '../directory/store.js';
import { refuseUnfitMinor } from '../directory/minors.js';
import { characterCount, idInput, inTransaction, inputField, parseInput, refuse, textInput, urlInput, type ConstraintRefusal } from '../mutation.js';
import { fundChargeCreated, requestRated, requestStepTaken } from '../events/publish.js';
import { quoteOfferedPrice } from '../pricing/service.js';
import { findSettlement, insertFundCharge } from '../pricing/store.js';
import { recordRequestService } from '../records/service.js';
import { isDispatchee, isRequestAdmin, lockVisibleRequest, sharesHousehold } from './access.js';
import { findOffersByIds } from '../menu/store.js';
import { findServiceRequestsByIds, insertServiceRequest, insertTransition, updateServiceRequest } from './store.js';
import { TRANSITIONS, illegalTransitionMessage, type RequestAction } from './transitions.js';
import { isCollectedChannel } from './channels.js';

/** Roles that collect needs for residents (民情收集) and so may file on their behalf. */
const FILE_ON_BEHALF_ROLES: readonly Role[] = ['grid_worker', 'station_admin', 'community_admin', 'platform_admin'];

const DESCRIPTION_MAX_LENGTH = 2000;

const createInput = z.object({
  requester: idInput('a person').nullish(),
  category: z.string().trim().min(1, 'must not be empty.'),
  description: textInput(DESCRIPTION_MAX_LENGTH),
  channel: z.enum(requestChannel.enumValues).nullish(),
  place: idInput('a region').nullish(),
  urgency: z.enum(['normal', 'urgent']).nullish(),
  wishedAt: z.date().nullish(),
});

/** The offer's own limits, held by the database (a trigger counts the week's orders under a lock on the offer). */
const OFFER_REFUSALS: ConstraintRefusal[] = [
  {
    sqlState: CHECK_VIOLATION,
    constraint: 'service_offers_capacity_per_week',
    error: userError(inputField('offer'), 'ALREADY_EXISTS', 'The offer is fully booked for that week; choose another week or another offer.'),
  },
  { sqlState: CHECK_VIOLATION, constraint: 'service_offers_open', error: userError(inputField('offer'), 'INVALID_STATE', 'The offer has been withdrawn.') },
  {
    sqlState: CHECK_VIOLATION,
    constraint: 'service_offers_window',
    error: userError(inputField('wishedAt'), 'INVALID_STATE', 'The team does not serve at that time: wish a time inside one of the offer’s windows (Beijing time).'),
  },
  { sqlState: CHECK_VIOLATION, constraint: 'categories_in_use', error: userError(inputField('category'), 'INVALID_STATE', 'The category is retired; choose another.') },
];

/** A refusal of one field of the input. */
const inputError = (field: string, code: UserErrorCode, message: string): UserError => userError(['input', field], code, message);

// ---------------------------------------------------------------------------
// Filing
// ---------------------------------------------------------------------------

/**
 * Files a request (点单). The requester is the viewer unless another person is
 * named; filing for someone else is a grid worker's or staff member's job, and
 * the filer is recorded. The request and its first history row are written
 * together, or nothing is.
 */
export async function createServiceRequest(ctx: RequestsContext, input: unknown, offer: ServiceOfferRow | null = null): Promise<Result<ServiceRequestRow>> {
  const { viewer } = ctx;
  requireSignedIn(viewer, 'ask for help');

  const parsed = parseInput(createInput, input);
  if (!parsed.ok) return parsed;
  const requesterId = parsed.value.requester ?? viewer.personId;
  if (requesterId === null) return refused(inputError('requester', 'REQUIRED', 'Say who needs the help: this account is not a person.'));
  const { category: categoryCode, description } = parsed.value;

  const onBehalf = requesterId !== viewer.personId;
  const staff = viewer.personId !== null && hasRole(viewer, ...FILE_ON_BEHALF_ROLES);
  // A caseload volunteer (包干) files for the members of their households, as a grid worker does.
  const caretaker = onBehalf && !staff && (await filesAsCaretaker(ctx, requesterId));
  // A building captain files for residents of their own building: that needs the place, checked against the directory below.
  const asCaptain = onBehalf && !staff && !caretaker && viewer.personId !== null && Boolean(parsed.value.place);
  if (onBehalf && !staff && !caretaker && !asCaptain) {
    throw new ForbiddenError(
      'Only grid workers, station or community staff, caseload volunteers for their households, and building captains for a place in their building, signed in as themselves, may file a request for someone else.',
    );
  }
  const channel = parsed.value.channel ?? (onBehalf ? (staff || caretaker ? 'grid_worker' : 'building_captain') : 'app');
  if (channel === 'device') {
    return refused(inputError('channel', 'NOT_ALLOWED', 'Only a call button or sensor files requests through the device channel.'));
  }
  if (channel === 'grid_worker' && !onBehalf) {
    return refused(inputError('channel', 'INVALID', 'The grid worker channel is for requests filed on a resident’s behalf.'));
  }
  if (channel === 'building_captain' && !asCaptain) {
    return refused(inputError('channel', 'INVALID', 'The building captain channel is for a building captain filing for a resident of their building.'));
  }
  if (isCollectedChannel(channel) && !onBehalf) {
    return refused(inputError('channel', 'INVALID', 'Group chats, courtyard meetings and home visits are recorded by whoever files the request for the resident.'));
  }
  const urgency = parsed.value.urgency ?? 'normal';
  if (urgency === 'urgent' && !staff) {
    return refused(inputError('urgency', 'NOT_ALLOWED', 'Only staff mark a request urgent; call the station for an emergency.'));
  }

  const category = await ctx.loaders.categoryByCode.load(categoryCode);
  if (!category) return refused(inputError('category', 'NOT_FOUND', `There is no category ${categoryCode}.`));
  if (category.retiredAt) return refused(inputError('category', 'INVALID_STATE', `The category ${categoryCode} is retired; choose another.`));
  if (category.code === 'emergency_call') {
    return refused(inputError('category', 'NOT_ALLOWED', 'Emergency calls come from call buttons; call the station in an emergency.'));
  }

  const now = ctx.settings.now();
  const filerId = onBehalf ? viewer.personId : null;
  const result = await inTransaction(
    ctx,
    async (tx) => {
      // Whoever files must be known, and so must the resident filed for: lists of the request show both.
      await requireKnownPersons(tx, viewer.personId, onBehalf ? [{ id: requesterId, field: inputField('requester') }] : []);
      const place = parsed.value.place ? await placeOf(tx, parsed.value.place, inputField('place')) : null;
      // Being a building captain is a relation to a place, not a role: a place the viewer captains no building of is NOT_ALLOWED.
      if (asCaptain && !(place && viewer.personId !== null && (await captainsAnyOf(tx, viewer.personId, place.path)))) {
        refuse(inputField('place'), 'NOT_ALLOWED', 'A building captain files requests only for a place in their own building.');
      }
      // An order from the menu: the team serves only the area it offered.
      if (offer && !(place && place.path.some((region) => offer.areaRegionIds.includes(region)))) {
        refuse(inputField('place'), 'NOT_ALLOWED', 'The place lies outside the area the offer serves.');
      }
      const request = await insertServiceRequest(tx, {
        requesterId,
        categoryCode: category.code,
        description,
        channel,
        filedById: filerId,
        regionId: place?.id ?? null,
        regionPath: place?.path ?? [],
        urgency,
        wishedAt: parsed.value.wishedAt ?? null,
        offerId: offer?.id ?? null,
        createdAt: now,
        updatedAt: now,
      });
      await insertTransition(tx, { requestId: request.id, fromStatus: null, toStatus: 'submitted', actorKind: 'person', actorId: filerId ?? requesterId, at: now });
      if (offer) await quoteOfferedPrice(tx, request, offer, now);
      return request;
    },
    OFFER_REFUSALS,
  );
  if (result.ok) ctx.loaders.serviceRequestById.prime(result.value.id, result.value);
  return result;
}

// ---------------------------------------------------------------------------
// Changing status
// ---------------------------------------------------------------------------

/** What one change writes besides the new status: more columns, what the history row says, and the event it publishes. */
interface Change {
  values?: Partial<NewServiceRequestRow>;
  reason?: string | null;
  teamId?: string | null;
  personId?: string | null;
  /** Appends the change's event, built from the row as the change left it. */
  publish?: (tx: Transaction, updated: ServiceRequestRow) => Promise<void>;
}

/** Whether the viewer holds the authority a transition needs over `request` (looked up inside the transaction). */
async function holdsAuthority(ctx: RequestsContext, tx: Transaction, action: RequestAction, request: ServiceRequestRow): Promise<boolean> {
  const me = ctx.viewer.personId;
  switch (TRANSITIONS[action].who) {
    case 'region_admin':
      return isRequestAdmin(ctx.viewer, request);
    case 'dispatchee':
      return isDispatchee(tx, ctx.viewer, request);
    case 'assignee':
      return me !== null && request.assigneeId === me;
    case 'requester_household':
      return me !== null && (me === request.requesterId || (await sharesHousehold(tx, me, request.requesterId)));
    case 'requester_or_filer':
      return me !== null && (me === request.requesterId || me === request.filedById);
    case 'system':
      return false;
  }
}

/**
 * Locks the request for `action`, refused as missing when the viewer may not
 * see it. Review is the exception: an unplaced request is seen only by its
 * requester, its filer and platform admins, yet any region admin may place
 * it inside their scope on approval, so region admins reach it to review.
 */
function lockReachableRequest(ctx: RequestsContext, tx: Transaction, action: RequestAction, id: string): Promise<ServiceRequestRow> {
  const reviews = action === 'approve' || action === 'reject';
  return lockVisibleRequest(tx, ctx.viewer, id, (request) => reviews && request.regionId === null && holdsAnyOf(ctx.viewer, REGION_ADMIN_ROLES));
}

const NOT_ALLOWED_MESSAGES: Record<RequestAction, string> = {
  approve: 'Only admins whose scope holds the request’s place may review it; an unplaced request is approved with a place inside your scope.',
  reject: 'Only admins whose scope holds the request’s place may review it.',
  dispatch: 'Only admins whose scope holds the request’s place may dispatch it.',
  accept: 'Only the volunteer it is dispatched to, or a member of the team it is dispatched to, may accept it.',
  start: 'Only the volunteer who accepted it may start the service.',
  complete: 'Only the volunteer who accepted it may complete the service.',
  rate: 'Only the requester or a member of their household may rate the service.',
  cancel: 'Only the requester, or whoever filed it for them, may withdraw it.',
  call: 'Only a call button dispatches a request this way.',
};

/**
 * Makes one transition of the table in one transaction: checks that the
 * viewer and the persons the input names are known, locks the request,
 * checks the viewer's authority and then its status, lets `decide` refuse
 * or say what else to write, then updates the row and appends the history
 * row. Authority comes before status, so a viewer who may not act learns
 * nothing of the status: one they may not see gets NOT_FOUND as for a
 * missing request, one they see but may not change NOT_ALLOWED, whatever
 * the status. `FOR UPDATE` serialises changes to one request, so of two
 * volunteers accepting at the same moment the second finds it accepted
 * already.
 */
async function changeStatus(
  ctx: RequestsContext,
  action: RequestAction,
  requestId: string,
  decide: (tx: Transaction, request: ServiceRequestRow, now: Date) => Promise<Change> | Change = () => ({}),
  named: readonly NamedPerson[] = [],
): Promise<Result<ServiceRequestRow>> {
  const actorId = requirePerson(ctx.viewer, 'change a request');
  const transition = TRANSITIONS[action];
  const now = ctx.settings.now();
  return inTransaction(ctx, async (tx) => {
    await requireKnownPersons(tx, actorId, named);
    const request = await lockReachableRequest(ctx, tx, action, requestId);
    if (!(await holdsAuthority(ctx, tx, action, request))) refuse(inputField('request'), 'NOT_ALLOWED', NOT_ALLOWED_MESSAGES[action]);
    if (!transition.from.includes(request.status)) refuse(inputField('request'), 'INVALID_STATE', illegalTransitionMessage(action, request.status));
    const change = await decide(tx, request, now);
    const updated = await updateServiceRequest(tx, request.id, { ...change.values, status: transition.to, updatedAt: now });
    await insertTransition(tx, {
      requestId: request.id,
      fromStatus: request.status,
      toStatus: transition.to,
      actorKind: 'person',
      actorId,
      reason: change.reason ?? null,
      teamId: change.teamId ?? null,
      personId: change.personId ?? null,
      at: now,
    });
    await change.publish?.(tx, updated);
    return updated;
  });
}

const requestId = idInput('a request');
const note = (max: number) => textInput(max).nullish();

const approveInput = z.object({ request: requestId, place: idInput('a region').nullish(), reason: note(500) });

/** Approves a submitted request, placing it first when asked (the new place must lie inside the approver's scope). */
export async function approveServiceRequest(ctx: RequestsContext, input: unknown): Promise<Result<ServiceRequestRow>> {
  requireRegionAdmin(ctx, 'review requests');
  const parsed = parseInput(approveInput, input);
  if (!parsed.ok) return parsed;
  const { request: id, place: placeId, reason } = parsed.value;
  if (!placeId) {
    const approverId = requirePerson(ctx.viewer, 'review requests');
    const approved = await changeStatus(ctx, 'approve', id, (_tx, _request, now) => ({
      reason,
      publish: async (tx, updated) => {
        await dispatchToOfferTeam(tx, updated, approverId, now);
      },
    }));
    // Ordered from the menu: the approval dispatched it as well, so show it as it now stands.
    if (!approved.ok || !approved.value.offerId) return approved;
    const [current] = await findServiceRequestsByIds(ctx.db, [id]);
    return ok(required(current, 'request just approved'));
  }
  // Placing an unplaced request is how it reaches a station: the approver needs scope over the new place, and over the old one if any.
  const actorId = requirePerson(ctx.viewer, 'review requests');
  const now = ctx.settings.now();
  return inTransaction(ctx, async (tx) => {
    await requireKnownPersons(tx, actorId);
    const request = await lockReachableRequest(ctx, tx, 'approve', id);
    if (request.regionId !== null && !isRequestAdmin(ctx.viewer, request)) refuse(inputField('request'), 'NOT_ALLOWED', NOT_ALLOWED_MESSAGES.approve);
    const place = await placeOf(tx, placeId, inputField('place'));
    if (!administers(ctx.viewer, place.path)) refuse(inputField('place'), 'NOT_ALLOWED', 'The place lies outside your scope.');
    if (!TRANSITIONS.approve.from.includes(request.status)) refuse(inputField('request'), 'INVALID_STATE', illegalTransitionMessage('approve', request.status));
    const updated = await updateServiceRequest(tx, request.id, { status: 'approved', regionId: place.id, regionPath: place.path, updatedAt: now });
    await insertTransition(tx, { requestId: request.id, fromStatus: request.status, toStatus: 'approved', actorKind: 'person', actorId, reason: reason ?? null, at: now });
    return dispatchToOfferTeam(tx, updated, actorId, now);
  });
}

/**
 * An order from the menu goes to the offering team as soon as the station
 * approves it: the same dispatch, history row and event as
 * `serviceRequestDispatch` to that team, by the approver. Other requests are
 * returned as they are.
 */
async function dispatchToOfferTeam(tx: Transaction, approved: ServiceRequestRow, actorId: string, now: Date): Promise<ServiceRequestRow> {
  if (!approved.offerId) return approved;
  const [offer] = await findOffersByIds(tx, [approved.offerId]);
  const teamId = required(offer, 'offer of an ordered request').teamId;
  const dispatched = await updateServiceRequest(tx, approved.id, {
    status: 'dispatched',
    dispatchedTeamId: teamId,
    dispatchedPersonId: null,
    assigneeId: null,
    acceptedAt: null,
    updatedAt: now,
  });
  await insertTransition(tx, { requestId: approved.id, fromStatus: 'approved', toStatus: 'dispatched', actorKind: 'person', actorId, teamId, at: now });
  await requestStepTaken('dispatched')(tx, dispatched);
  return dispatched;
}

const rejectInput = z.object({ request: requestId, reason: textInput(500) });

export async function rejectServiceRequest(ctx: RequestsContext, input: unknown): Promise<Result<ServiceRequestRow>> {
  requireRegionAdmin(ctx, 'review requests');
  const parsed = parseInput(rejectInput, input);
  if (!parsed.ok) return parsed;
  return changeStatus(ctx, 'reject', parsed.value.request, () => ({ reason: parsed.value.reason }));
}

const dispatchInput = z.object({ request: requestId, team: idInput('a team').nullish(), person: idInput('a person').nullish(), reason: note(500) });

/** Dispatches to a team or one volunteer; re-dispatching an accepted request takes it back from its volunteer. */
export async function dispatchServiceRequest(ctx: RequestsContext, input: unknown): Promise<Result<ServiceRequestRow>> {
  requireRegionAdmin(ctx, 'dispatch requests');
  const parsed = parseInput(dispatchInput, input);
  if (!parsed.ok) return parsed;
  const { request: id, team: teamId, person: personId, reason } = parsed.value;
  if ((teamId ? 1 : 0) + (personId ? 1 : 0) !== 1) {
    return refused(userError(inputField('team'), 'INVALID', 'Dispatch to a team or to one volunteer: give exactly one of team and person.'));
  }
  return changeStatus(
    ctx,
    'dispatch',
    id,
    async (tx, request) => {
      if (teamId) await teamOf(tx, teamId, inputField('team'));
      if (personId) await refuseUnfitMinor(tx, personId, request.categoryCode, inputField('person'));
      return {
        values: { dispatchedTeamId: teamId ?? null, dispatchedPersonId: personId ?? null, assigneeId: null, acceptedAt: null },
        reason,
        teamId: teamId ?? null,
        personId: personId ?? null,
        publish: requestStepTaken('dispatched'),
      };
    },
    personId ? [{ id: personId, field: inputField('person') }] : [],
  );
}

const acceptInput = z.object({ request: requestId });

export async function acceptServiceRequest(ctx: RequestsContext, input: unknown): Promise<Result<ServiceRequestRow>> {
  const me = requirePerson(ctx.viewer, 'accept requests');
  const parsed = parseInput(acceptInput, input);
  if (!parsed.ok) return parsed;
  return changeStatus(ctx, 'accept', parsed.value.request, async (tx, request, now) => {
    await refuseUnfitMinor(tx, me, request.categoryCode, inputField('request'));
    return { values: { assigneeId: me, acceptedAt: now }, publish: requestStepTaken('accepted') };
  });
}

const startInput = z.object({ request: requestId });

/** Starts the service; a priced request needs its price agreed first, so nobody is surprised by the bill. */
export async function startServiceRequest(ctx: RequestsContext, input: unknown): Promise<Result<ServiceRequestRow>> {
  requirePerson(ctx.viewer, 'start a service');
  const parsed = parseInput(startInput, input);
  if (!parsed.ok) return parsed;
  return changeStatus(ctx, 'start', parsed.value.request, async (tx, request, now) => {
    // Through `tx`, not the request's loaders: on the embedded database a read on another handle would wait for this transaction.
    const [category] = await findCategoriesByCodes(tx, [request.categoryCode]);
    if (category?.priced && !(await findSettlement(tx, request.id))) {
      refuse(inputField('request'), 'INVALID_STATE', 'Agree a price for this repair before starting it: quote it, then have the household agree.');
    }
    return { values: { startedAt: now }, publish: requestStepTaken('started') };
  });
}

const completeInput = z.object({
  request: requestId,
  note: textInput(2000),
  evidenceUrls: z.array(urlInput).max(10, 'must hold at most 10 URLs.').nullish(),
  materialsUsed: z
    .array(z.object({ name: textInput(100), quantity: z.number().int().min(1).max(10_000) }))
    .max(50, 'must hold at most 50 materials.')
    .nullish(),
});

/**
 * Completes the service: the volunteer's service record (timed from start to
 * completion) and, when the agreed price leaves part to the charity fund, the
 * fund's charge are written with it, each with its event for points.
 */
export async function completeServiceRequest(ctx: RequestsContext, input: unknown): Promise<Result<ServiceRequestRow>> {
  requirePerson(ctx.viewer, 'complete a service');
  const parsed = parseInput(completeInput, input);
  if (!parsed.ok) return parsed;
  const { request: id, note: completionNote, evidenceUrls, materialsUsed } = parsed.value;
  return changeStatus(ctx, 'complete', id, async (tx, request, now) => {
    await recordRequestService(tx, request, now);
    const settlement = await findSettlement(tx, request.id);
    if (settlement && settlement.fundPaysFen > 0) {
      const charge = await insertFundCharge(tx, {
        requestId: request.id,
        amountFen: settlement.fundPaysFen,
        regionId: request.regionId,
        regionPath: request.regionPath,
        createdAt: now,
      });
      await fundChargeCreated(tx, charge);
    }
    return {
      values: { completedAt: now, completionNote, evidenceUrls: evidenceUrls ?? [], materialsUsed: materialsUsed ?? [] },
      publish: requestStepTaken('completed'),
    };
  });
}

const rateInput = z.object({
  request: requestId,
  score: z.number().int().min(1, 'must be 1 to 5.').max(5, 'must be 1 to 5.'),
  comment: z
    .string()
    .trim()
    .refine((text) => characterCount(text) <= 500, 'must be at most 500 characters.')
    .nullish(),
});

export async function rateServiceRequest(ctx: RequestsContext, input: unknown): Promise<Result<ServiceRequestRow>> {
  const me = requirePerson(ctx.viewer, 'rate a service');
  const parsed = parseInput(rateInput, input);
  if (!parsed.ok) return parsed;
  const { request: id, score, comment } = parsed.value;
  return changeStatus(ctx, 'rate', id, (_tx, _request, now) => ({
    values: { rating: score, ratingComment: comment ? comment : null, ratedById: me, ratedAt: now },
    publish: requestRated,
  }));
}

const cancelInput = z.object({ request: requestId, reason: textInput(500) });

export async function cancelServiceRequest(ctx: RequestsContext, input: unknown): Promise<Result<ServiceRequestRow>> {
  requirePerson(ctx.viewer, 'withdraw a request');
  const parsed = parseInput(cancelInput, input);
  if (!parsed.ok) return parsed;
  return changeStatus(ctx, 'cancel', parsed.value.request, () => ({ reason: parsed.value.reason }));
}

/** Review and dispatch are admin work: other roles are refused before anything is looked up. */
function requireRegionAdmin(ctx: RequestsContext, what: string): void {
  requireReader(ctx.viewer);
  requireRoles(ctx.viewer, REGION_ADMIN_ROLES, what);
}
