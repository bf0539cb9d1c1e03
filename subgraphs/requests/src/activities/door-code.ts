/**
 * Door codes: what the organiser's screen shows as a QR code at an
 * activity's door. A code names the activity and whether it checks in or
 * out, and expires within minutes, so a photo of it is useless from home;
 * it is sealed with HMAC-SHA256 (a key derived from REQUESTS_SIGNING_KEY),
 * so neither the activity nor the direction nor the expiry can be changed.
 */
import { openStatement, purposeKey, signStatement, type SigningPurpose } from '../signing.js';

export type DoorAction = 'in' | 'out';

/**
 * Which kind of door a code opens: an activity's, or a duty shift's
 * (src/duty). Each has its own key, so a shift's code never checks anyone
 * into an activity that happens to share its id, and the other way round.
 */
export type DoorKind = Extract<SigningPurpose, 'door-code' | 'duty-door-code'>;

interface DoorStatement {
  /** Activity id. */
  a: string;
  x: DoorAction;
  /** Issued at and expiry, epoch seconds. */
  iat: number;
  exp: number;
}

export interface DoorCode {
  payload: string;
  expiresAt: Date;
}

export function issueDoorCode(signingKey: Buffer, activityId: string, action: DoorAction, now: Date, ttlSeconds: number, kind: DoorKind = 'door-code'): DoorCode {
  const iat = Math.floor(now.getTime() / 1000);
  const statement: DoorStatement = { a: activityId, x: action, iat, exp: iat + ttlSeconds };
  return { payload: signStatement(purposeKey(signingKey, kind), statement), expiresAt: new Date(statement.exp * 1000) };
}

export type DoorCodeReading = { ok: true; activityId: string; action: DoorAction } | { ok: false; reason: 'invalid' | 'expired' };

export function readDoorCode(signingKey: Buffer, payload: string, now: Date, kind: DoorKind = 'door-code'): DoorCodeReading {
  const statement = openStatement(purposeKey(signingKey, kind), payload.trim());
  if (typeof statement !== 'object' || statement === null) return { ok: false, reason: 'invalid' };
  const { a, x, exp } = statement as Record<string, unknown>;
  if (typeof a !== 'string' || (x !== 'in' && x !== 'out') || typeof exp !== 'number') return { ok: false, reason: 'invalid' };
  if (exp * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, activityId: a, action: x };
}
