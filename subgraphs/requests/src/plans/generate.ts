/**
 * Generating a care plan's occurrences: each day of the plan from today
 * (Beijing) to its horizon that has none yet gets an ordinary request,
 * already accepted by the plan's volunteer or dispatched to its team, with
 * the request's history written as for any request and the step's event
 * published. The plan row is locked first, so generators of one plan (the
 * creation, the scheduled job on any instance) run one after another and the
 * second finds the days taken; the occurrence's key (plan, day) makes a
 * second request for a day impossible whatever happens.
 */
import type { Database, Transaction } from '@lianxin/shared';
import type { CarePlanRow, RequestStatus } from '../db/schema.js';
import { requestStepTaken } from '../events/publish.js';
import { insertServiceRequest, insertTransition } from '../requests/store.js';
import { beijingDate, dateOfDay, dayNumber, instantOf, occurrenceDates } from './recurrence.js';
import { findActiveCarePlanIds, findOccurrenceDays, insertOccurrence, lockCarePlan } from './store.js';

/** The statuses an occurrence's request passes through on its way to the one it is made in. */
function pathOf(plan: CarePlanRow): RequestStatus[] {
  return plan.volunteerId === null ? ['submitted', 'approved', 'dispatched'] : ['submitted', 'approved', 'dispatched', 'accepted'];
}

/** Writes one occurrence: its request, the request's history, the occurrence row and the event. */
async function createOccurrence(tx: Transaction, plan: CarePlanRow, day: string, now: Date): Promise<void> {
  const path = pathOf(plan);
  const status = path.at(-1) ?? 'dispatched';
  const accepted = status === 'accepted';
  const request = await insertServiceRequest(tx, {
    requesterId: plan.beneficiaryId,
    categoryCode: plan.categoryCode,
    description: plan.description,
    channel: 'grid_worker',
    status,
    filedById: plan.createdById,
    regionId: plan.regionId,
    regionPath: plan.regionPath,
    wishedAt: instantOf(day, plan.startMinute),
    dispatchedTeamId: plan.teamId,
    dispatchedPersonId: plan.volunteerId,
    assigneeId: accepted ? plan.volunteerId : null,
    acceptedAt: accepted ? now : null,
    createdAt: now,
    updatedAt: now,
  });
  let from: RequestStatus | null = null;
  for (const to of path) {
    const dispatch = to === 'dispatched' ? { teamId: plan.teamId, personId: plan.volunteerId } : {};
    await insertTransition(tx, { requestId: request.id, fromStatus: from, toStatus: to, actorKind: 'system', reason: `Care plan occurrence of ${day}.`, at: now, ...dispatch });
    from = to;
  }
  await insertOccurrence(tx, { planId: plan.id, occursOn: day, requestId: request.id, createdAt: now });
  await requestStepTaken(accepted ? 'accepted' : 'dispatched')(tx, request);
}

/**
 * Generates the plan's missing occurrences up to its horizon, in the caller's
 * transaction; days whose time has passed are not made. Returns how many.
 */
export async function generateOccurrences(tx: Transaction, planId: string, now: Date): Promise<number> {
  const plan = await lockCarePlan(tx, planId);
  if (!plan || plan.status !== 'active') return 0;
  const today = beijingDate(now);
  const until = dateOfDay(dayNumber(today) + plan.horizonDays);
  const taken = new Set(await findOccurrenceDays(tx, plan.id, today, until));
  let made = 0;
  for (const day of occurrenceDates(plan, today, until)) {
    if (taken.has(day) || instantOf(day, plan.startMinute) <= now) continue;
    await createOccurrence(tx, plan, day, now);
    made += 1;
  }
  return made;
}

/** The scheduled run: every active plan's occurrences up to its horizon, one transaction per plan. Returns how many were made. */
export async function generateAllOccurrences(db: Database, now: Date): Promise<number> {
  let made = 0;
  for (const id of await findActiveCarePlanIds(db)) {
    made += await db.transaction((tx) => generateOccurrences(tx, id, now));
  }
  return made;
}
