/**
 * The recognition read model's consumer: service records and ratings from
 * requests become per-person tallies (and the badges their rules award,
 * badges/rules.ts), joining a team (people) is remembered for the team
 * badge, and accounts and redemptions (points) become
 * savings-office indicators (docs/events.md lists the payloads). Each of
 * them, and points' deposits, merchants and bank units, also feed the read
 * model by period (db/schema/periods.ts): person and team months, office
 * years (docs/recognition.md). The inbox
 * applies each event once, in its aggregate's order, so the additions below
 * are made once; an award is guarded by its (person, rule, period) unique
 * key, and services by their record id
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
import { recordTeamMembership } from '../badges/store.js';
import { recordCaptain, recordMemberJoined, recordMemberLeft, recordTeam } from '../competitions/store.js';
import { evaluateBadgeRules } from '../badges/rules.js';
import { addToOffice, assignCustomerOffice, creditCustomerOffice, moveCustomerMinutes } from '../offices/store.js';
import { addRating, addService, subtractService } from '../tallies/store.js';
import { recordLeaderboardOptOut } from '../leaderboards/store.js';
import { recordRating, recordReversal, recordService } from '../stats/facts.js';
import { moveRegion, recordRegion } from '../regions/store.js';
import { evaluateStars, evaluateStarsLivingIn } from '../stars/evaluate.js';
import { upsertHome } from '../stars/store.js';
import {
  addToOfficeYear,
  addToPersonMonth,
  addToTeamMonth,
  beijingMonthOf,
  beijingYearOf,
  countActivityService,
  creditEarlierServices,
  officeCoveringPlace,
  officeOfCustomer,
  recordBankUnit,
  rememberDeposit,
  reverseDeposit,
  subtractFromOfficeYear,
  subtractFromPersonMonth,
  subtractFromTeamMonth,
  uncountServiceCells,
  yearOfMonth,
} from '../periods/store.js';

// Payloads: only the fields recognition uses; the rest (and fields added later) are ignored.
const id = z.uuid();
const instant = z.iso.datetime({ offset: true }).transform((text) => new Date(text));

const regionPath = z.array(id);
const categoryCode = z.string().min(1);
/** A field added to a payload later: events written before it lack it, and read as null. */
const optionalId = id.nullish().transform((value) => value ?? null);

const serviceRecordCreated = z.object({
  serviceRecordId: id,
  volunteerId: id,
  minutes: z.number().int().positive(),
  servedAt: instant,
  regionId: optionalId,
  regionPath,
  categoryCode,
  activityId: optionalId,
  teamId: optionalId,
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
  teamId: optionalId,
  score: z.number().int().min(1).max(5),
  ratedAt: instant,
  regionId: optionalId,
  regionPath,
  categoryCode,
});

const leaderboardOptOutSet = z.object({ personId: id, optedOut: z.boolean(), changedAt: instant });

const regionCreated = z.object({ regionId: id, parentId: id.nullable(), kind: z.string().min(1), path: regionPath });
const regionMoved = z.object({ regionId: id, parentId: id, path: regionPath });

/** A person's home; absent from registrations written before it travelled, which then leave the home unknown. */
const personRegistered = z.object({ personId: id, homeRegionId: id.nullable().optional() });
const personHomeChanged = z.object({ personId: id, homeRegionId: id.nullable() });

const teamMemberAdded = z.object({
  teamId: id,
  personId: id,
  /** Absent from joins written before it travelled: read as a member's. */
  role: z.string().default('member'),
  joinedAt: instant,
});

/** `organizationId` travels since competitions; earlier teams read as a community's own (null). */
const teamCreated = z.object({ teamId: id, communityId: id, organizationId: optionalId });
const teamMemberRemoved = z.object({ teamId: id, personId: id, leftAt: instant });
const teamCaptainChanged = z.object({ teamId: id, captainId: id });

const accountOpened = z.object({
  accountId: id,
  holderId: id,
  officeId: id,
  bankId: id,
  openedAt: instant,
});

const redemptionMade = z.object({
  redemptionId: id,
  holderId: id,
  officeId: id,
  bankId: id,
  points: z.number().int().positive(),
  madeAt: instant,
});

/** `deposit.made`; deposits announced before the office and the record's place travelled count for the holder alone. */
const depositMade = z.object({
  depositId: id,
  holderId: id,
  points: z.number().int().positive(),
  madeAt: instant,
  officeId: optionalId,
  bankId: optionalId,
  categoryCode: categoryCode.nullish().transform((value) => value ?? null),
  regionId: optionalId,
  regionPath: regionPath.default([]),
  teamId: optionalId,
});

const depositReversed = z.object({
  depositId: id,
  holderId: id,
  points: z.number().int().positive(),
});

const merchantJoined = z.object({
  merchantId: id,
  bankId: id,
  officeId: id.nullable(),
  joinedAt: instant,
});

const bankUnitOpened = z.object({
  unitId: id,
  kind: z.string().min(1),
  bankId: id,
  parentId: id.nullable(),
  regionId: id,
});

type Payload<T extends z.ZodType> = { payload: z.output<T> };

/** The regions from the root down to the place itself, whether or not the producer's path ends with the region. */
function placeOf(payload: { regionId: string | null; regionPath: readonly string[] }): string[] {
  const { regionId, regionPath } = payload;
  return regionId === null || regionPath.includes(regionId) ? [...regionPath] : [...regionPath, regionId];
}

/** The place's own region: the one named, else the last of the path; null when unplaced. */
const regionOf = (payload: { regionId: string | null; regionPath: readonly string[] }): string | null => payload.regionId ?? payload.regionPath.at(-1) ?? null;

/**
 * A service counts for its volunteer, for the savings office they are a
 * customer of (if any yet), and in the statistics where it was served; in
 * the read model by period, in the volunteer's month (its category, place
 * and team), the team's month, the customer office's year, and, for an
 * activity, among the projects of the office whose area holds it.
 */
async function countService(tx: Transaction, { payload }: Payload<typeof serviceRecordCreated>): Promise<void> {
  const month = beijingMonthOf(payload.servedAt);
  const customerOffice = await officeOfCustomer(tx, payload.volunteerId);
  const place = placeOf(payload);
  const areaOffice = payload.activityId === null ? null : await officeCoveringPlace(tx, place);
  const cell = { personId: payload.volunteerId, month, categoryCode: payload.categoryCode, regionId: regionOf(payload), teamId: payload.teamId };
  const counted = await addService(
    tx,
    { serviceRecordId: payload.serviceRecordId, personId: payload.volunteerId, minutes: payload.minutes, servedAt: payload.servedAt },
    { ...cell, activityId: payload.activityId, officeId: customerOffice?.officeId ?? null, areaOfficeId: areaOffice?.officeId ?? null },
  );
  if (!counted) return;
  await creditCustomerOffice(tx, { personId: payload.volunteerId, minutes: payload.minutes });
  await recordService(tx, payload);
  await addToPersonMonth(tx, { ...cell, regionPath: place }, { serviceMinutes: payload.minutes, services: 1, activities: payload.activityId === null ? 0 : 1 });
  if (payload.teamId !== null) await addToTeamMonth(tx, { teamId: payload.teamId, month }, { serviceMinutes: payload.minutes, services: 1 });
  const year = yearOfMonth(month);
  if (customerOffice) await addToOfficeYear(tx, { ...customerOffice, year }, { serviceMinutes: payload.minutes });
  if (areaOffice && payload.activityId !== null) await countActivityService(tx, { ...areaOffice, year, activityId: payload.activityId }, 1);
  await evaluateBadgeRules(tx, { personId: payload.volunteerId, change: 'service', at: payload.servedAt, regionPath: place });
  await evaluateStars(tx, [payload.volunteerId], { kind: 'service', at: payload.servedAt, causeId: payload.serviceRecordId });
}

/**
 * A reversal takes the original's service back, from the person and their
 * office, and from the very cells it was counted in, whatever month the
 * reversal comes in. The original's `created` is ordered before it (same
 * aggregate); when it was never counted (dead-lettered, or written before
 * events) the reversal is remembered and changes nothing.
 */
async function uncountService(tx: Transaction, { payload }: Payload<typeof serviceRecordReversed>): Promise<void> {
  const counted = await subtractService(tx, { reversesId: payload.reversesId, personId: payload.volunteerId, minutes: -payload.minutes });
  if (!counted) return;
  await creditCustomerOffice(tx, { personId: payload.volunteerId, minutes: -counted.minutes });
  await recordReversal(tx, payload);
  await uncountServiceCells(tx, counted);
  await evaluateStars(tx, [payload.volunteerId], { kind: 'reversal', at: payload.createdAt, causeId: payload.serviceRecordId });
}

/**
 * A rating counts for the volunteer the request was assigned to (a request
 * served by a team alone credits no one), for the team it was dispatched to,
 * and in the statistics where the request was placed, either way.
 */
async function countRating(tx: Transaction, { payload }: Payload<typeof serviceRequestRated>): Promise<void> {
  await recordRating(tx, { ...payload, volunteerId: payload.assigneeId });
  const month = beijingMonthOf(payload.ratedAt);
  const counts = { ratings: 1, ratingSum: payload.score };
  if (payload.assigneeId !== null) {
    await addRating(tx, { personId: payload.assigneeId, score: payload.score });
    const cell = { personId: payload.assigneeId, month, categoryCode: payload.categoryCode, regionId: regionOf(payload), regionPath: placeOf(payload), teamId: payload.teamId };
    await addToPersonMonth(tx, cell, counts);
    await evaluateBadgeRules(tx, { personId: payload.assigneeId, change: 'rating', at: payload.ratedAt, regionPath: cell.regionPath });
    await evaluateStars(tx, [payload.assigneeId], { kind: 'rating', at: payload.ratedAt, causeId: payload.requestId });
  }
  if (payload.teamId !== null) await addToTeamMonth(tx, { teamId: payload.teamId, month }, counts);
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

/**
 * Joining a team is half of the rule "joined a team and served with it"
 * (the `team_served` badge): remembered, then the team rules evaluated, for
 * a member who served with the team before the join reached us. Joining
 * alone awards nothing since rules became data; the `team_joined` badges
 * awarded before stay (awards are append-only).
 */
async function joinTeam(tx: Transaction, { payload }: Payload<typeof teamMemberAdded>): Promise<void> {
  await recordTeamMembership(tx, payload);
  await recordMemberJoined(tx, payload);
  await evaluateBadgeRules(tx, { personId: payload.personId, change: 'team_joined', at: payload.joinedAt, regionPath: [] });
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
  // By year, the office counts the account in the year it was opened, and the minutes its new customer served while
  // no office's customer in the years they were served.
  const office = { officeId: payload.officeId, bankId: payload.bankId };
  await addToOfficeYear(tx, { ...office, year: beijingYearOf(payload.openedAt) }, { accountsOpened: 1 });
  await creditEarlierServices(tx, payload.holderId, office);
}

/** Points redeemed: the office's, and the holder's in the month redeemed (a cell of no category, place or team). */
async function countRedemption(tx: Transaction, { payload }: Payload<typeof redemptionMade>): Promise<void> {
  await addToOffice(tx, { officeId: payload.officeId, bankId: payload.bankId }, { redemptions: 1, pointsRedeemed: payload.points });
  await addToOfficeYear(tx, { officeId: payload.officeId, bankId: payload.bankId, year: beijingYearOf(payload.madeAt) }, { redemptions: 1, pointsRedeemed: payload.points });
  const cell = { personId: payload.holderId, month: beijingMonthOf(payload.madeAt), categoryCode: null, regionId: null, regionPath: [], teamId: null };
  await addToPersonMonth(tx, cell, { pointsRedeemed: payload.points });
}

/**
 * Points deposited for a service, in the month deposited: the holder's cell
 * of the service's category, place and team, the team's month and the
 * office's year. Remembered with those cells, so its reversal takes back
 * from them.
 */
async function countDeposit(tx: Transaction, { payload }: Payload<typeof depositMade>): Promise<void> {
  const month = beijingMonthOf(payload.madeAt);
  const cells = { month, categoryCode: payload.categoryCode, regionId: regionOf(payload), teamId: payload.teamId, officeId: payload.officeId };
  if (!(await rememberDeposit(tx, { depositId: payload.depositId, personId: payload.holderId, points: payload.points, ...cells }))) return;
  const counts = { pointsDeposited: payload.points };
  await addToPersonMonth(
    tx,
    { personId: payload.holderId, month, categoryCode: cells.categoryCode, regionId: cells.regionId, regionPath: placeOf(payload), teamId: cells.teamId },
    counts,
  );
  if (payload.teamId !== null) await addToTeamMonth(tx, { teamId: payload.teamId, month }, counts);
  if (payload.officeId !== null && payload.bankId !== null) {
    await addToOfficeYear(tx, { officeId: payload.officeId, bankId: payload.bankId, year: beijingYearOf(payload.madeAt) }, counts);
  }
}

/** A deposit taken back (its service reversed, or staff reversed it): its points leave the cells the deposit added them to. */
async function uncountDeposit(tx: Transaction, { payload }: Payload<typeof depositReversed>): Promise<void> {
  const counted = await reverseDeposit(tx, { depositId: payload.depositId, personId: payload.holderId, points: payload.points });
  if (!counted || counted.month === null) return;
  const counts = { pointsDeposited: counted.points };
  await subtractFromPersonMonth(
    tx,
    { personId: counted.personId, month: counted.month, categoryCode: counted.categoryCode, regionId: counted.regionId, teamId: counted.teamId },
    counts,
  );
  if (counted.teamId !== null) await subtractFromTeamMonth(tx, { teamId: counted.teamId, month: counted.month }, counts);
  if (counted.officeId !== null) await subtractFromOfficeYear(tx, { officeId: counted.officeId, year: yearOfMonth(counted.month) }, counts);
}

/** A merchant an office recruited: one more for the office's year (a merchant joins once; one no office recruited counts for none). */
async function countMerchant(tx: Transaction, { payload }: Payload<typeof merchantJoined>): Promise<void> {
  if (payload.officeId === null) return;
  await addToOfficeYear(tx, { officeId: payload.officeId, bankId: payload.bankId, year: beijingYearOf(payload.joinedAt) }, { merchantsJoined: 1 });
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
      'team_member.added': withPayload(teamMemberAdded, joinTeam),
      // Teams, their organisations and current members: whose side a service project and a competition judge are on.
      'team.created': withPayload(teamCreated, (tx, { payload }) => recordTeam(tx, payload)),
      'team_member.removed': withPayload(teamMemberRemoved, (tx, { payload }) => recordMemberLeft(tx, payload)),
      'team.captain_changed': withPayload(teamCaptainChanged, (tx, { payload }) => recordCaptain(tx, payload)),
      'person.leaderboard_opt_out_set': withPayload(leaderboardOptOutSet, (tx, { payload }) => recordLeaderboardOptOut(tx, payload)),
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
      'deposit.made': withPayload(depositMade, countDeposit),
      'deposit.reversed': withPayload(depositReversed, uncountDeposit),
      'merchant.joined': withPayload(merchantJoined, countMerchant),
      'bank_unit.opened': withPayload(bankUnitOpened, (tx, { payload }) => recordBankUnit(tx, payload)),
    },
  },
});
