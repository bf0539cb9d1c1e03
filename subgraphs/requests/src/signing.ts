/**
 * Compact signed statements: base64url(JSON) "." base64url(HMAC-SHA256).
 * Door QR codes and price quotes are signed this way, each with its own key
 * derived from the one signing key, so a statement made for one purpose is
 * never accepted for another.
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

export type SigningPurpose = 'door-code' | 'duty-door-code' | 'quote';

/** A key for one purpose, derived (HKDF-SHA256) from the configured signing key. */
export function purposeKey(signingKey: Buffer, purpose: SigningPurpose): Buffer {
  return Buffer.from(hkdfSync('sha256', signingKey, Buffer.alloc(0), `lianxin-requests:${purpose}`, 32));
}

const mac = (key: Buffer, body: string): Buffer => createHmac('sha256', key).update(body).digest();

export function signStatement(key: Buffer, statement: object): string {
  const body = Buffer.from(JSON.stringify(statement), 'utf8').toString('base64url');
  return `${body}.${mac(key, body).toString('base64url')}`;
}

/** The statement when `token` carries a valid signature by `key`; null for anything forged, altered or malformed. */
export function openStatement(key: Buffer, token: string): unknown {
  const dot = token.indexOf('.');
  if (dot <= 0 || token.length > 4096) return null;
  const body = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const expected = mac(key, body);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as unknown;
  } catch {
    return null;
  }
}
