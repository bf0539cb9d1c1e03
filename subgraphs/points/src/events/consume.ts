/**
 * The events points applies (docs/events.md; the payloads are the event
 * contract's): people's registrations fill the directory of persons points
 * acts for; the requests subgraph's service records become deposits (or
 * decisions saying why not) and their reversals take the deposits back; its
 * fund charges are paid from the charity fund; its new categories are kept so
 * banks see which lack a deposit rule; recognition's close of a
 * yearly review makes the head bank's central exchange recommendation list
 * (month and quarter closes do nothing here); points' own events that
 * merchants are told of are queued for their webhooks. Handlers are thin: they check
 * the payload and call the same core the mutations use, in the event's
 * transaction, as `EVENTS_ACTOR`.
 * Each effect is once per record or request by the database's own unique
 * keys, so a replayed dead letter cannot double anything.
 */
import { z } from 'zod';
import { UnprocessableEventError, defineConsumer, isUuid, withPayload, type EventConsumer, type Transaction } from '@lianxin/shared';
import { learnCategory } from '../bank/service.js';
import { depositAnnouncedService, reverseAnnouncedService } from '../deposits/service.js';
import { learnPerson } from '../directory/service.js';
import { payAnnouncedFundCharge } from '../fund/service.js';
import { RECOMMENDATION_YEARS } from '../db/schema.js';
import { categoryInput } from '../mutation.js';
import { recommendForClosedYear } from '../recommendations/service.js';
import { webhookHandlers } from '../webhooks/delivery.js';

/** Who the audit columns name for what events write: no viewer asked for it. */
export const EVENTS_ACTOR = 'system:events';

const id = z
  .string()
  .refine((value) => isUuid(value), 'is not a uuid')
  .transform((value) => value.toLowerCase());

/** Where the producer placed the row: its region (null when unplaced) and the regions from the root down to it. */
const placed = { regionId: id.nullable(), regionPath: z.array(id) };

/** The regions from the root down to the place itself, whether or not the producer's path ends with the region. */
function placeOf(payload: { regionId: string | null; regionPath: readonly string[] }): string[] {
  const { regionId, regionPath } = payload;
  return regionId === null || regionPath.includes(regionId) ? [...regionPath] : [...regionPath, regionId];
}

/** `service_record.created`; minutes within what a deposit (and the requests subgraph's own record) allows. */
const serviceRecordCreated = z.object({
  serviceRecordId: id,
  volunteerId: id,
  categoryCode: categoryInput,
  minutes: z.number().int().min(1).max(1440),
  /** The team the request was dispatched to; events written before it travelled lack it. */
  teamId: id.nullish().transform((value) => value ?? null),
  ...placed,
});

/** `service_record.reversed`: the reversal record's own id and the record it reverses. */
const serviceRecordReversed = z.object({ serviceRecordId: id, reversesId: id });

/** `fund_charge.created`: fen the charity fund pays towards a completed request. */
const fundChargeCreated = z.object({
  fundChargeId: id,
  requestId: id,
  amountFen: z.number().int().min(1).max(10_000_000_000),
  ...placed,
});

/** `service_category.created`: a category platform admins added in requests. */
const serviceCategoryCreated = z.object({ categoryCode: categoryInput });

/** `person.registered`: a person people registered. */
const personRegistered = z.object({ personId: id, registeredAt: z.iso.datetime({ offset: true }).transform((value) => new Date(value)) });

/** `review.closed`: recognition closed one head bank's review of a month, quarter or year. */
const reviewClosed = z.object({
  reviewId: id,
  bankId: id,
  bucket: z.enum(['month', 'quarter', 'year']),
  periodStart: z.iso.date(),
  /** The first day after the period. */
  periodEnd: z.iso.date(),
  /** `periodEnd` 00:00 Beijing time. */
  endsAt: z.iso.datetime({ offset: true }).transform((value) => new Date(value)),
  closedAt: z.iso.datetime({ offset: true }),
});

/**
 * A year's close makes the year's recommendation list; a month or quarter
 * close is applied without effect. A year's bounds that are not a calendar
 * year ending at `endsAt` would measure balances at the wrong instant, and a
 * year outside the lists' range has no list: either event is the producer's
 * mistake, for the dead letters.
 */
async function applyReviewClosed(tx: Transaction, payload: z.output<typeof reviewClosed>): Promise<void> {
  if (payload.bucket !== 'year') return;
  const year = Number(payload.periodStart.slice(0, 4));
  const next = String(year + 1).padStart(4, '0');
  if (payload.periodStart !== `${payload.periodStart.slice(0, 4)}-01-01` || payload.periodEnd !== `${next}-01-01`) {
    throw new UnprocessableEventError(`review ${payload.reviewId}: ${payload.periodStart} to ${payload.periodEnd} is not a calendar year`);
  }
  if (year < RECOMMENDATION_YEARS.min || year > RECOMMENDATION_YEARS.max) {
    throw new UnprocessableEventError(`review ${payload.reviewId}: the bank keeps lists for ${RECOMMENDATION_YEARS.min} to ${RECOMMENDATION_YEARS.max}, not ${year}`);
  }
  if (payload.endsAt.getTime() !== new Date(`${next}-01-01T00:00:00+08:00`).getTime()) {
    throw new UnprocessableEventError(`review ${payload.reviewId}: endsAt ${payload.endsAt.toISOString()} is not the start of ${next}-01-01, Beijing time`);
  }
  await recommendForClosedYear(tx, { reviewId: payload.reviewId, bankId: payload.bankId, year, endsAt: payload.endsAt }, EVENTS_ACTOR);
}

export const pointsConsumer: EventConsumer = defineConsumer({
  schema: 'points',
  handlers: {
    people: {
      'person.registered': withPayload(personRegistered, (tx, { payload }) => learnPerson(tx, payload)),
    },
    requests: {
      'service_record.created': withPayload(serviceRecordCreated, (tx, { payload }) =>
        depositAnnouncedService(
          tx,
          {
            id: payload.serviceRecordId,
            volunteerId: payload.volunteerId,
            categoryCode: payload.categoryCode,
            minutes: payload.minutes,
            place: placeOf(payload),
            teamId: payload.teamId,
          },
          EVENTS_ACTOR,
        ),
      ),
      'service_record.reversed': withPayload(serviceRecordReversed, (tx, { payload }) => reverseAnnouncedService(tx, payload, EVENTS_ACTOR)),
      'service_category.created': withPayload(serviceCategoryCreated, (tx, { payload }) => learnCategory(tx, payload)),
      'fund_charge.created': withPayload(fundChargeCreated, (tx, { payload }) =>
        payAnnouncedFundCharge(tx, { fundChargeId: payload.fundChargeId, requestId: payload.requestId, amountFen: payload.amountFen, place: placeOf(payload) }, EVENTS_ACTOR),
      ),
    },
    // Its own events that merchants are told of, fanned out to their webhooks' deliveries (webhooks/delivery.ts).
    points: webhookHandlers,
    recognition: {
      'review.closed': withPayload(reviewClosed, (tx, { payload }) => applyReviewClosed(tx, payload)),
    },
  },
});
