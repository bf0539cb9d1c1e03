/**
 * The order flow as one table: every status change a request can make, from
 * which statuses, and who may make it. Every mutation that changes a status
 * goes through `transitionOf`, so a change not listed here cannot happen.
 *
 *   submitted ─approve→ approved ─dispatch→ dispatched ─accept→ accepted ─start→ in_service ─complete→ completed ─rate→ rated
 *       └─reject→ rejected            dispatched/accepted ─dispatch→ dispatched (re-dispatch)
 *   submitted/approved/dispatched ─cancel→ cancelled      submitted ─call→ dispatched (a call button, by the service)
 */
import type { RequestStatus } from '../db/schema.js';

/** Who may make a change. */
export type Authority =
  /** Station and community admins whose scope holds the request's place; platform admins. */
  | 'region_admin'
  /** The volunteer the request is dispatched to, or a current member of the team it is dispatched to. */
  | 'dispatchee'
  /** The volunteer who accepted the request. */
  | 'assignee'
  /** The requester, or a member of their household. */
  | 'requester_household'
  /** The requester, or whoever filed the request for them. */
  | 'requester_or_filer'
  /** The service itself, on a device's behalf. */
  | 'system';

export type RequestAction = 'approve' | 'reject' | 'dispatch' | 'accept' | 'start' | 'complete' | 'rate' | 'cancel' | 'call';

export interface Transition {
  from: readonly RequestStatus[];
  to: RequestStatus;
  who: Authority;
  /** Whether the history row must say why. */
  needsReason: boolean;
  /** The verb, for messages: "A completed request cannot be approved." */
  verb: string;
}

export const TRANSITIONS: Readonly<Record<RequestAction, Transition>> = {
  approve: { from: ['submitted'], to: 'approved', who: 'region_admin', needsReason: false, verb: 'approved' },
  reject: { from: ['submitted'], to: 'rejected', who: 'region_admin', needsReason: true, verb: 'rejected' },
  dispatch: { from: ['approved', 'dispatched', 'accepted'], to: 'dispatched', who: 'region_admin', needsReason: false, verb: 'dispatched' },
  accept: { from: ['dispatched'], to: 'accepted', who: 'dispatchee', needsReason: false, verb: 'accepted' },
  start: { from: ['accepted'], to: 'in_service', who: 'assignee', needsReason: false, verb: 'started' },
  complete: { from: ['in_service'], to: 'completed', who: 'assignee', needsReason: false, verb: 'completed' },
  rate: { from: ['completed'], to: 'rated', who: 'requester_household', needsReason: false, verb: 'rated' },
  cancel: { from: ['submitted', 'approved', 'dispatched'], to: 'cancelled', who: 'requester_or_filer', needsReason: true, verb: 'cancelled' },
  call: { from: ['submitted'], to: 'dispatched', who: 'system', needsReason: true, verb: 'dispatched by a call button' },
};

/** Statuses from which work can still be priced (a quote set or changed). */
export const QUOTABLE: readonly RequestStatus[] = ['approved', 'dispatched', 'accepted'];

/** Whether `action` may happen to a request in `status`. */
export const allows = (action: RequestAction, status: RequestStatus): boolean => TRANSITIONS[action].from.includes(status);

const STATUS_WORDS: Record<RequestStatus, string> = {
  submitted: 'submitted',
  approved: 'approved',
  rejected: 'rejected',
  dispatched: 'dispatched',
  accepted: 'accepted',
  in_service: 'in service',
  completed: 'completed',
  rated: 'rated',
  cancelled: 'cancelled',
};

/** Why `action` is refused for a request in `status`, in words a client can show. */
export function illegalTransitionMessage(action: RequestAction, status: RequestStatus): string {
  const allowed = TRANSITIONS[action].from.map((from) => STATUS_WORDS[from]).join(' or ');
  return `A request that is ${STATUS_WORDS[status]} cannot be ${TRANSITIONS[action].verb}; only one that is ${allowed} can.`;
}
