/**
 * The events requests publishes (docs/events.md; the payloads are the event
 * contract that points and recognition read). Every one is built here from
 * the row just written and appended in the transaction that wrote it, so
 * each type has one shape and an event exists exactly when its change does.
 * Payloads carry ids, categories, amounts and instants: what consumers need
 * to act without calling back, nothing of a request's description or notes.
 */
import { outboxPublisher, type Transaction } from '@lianxin/shared';
import type { FundChargeRow, ServiceRecordRow, ServiceRequestRow } from '../db/schema.js';

/** Each event type with its aggregate type and payload (type aliases, not interfaces, so they are JSON objects). */
export type RequestsEvents = {
  'service_record.created': {
    aggregate: 'service_record';
    payload: {
      serviceRecordId: string;
      volunteerId: string;
      categoryCode: string;
      minutes: number;
      servedAt: string;
      requestId: string | null;
      activityId: string | null;
      correctsId: string | null;
      regionId: string | null;
      regionPath: string[];
      createdAt: string;
    };
  };
  'service_record.reversed': {
    aggregate: 'service_record';
    payload: {
      serviceRecordId: string;
      reversesId: string;
      volunteerId: string;
      categoryCode: string;
      minutes: number;
      regionId: string | null;
      regionPath: string[];
      createdAt: string;
    };
  };
  'service_request.rated': {
    aggregate: 'service_request';
    payload: {
      requestId: string;
      assigneeId: string | null;
      teamId: string | null;
      requesterId: string;
      ratedById: string;
      score: number;
      categoryCode: string;
      // Null only for a request no one ever placed (a platform admin may run one through unplaced).
      regionId: string | null;
      regionPath: string[];
      ratedAt: string;
    };
  };
  'fund_charge.created': {
    aggregate: 'service_request';
    payload: { fundChargeId: string; requestId: string; amountFen: number; regionId: string | null; regionPath: string[]; createdAt: string };
  };
};

/** Appends one of requests' events in the caller's transaction. */
const publish = outboxPublisher<RequestsEvents>('requests');

/**
 * A service record was written: `service_record.created` for a service
 * (a completed request, approved activity hours, a correction's
 * replacement), `service_record.reversed` for a reversal. A reversal's
 * aggregate is the record it reverses, so every consumer applies it after
 * that record's `created` (and at most once, as the record is reversed once).
 */
export function recordWritten(tx: Transaction, record: ServiceRecordRow): Promise<void> {
  const place = { regionId: record.regionId, regionPath: record.regionPath };
  if (record.kind === 'reversal') {
    // The database guarantees a reversal names its original (service_records_reversal_names_original).
    if (record.reversesId === null) throw new Error(`reversal ${record.id} names no original record`);
    return publish(
      tx,
      'service_record.reversed',
      'service_record',
      record.reversesId,
      {
        serviceRecordId: record.id,
        reversesId: record.reversesId,
        volunteerId: record.volunteerId,
        categoryCode: record.categoryCode,
        minutes: record.minutes,
        ...place,
        createdAt: record.createdAt.toISOString(),
      },
      record.createdAt,
    );
  }
  return publish(
    tx,
    'service_record.created',
    'service_record',
    record.id,
    {
      serviceRecordId: record.id,
      volunteerId: record.volunteerId,
      categoryCode: record.categoryCode,
      minutes: record.minutes,
      servedAt: record.servedAt.toISOString(),
      requestId: record.requestId,
      activityId: record.activityId,
      correctsId: record.correctsId,
      ...place,
      createdAt: record.createdAt.toISOString(),
    },
    record.createdAt,
  );
}

/** A request was rated; `request` is the row as the rating left it. The team is the one it was dispatched to, if any. */
export function requestRated(tx: Transaction, request: ServiceRequestRow): Promise<void> {
  if (request.rating === null || request.ratedById === null || request.ratedAt === null) throw new Error(`request ${request.id} is not rated`);
  return publish(
    tx,
    'service_request.rated',
    'service_request',
    request.id,
    {
      requestId: request.id,
      assigneeId: request.assigneeId,
      teamId: request.dispatchedTeamId,
      requesterId: request.requesterId,
      ratedById: request.ratedById,
      score: request.rating,
      categoryCode: request.categoryCode,
      regionId: request.regionId,
      regionPath: request.regionPath,
      ratedAt: request.ratedAt.toISOString(),
    },
    request.ratedAt,
  );
}

/** A completed request left part of its cost to the charity fund. Its aggregate is the request: one charge per request. */
export function fundChargeCreated(tx: Transaction, charge: FundChargeRow): Promise<void> {
  return publish(
    tx,
    'fund_charge.created',
    'service_request',
    charge.requestId,
    {
      fundChargeId: charge.id,
      requestId: charge.requestId,
      amountFen: charge.amountFen,
      regionId: charge.regionId,
      regionPath: charge.regionPath,
      createdAt: charge.createdAt.toISOString(),
    },
    charge.createdAt,
  );
}
