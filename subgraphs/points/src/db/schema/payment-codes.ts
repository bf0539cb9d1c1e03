/**
 * Customer-presented payment codes (付款码) and the log of redemptions bank
 * staff make for a customer at the counter. A code is issued to an account's
 * holder, lives a minute, and is consumed once by a redemption; only its
 * SHA-256 is kept, so the table cannot show a code to anyone who reads it.
 */
import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { points } from './base.js';
import { accounts } from './accounts.js';
import { merchants } from './merchants.js';

/**
 * Each customer account's code secret and counter: a code is the HMAC of the
 * next counter under the secret, so codes cannot be guessed from earlier
 * ones and never contain the account or passbook number.
 */
export const paymentCodeSecrets = points.table(
  'payment_code_secrets',
  {
    accountId: uuid('account_id')
      .primaryKey()
      .references(() => accounts.id),
    /** 32 random bytes, hex. */
    secret: text('secret').notNull(),
    /** The counter of the last code issued; only ever increases. */
    counter: bigint('counter', { mode: 'number' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [check('payment_code_secrets_secret_format', sql`${table.secret} ~ '^[0-9a-f]{64}$'`), check('payment_code_secrets_counter_positive', sql`${table.counter} > 0`)],
);

/**
 * Issued codes, by the SHA-256 of the code. `used_at` and `redemption_id`
 * are set together, once (a trigger in the migration refuses any other
 * change), so a code pays for one redemption however many tills present it.
 * Rows are purged some time after they expire.
 */
export const paymentCodes = points.table(
  'payment_codes',
  {
    codeHash: text('code_hash').primaryKey(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    counter: bigint('counter', { mode: 'number' }).notNull(),
    issuedAt: timestamp('issued_at', { withTimezone: true, precision: 3 }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, precision: 3 }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true, precision: 3 }),
    /** The redemption that consumed the code; the foreign key (deferred, the redemption is written later in the same transaction) is in the migration. */
    redemptionId: uuid('redemption_id').unique('payment_codes_one_per_redemption'),
  },
  (table) => [
    unique('payment_codes_account_counter').on(table.accountId, table.counter),
    index('payment_codes_expires_idx').on(table.expiresAt),
    check('payment_codes_hash_format', sql`${table.codeHash} ~ '^[0-9a-f]{64}$'`),
    check('payment_codes_expiry_after_issue', sql`${table.expiresAt} > ${table.issuedAt}`),
    check('payment_codes_used_with_redemption', sql`(${table.usedAt} is null) = (${table.redemptionId} is null)`),
    check('payment_codes_used_before_expiry', sql`${table.usedAt} is null or (${table.usedAt} >= ${table.issuedAt} and ${table.usedAt} < ${table.expiresAt})`),
  ],
);

/**
 * Redemptions bank staff made for a customer (a clerk at the bank's central
 * exchange, or a platform admin): who, when, for which account, and whether
 * they checked the customer's identity or the customer showed a payment
 * code. Append-only (triggers in the migration).
 */
export const clerkAssistedRedemptions = points.table(
  'clerk_assisted_redemptions',
  {
    /** The redemption; the foreign key (deferred) is in the migration. */
    redemptionId: uuid('redemption_id').primaryKey(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id),
    /** The staff member's token subject. */
    clerk: text('clerk').notNull(),
    /** The staff member as a person, when their token names one. */
    clerkPersonId: uuid('clerk_person_id'),
    identityChecked: boolean('identity_checked').notNull(),
    byPaymentCode: boolean('by_payment_code').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull(),
  },
  (table) => [
    index('clerk_assisted_redemptions_merchant_idx').on(table.merchantId, table.createdAt),
    // A passbook number alone proves nothing: without a code, the clerk must have checked who the customer is.
    check('clerk_assisted_redemptions_identity_or_code', sql`${table.identityChecked} or ${table.byPaymentCode}`),
  ],
);

export type PaymentCodeRow = typeof paymentCodes.$inferSelect;
export type ClerkAssistanceRow = typeof clerkAssistedRedemptions.$inferSelect;
