/**
 * The events points applies (docs/events.md; the payloads are the event
 * contract's): people's registrations fill the directory of persons points
 * acts for; the requests subgraph's service records become deposits (or
 * decisions saying why not) and their reversals take the deposits back; its
 * fund charges are paid from the charity fund. Handlers are thin: they check
 * the payload and call the same core the mutations use, in the event's
 * transaction, as `EVENTS_ACTOR`.
 * Each effect is once per record or request by the database's own unique
 * keys, so a replayed dead letter cannot double anything.
 */
import { z } from 'zod';
import { defineConsumer, isUuid, withPayload, type EventConsumer } from '@lianxin/shared';
import { depositAnnouncedService, reverseAnnouncedService } from '../deposits/service.js';
import { learnPerson } from '../directory/service.js';
import { payAnnouncedFundCharge } from '../fund/service.js';
import { categoryInput } from '../mutation.js';

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

/** `person.registered`: a person people registered. */
const personRegistered = z.object({ personId: id, registeredAt: z.iso.datetime({ offset: true }).transform((value) => new Date(value)) });

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
      'fund_charge.created': withPayload(fundChargeCreated, (tx, { payload }) =>
        payAnnouncedFundCharge(tx, { fundChargeId: payload.fundChargeId, requestId: payload.requestId, amountFen: payload.amountFen, place: placeOf(payload) }, EVENTS_ACTOR),
      ),
    },
  },
});
