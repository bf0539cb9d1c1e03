/**
 * Payment codes (付款码) as digits. A code is `28` (so a till tells a Lianxin
 * code from a bank card's) and 16 digits of HMAC-SHA256, under the account's
 * random secret, of the account's next counter: unpredictable without the
 * secret, different every time, and holding nothing of the account or its
 * passbook number. The bank keeps only the code's SHA-256.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';

export const PAYMENT_CODE_PREFIX = '28';

const DIGITS = 10n ** 16n;

/** A new account secret: 32 random bytes, hex. */
export const newPaymentCodeSecret = (): string => randomBytes(32).toString('hex');

/** The code for `counter` under `secretHex`. 128 bits of the HMAC reduced to 16 digits: the bias is far below one in 10^22. */
export function paymentCodeOf(secretHex: string, counter: number): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const digest = createHmac('sha256', Buffer.from(secretHex, 'hex')).update(message).digest();
  const value = BigInt(`0x${digest.subarray(0, 16).toString('hex')}`) % DIGITS;
  return `${PAYMENT_CODE_PREFIX}${value.toString().padStart(16, '0')}`;
}

/** What the bank stores and looks codes up by. */
export const hashOfPaymentCode = (code: string): string => createHash('sha256').update(code).digest('hex');

/** Whether `code` could be a Lianxin code at all; one that could not is unknown like any other. */
export const hasPaymentCodePrefix = (code: string): boolean => code.startsWith(PAYMENT_CODE_PREFIX);
