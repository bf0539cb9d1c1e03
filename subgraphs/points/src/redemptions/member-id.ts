/**
 * Merchants' pseudonymous member ids: an HMAC of the merchant and the
 * account under a key only the bank holds. Stable for one customer at one
 * merchant (a shop can count repeat visits), different at every other
 * merchant (shops cannot join their lists), and never the person or the
 * passbook behind it.
 */
import { createHmac } from 'node:crypto';

export function memberIdOf(key: Buffer, merchantId: string, accountId: string): string {
  const digest = createHmac('sha256', key).update(`${merchantId}:${accountId}`).digest('hex');
  return `M${digest.slice(0, 20).toUpperCase()}`;
}
