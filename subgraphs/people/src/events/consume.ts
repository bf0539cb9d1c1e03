/**
 * People's consumer: the notification inbox (消息中心). Each event another
 * subgraph publishes about something a person should hear of becomes one
 * notification per recipient — a request dispatched to a volunteer (or to
 * every current member of the team it went to), its steps for the requester,
 * a rating for the volunteer, a quote to agree, an alert for the caseload
 * volunteer, points deposited, a hold that will lapse, a badge earned. People
 * knows persons and teams, so the fan-out to a team happens here, at the
 * moment the event is applied. A redelivered or replayed event writes nothing
 * again: the inbox applies an event once, and the (source event, recipient)
 * key holds even across replays.
 */
import { z } from 'zod';
import { defineConsumer, withPayload, type EventConsumer, type ReceivedEvent, type Transaction } from '@lianxin/shared';
import type { NewNotificationRow, NotificationDetails, NotificationRow } from '../db/schema.js';
import { findRegisteredPersonIds, insertNotifications } from '../notifications/store.js';
import { findCurrentMembers } from '../teams/store.js';

// Payloads: only the fields the inbox uses; the rest (and fields added later) are ignored.
const id = z.uuid();

const requestStep = z.object({
  requestId: id,
  requesterId: id,
  filedById: id.nullable().optional(),
  dispatchedPersonId: id.nullable(),
  dispatchedTeamId: id.nullable(),
  categoryName: z.string().min(1).max(200),
});

const requestRated = z.object({ requestId: id, assigneeId: id.nullable(), score: z.number().int().min(1).max(5) });

const alertRaised = z.object({ alertId: id, kind: z.string().max(50), notifyPersonId: id, requestId: id.nullable() });

const depositMade = z.object({ depositId: id, accountId: id, holderId: id, serviceRecordId: id, points: z.number().int().positive() });

const redemptionHeld = z.object({ redemptionId: id, accountId: id, holderId: id, points: z.number().int().positive(), heldUntil: z.iso.datetime({ offset: true }) });

const badgeAwarded = z.object({ badgeId: id, holderId: id, badgeName: z.string().min(1).max(200) });

type Event<T extends z.ZodType> = Omit<ReceivedEvent, 'payload'> & { payload: z.output<T> };

/** What one notification says besides its recipient: its kind, the objects it is about and the words of its text. */
type Notice = Omit<NewNotificationRow, 'id' | 'sourceEventId' | 'recipientId' | 'createdAt' | 'readAt'> & { details: NotificationDetails };

/**
 * Writes `notice` once for each registered person of `recipients` (each
 * once, whoever else the event names), keyed by the event. Returns the rows
 * written now.
 */
export async function notify(tx: Transaction, eventId: string, recipients: readonly (string | null | undefined)[], notice: Notice): Promise<NotificationRow[]> {
  const wanted = [...new Set(recipients.filter((recipient): recipient is string => typeof recipient === 'string'))];
  const registered = await findRegisteredPersonIds(tx, wanted);
  return insertNotifications(
    tx,
    registered.map((recipientId) => ({ ...notice, sourceEventId: eventId, recipientId })),
  );
}

/** A request dispatched to one volunteer tells them; one dispatched to a team tells each of its current members. */
async function dispatched(tx: Transaction, event: Event<typeof requestStep>): Promise<void> {
  const { payload } = event;
  const recipients = payload.dispatchedPersonId
    ? [payload.dispatchedPersonId]
    : payload.dispatchedTeamId
      ? (await findCurrentMembers(tx, payload.dispatchedTeamId)).map((member) => member.personId)
      : [];
  await notify(tx, event.id, recipients, { kind: 'request_dispatched', requestId: payload.requestId, details: { categoryName: payload.categoryName } });
}

/** A step the requester waits for (accepted, started, completed, a quote to agree): the requester hears of it, and whoever filed it for them. */
function toRequester(kind: 'request_accepted' | 'request_started' | 'request_completed' | 'quote_issued') {
  return async (tx: Transaction, event: Event<typeof requestStep>): Promise<void> => {
    const { payload } = event;
    await notify(tx, event.id, [payload.requesterId, payload.filedById], { kind, requestId: payload.requestId, details: { categoryName: payload.categoryName } });
  };
}

/** A rating tells the volunteer who served; a request served by a team alone tells no one. */
async function rated(tx: Transaction, event: Event<typeof requestRated>): Promise<void> {
  const { payload } = event;
  await notify(tx, event.id, [payload.assigneeId], { kind: 'request_rated', requestId: payload.requestId, details: { score: payload.score } });
}

async function alerted(tx: Transaction, event: Event<typeof alertRaised>): Promise<void> {
  const { payload } = event;
  await notify(tx, event.id, [payload.notifyPersonId], { kind: 'alert_raised', alertId: payload.alertId, requestId: payload.requestId, details: { alertKind: payload.kind } });
}

async function deposited(tx: Transaction, event: Event<typeof depositMade>): Promise<void> {
  const { payload } = event;
  await notify(tx, event.id, [payload.holderId], {
    kind: 'points_deposited',
    accountId: payload.accountId,
    serviceRecordId: payload.serviceRecordId,
    details: { points: payload.points },
  });
}

/**
 * A hold tells its holder when it will lapse. Points announces a hold once,
 * when it is made (it has no job that looks at holds before they lapse), so
 * this is the one notice, with the expiry in its text.
 */
async function held(tx: Transaction, event: Event<typeof redemptionHeld>): Promise<void> {
  const { payload } = event;
  await notify(tx, event.id, [payload.holderId], {
    kind: 'hold_expiring',
    holdId: payload.redemptionId,
    accountId: payload.accountId,
    details: { points: payload.points, expiresAt: payload.heldUntil },
  });
}

async function awarded(tx: Transaction, event: Event<typeof badgeAwarded>): Promise<void> {
  const { payload } = event;
  await notify(tx, event.id, [payload.holderId], { kind: 'badge_awarded', badgeId: payload.badgeId, details: { badgeName: payload.badgeName } });
}

export const peopleConsumer: EventConsumer = defineConsumer({
  schema: 'people',
  handlers: {
    requests: {
      'service_request.dispatched': withPayload(requestStep, dispatched),
      'service_request.accepted': withPayload(requestStep, toRequester('request_accepted')),
      'service_request.started': withPayload(requestStep, toRequester('request_started')),
      'service_request.completed': withPayload(requestStep, toRequester('request_completed')),
      'service_request.quoted': withPayload(requestStep, toRequester('quote_issued')),
      'service_request.rated': withPayload(requestRated, rated),
      'alert.raised': withPayload(alertRaised, alerted),
    },
    points: {
      'deposit.made': withPayload(depositMade, deposited),
      'redemption.held': withPayload(redemptionHeld, held),
    },
    recognition: {
      'badge.awarded': withPayload(badgeAwarded, awarded),
    },
  },
});
