/**
 * The events requests publishes (docs/events.md; the payloads are the event
 * contract that points and recognition read). Every one is built here from
 * the row just written and appended in the transaction that wrote it, so
 * each type has one shape and an event exists exactly when its change does.
 * Payloads carry ids, categories, amounts and instants: what consumers need
 * to act without calling back, nothing of a request's description or notes.
 */
import { outboxPublisher, type Transaction } from '@lianxin/shared';
import { findCategoriesByCodes } from '../categories/store.js';
import { findServiceRequestsByIds } from '../requests/store.js';
import type { AlertRow, CategoryRow, FundChargeRow, ServiceRecordRow, ServiceRequestRow } from '../db/schema.js';

/**
 * What a step of a request's life tells those it concerns (people's inbox):
 * who asked, who it went to, and the category's public name for the text.
 */
type RequestStepPayload = {
  requestId: string;
  requesterId: string;
  filedById: string | null;
  assigneeId: string | null;
  dispatchedPersonId: string | null;
  dispatchedTeamId: string | null;
  categoryCode: string;
  categoryName: string;
  at: string;
};

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
      /** The duty shift whose approval wrote the record; null for a request or an activity (and in events written before it travelled). */
      dutyShiftId: string | null;
      /** The micro-wish fulfilled, when a station confirmed its fulfiller's hours. */
      wishId: string | null;
      /** The team the request was dispatched to, the volunteer serving with it; null for an activity or a request dispatched to a person. */
      teamId: string | null;
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
  'service_request.dispatched': { aggregate: 'service_request'; payload: RequestStepPayload };
  'service_request.accepted': { aggregate: 'service_request'; payload: RequestStepPayload };
  'service_request.started': { aggregate: 'service_request'; payload: RequestStepPayload };
  'service_request.completed': { aggregate: 'service_request'; payload: RequestStepPayload };
  'service_request.quoted': {
    aggregate: 'service_request';
    payload: RequestStepPayload & { labourFen: number; materialsFen: number; quotedById: string };
  };
  'alert.raised': {
    aggregate: 'alert';
    payload: { alertId: string; kind: string; notifyPersonId: string; householdId: string; requestId: string | null; raisedAt: string };
  };
  'fund_charge.created': {
    aggregate: 'service_request';
    payload: { fundChargeId: string; requestId: string; amountFen: number; regionId: string | null; regionPath: string[]; createdAt: string };
  };
  'service_category.created': {
    aggregate: 'service_category';
    payload: { categoryCode: string; name: string; createdAt: string };
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
export async function recordWritten(tx: Transaction, record: ServiceRecordRow): Promise<void> {
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
  // A request's service counts for the team it was dispatched to (recognition's team tallies); one read, by key.
  const [request] = record.requestId === null ? [] : await findServiceRequestsByIds(tx, [record.requestId]);
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
      dutyShiftId: record.dutyShiftId,
      wishId: record.wishId,
      teamId: request?.dispatchedTeamId ?? null,
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

/** The steps of a request's life that people tells someone about; each is the event type `service_request.<step>`. */
export type RequestStep = 'dispatched' | 'accepted' | 'started' | 'completed';

async function stepPayload(tx: Transaction, request: ServiceRequestRow, at: Date): Promise<RequestStepPayload> {
  // The category's name travels so the inbox can say what the request is about without calling back; it is public.
  const [category] = await findCategoriesByCodes(tx, [request.categoryCode]);
  return {
    requestId: request.id,
    requesterId: request.requesterId,
    filedById: request.filedById,
    assigneeId: request.assigneeId,
    dispatchedPersonId: request.dispatchedPersonId,
    dispatchedTeamId: request.dispatchedTeamId,
    categoryCode: request.categoryCode,
    categoryName: category?.name ?? request.categoryCode,
    at: at.toISOString(),
  };
}

/** A request took a step (`request` as the step left it), in the step's transaction: `service_request.dispatched` and so on. */
export function requestStepTaken(step: RequestStep): (tx: Transaction, request: ServiceRequestRow) => Promise<void> {
  return async (tx, request) => {
    const at = request.updatedAt;
    await publish(tx, `service_request.${step}`, 'service_request', request.id, await stepPayload(tx, request, at), at);
  };
}

/** A price was quoted (or re-quoted) for the household to agree. */
export async function requestQuoted(
  tx: Transaction,
  request: ServiceRequestRow,
  quote: { labourFen: number; materialsFen: number; quotedById: string; quotedAt: Date },
): Promise<void> {
  const payload = { ...(await stepPayload(tx, request, quote.quotedAt)), labourFen: quote.labourFen, materialsFen: quote.materialsFen, quotedById: quote.quotedById };
  await publish(tx, 'service_request.quoted', 'service_request', request.id, payload, quote.quotedAt);
}

/**
 * An alert was raised (a call button pressed, a device gone silent) for the
 * person it notifies, usually the household's caseload volunteer. Only ids
 * and the kind travel: who the resident is stays in people.
 */
export function alertRaised(tx: Transaction, alert: AlertRow): Promise<void> {
  return publish(
    tx,
    'alert.raised',
    'alert',
    alert.id,
    {
      alertId: alert.id,
      kind: alert.kind,
      notifyPersonId: alert.notifyPersonId,
      householdId: alert.householdId,
      requestId: alert.requestId,
      raisedAt: alert.raisedAt.toISOString(),
    },
    alert.raisedAt,
  );
}

/**
 * A category was added: `service_category.created`, so points can show bank
 * admins a category that has no deposit rule yet. Its code and public name only.
 */
export function serviceCategoryCreated(tx: Transaction, row: CategoryRow, at: Date): Promise<void> {
  return publish(tx, 'service_category.created', 'service_category', row.code, { categoryCode: row.code, name: row.name, createdAt: at.toISOString() });
}
