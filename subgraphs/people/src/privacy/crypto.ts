/**
 * ID numbers at rest: sealed with AES-256-GCM (a fresh IV per value, the
 * person's id as associated data so a sealed value cannot be moved to another
 * row), and found by a keyed HMAC so duplicates are refused without decrypting.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/** Sealed values name the scheme, so keys or algorithms can change without guessing. */
const SCHEME = 'v1';

export function sealIdNumber(key: Buffer, personId: string, idNumber: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(personId, 'utf8'));
  const sealed = Buffer.concat([cipher.update(idNumber, 'utf8'), cipher.final()]);
  return [SCHEME, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), sealed.toString('base64url')].join('.');
}

/** Opens a value sealed by `sealIdNumber` for the same person; throws when it was tampered with or the key is wrong. */
export function openIdNumber(key: Buffer, personId: string, value: string): string {
  const [scheme, iv, tag, sealed] = value.split('.');
  if (scheme !== SCHEME || !iv || !tag || !sealed) throw new Error('sealed ID number has an unknown form');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(personId, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64url')), decipher.final()]).toString('utf8');
}

/**
 * Opens `value` with the first of `keys` that opens it, with that key's
 * index; null when none does (a wrong key and a tampered value look alike).
 */
export function openIdNumberWithAny(keys: readonly Buffer[], personId: string, value: string): { idNumber: string; keyIndex: number } | null {
  for (const [keyIndex, key] of keys.entries()) {
    try {
      return { idNumber: openIdNumber(key, personId, value), keyIndex };
    } catch {
      // Not this key: try the next.
    }
  }
  return null;
}

/** The lookup value of a normalised ID number: equal numbers, equal values; useless without the key. */
export function idNumberLookup(key: Buffer, normalisedIdNumber: string): string {
  return createHmac('sha256', key).update(normalisedIdNumber, 'utf8').digest('base64url');
}
