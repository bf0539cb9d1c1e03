/**
 * The recognition read model's consumer: service records and ratings from
 * requests become per-person tallies, joining a team (people) earns the
 * `team_joined` badge, and accounts and redemptions (points) become
 * savings-office indicators (docs/events.md lists the payloads). The inbox
 * applies each event once, in its aggregate's order, so the additions below
 * are made once; the badge, which a second team would award again, is
 * guarded by the badge/holder unique key, and services by their record id
 * (so a reversal takes back exactly what its original added). Each service,
 * reversal and rating also becomes a row of the statistics' facts, with its
 * region path, day and category, in the same transaction (stats/facts.ts);
 * people's region creations give the facts' regions their levels.
 * Whenever a person's lifetime tally changes, their star is evaluated in the
 * same transaction (stars/evaluate.ts); so it is when their home (people's
 * `person.registered`, `person.home_changed`) or a region above it (people's
 * `region.created`, `region.moved`) changes.
 */
import { z } from 'zod';
import { defineConsumer, withPayload, type EventConsumer, type Transaction } from '@lianxin/shared';
import { awardBadge } from '../badges/store.js';
import { badgeAwarded } from './publish.js';
import { addToOffice, assignCustomerOffice, creditCustomerOffice, moveCustomerMinutes } from '../offices/store.js';
import { addRating, addService, subtractService } from '../tallies/store.js';
import { recordRating, recordReversal, recordService } from '../stats/facts.js';
import { moveRegion, recordRegion } from '../regions/store.js';
import { evaluateStars, evaluateStarsLivingIn } from '../stars/evaluate.js';
import { upsertHome } from '../stars/store.js';

/** The badge a person earns on joining their first volunteer service team. */
export const TEAM_JOINED_BADGE = 'team_joined';

// Payloads: only the fields recognition uses; the rest (and fields added later) are ignored.
const id = z.uuid();
const instant = z.iso.datetime({ offset: true }).transform((text) => new Date(text));

const regionPath = z.array(id);
const categoryCode = z.string().min(1);

const serviceRecordCreated = z.object({
  serviceRecordId: id,
  volunteerId: id,
  minutes: z.number().int().positive(),
  servedAt: instant,
  regionPath,
  categoryCode,
});

const serviceRecordReversed = z.object({
  serviceRecordId: id,
  reversesId: id,
  volunteerId: id,
  /** Negative: minus the original's minutes. */
  minutes: z.number().int().negative(),
  regionPath,
  categoryCode,
  createdAt: instant,
});

const serviceRequestRated = z.object({
  requestId: id,
  assigneeId: id.nullable(),
  score: z.number().int().min(1).max(5),
  ratedAt: instant,
  regionPath,
  categoryCode,
});

const regionCreated = z.object({ regionId: id, parentId: id.nullable(), kind: z.string().min(1), path: regionPath });
const regionMoved = z.object({ regionId: id, parentId: id, path: regionPath });

/** A person's home; absent from registrations written before it travelled, which then leave the home unknown. */
const personRegistered = z.object({ personId: id, homeRegionId: id.nullable().optional() });
const personHomeChanged = z.object({ personId: id, homeRegionId: id.nullable() });

const teamMemberAdded = z.object({
  teamId: id,
  personId: id,
  joinedAt: instant,
});

const accountOpened = z.object({
  accountId: id,
  holderId: id,
  officeId: id,
  bankId: id,
  openedAt: instant,
});

const redemptionMade = z.object({
  redemptionId: id,
  officeId: id,
  bankId: id,
  points: z.number().int().positive(),
});

type Payload<T extends z.ZodType> = { payload: z.output<T> };

/**
 * A service counts for its volunteer, for the savings office they are a
 * customer of (if any yet), and in the statistics where it was served.
 */
async function countService(tx: Transaction, { payload }: Payload<typeof serviceRecordCreated>): Promise<void> {
  const counted = await addService(tx, { serviceRecordId: payload.serviceRecordId, personId: payload.volunteerId, minutes: payload.minutes, servedAt: payload.servedAt });
  if (!counted) return;
  await creditCustomerOffice(tx, { personId: payload.volunteerId, minutes: payload.minutes });
  await recordService(tx, payload);
  await evaluateStars(tx, [payload.volunteerId], { kind: 'service', at: payload.servedAt, causeId: payload.serviceRecordId });
}

/**
 * A reversal takes the original's service back, from the person and their
 * office. The original's `created` is ordered before it (same aggregate);
 * when it was never counted (dead-lettered, or written before events) the
 * reversal is remembered and changes nothing.
 */
async function uncountService(tx: Transaction, { payload }: Payload<typeof serviceRecordReversed>): Promise<void> {
  const minutes = await subtractService(tx, { reversesId: payload.reversesId, personId: payload.volunteerId, minutes: -payload.minutes });
  if (minutes === 0) return;
  await creditCustomerOffice(tx, { personId: payload.volunteerId, minutes: -minutes });
  await recordReversal(tx, payload);
  await evaluateStars(tx, [payload.volunteerId], { kind: 'reversal', at: payload.createdAt, causeId: payload.serviceRecordId });
}

/**
 * A rating counts for the volunteer the request was assigned to (a request
 * served by a team alone credits no one), and in the statistics where the
 * request was placed, either way.
 */
async function countRating(tx: Transaction, { payload }: Payload<typeof serviceRequestRated>): Promise<void> {
  await recordRating(tx, { ...payload, volunteerId: payload.assigneeId });
  if (payload.assigneeId === null) return;
  await addRating(tx, { personId: payload.assigneeId, score: payload.score });
  await evaluateStars(tx, [payload.assigneeId], { kind: 'rating', at: payload.ratedAt, causeId: payload.requestId });
}

/** Where a person lives decides whose thresholds apply to their star; a new home re-evaluates it. */
async function recordHome(tx: Transaction, home: { personId: string; homeRegionId: string | null }): Promise<void> {
  if (await upsertHome(tx, { personId: home.personId, regionId: home.homeRegionId })) {
    await evaluateStars(tx, [home.personId], { kind: 'home', at: new Date() });
  }
}

/**
 * A region's kind and place. Those living in it or below it are evaluated
 * again: a region heard of after the homes in it changes whose thresholds
 * apply to them (events of different regions and persons are not ordered
 * with each other), as does a move.
 */
async function placeRegion(tx: Transaction, { payload }: Payload<typeof regionCreated>): Promise<void> {
  await recordRegion(tx, payload);
  await evaluateStarsLivingIn(tx, payload.regionId, { kind: 'region', at: new Date() });
}

async function relocateRegion(tx: Transaction, { payload }: Payload<typeof regionMoved>): Promise<void> {
  if (await moveRegion(tx, payload)) await evaluateStarsLivingIn(tx, payload.regionId, { kind: 'region', at: new Date() });
}

async function awardTeamJoined(tx: Transaction, { payload }: Payload<typeof teamMemberAdded>): Promise<void> {
  const award = await awardBadge(tx, { badgeCode: TEAM_JOINED_BADGE, holderId: payload.personId, awardedAt: payload.joinedAt });
  // Only a new award is announced: a second team joined changes nothing.
  if (award) await badgeAwarded(tx, award);
}

/** A new customer: one more account at the office, which also takes over the minutes they have served so far. */
async function countAccount(tx: Transaction, { payload }: Payload<typeof accountOpened>): Promise<void> {
  await addToOffice(tx, { officeId: payload.officeId, bankId: payload.bankId }, { accountsOpened: 1 });
  const previous = await assignCustomerOffice(tx, {
    personId: payload.holderId,
    officeId: payload.officeId,
    accountId: payload.accountId,
    openedAt: payload.openedAt,
  });
  await moveCustomerMinutes(tx, { personId: payload.holderId, from: previous, to: payload.officeId });
}

async function countRedemption(tx: Transaction, { payload }: Payload<typeof redemptionMade>): Promise<void> {
  await addToOffice(tx, { officeId: payload.officeId, bankId: payload.bankId }, { redemptions: 1, pointsRedeemed: payload.points });
}

export const recognitionConsumer: EventConsumer = defineConsumer({
  schema: 'recognition',
  handlers: {
    requests: {
      'service_record.created': withPayload(serviceRecordCreated, countService),
      'service_record.reversed': withPayload(serviceRecordReversed, uncountService),
      'service_request.rated': withPayload(serviceRequestRated, countRating),
    },
    people: {
      'team_member.added': withPayload(teamMemberAdded, awardTeamJoined),
      'region.created': withPayload(regionCreated, placeRegion),
      'region.moved': withPayload(regionMoved, relocateRegion),
      'person.registered': withPayload(personRegistered, async (tx, { payload }) => {
        if (payload.homeRegionId !== undefined) await recordHome(tx, { personId: payload.personId, homeRegionId: payload.homeRegionId });
      }),
      'person.home_changed': withPayload(personHomeChanged, (tx, { payload }) => recordHome(tx, payload)),
    },
    points: {
      'account.opened': withPayload(accountOpened, countAccount),
      'redemption.made': withPayload(redemptionMade, countRedemption),
    },
  },
});
