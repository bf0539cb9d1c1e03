/** SQL for payment codes, their accounts' secrets, and the log of clerk-assisted redemptions. */
import { and, eq, gt, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Executor, Transaction } from '@lianxin/shared';
import { clerkAssistedRedemptions, paymentCodes, paymentCodeSecrets, type ClerkAssistanceRow } from '../db/schema.js';

/**
 * The account's next code counter and its secret, in one statement: the
 * first code of an account stores `secret`, later ones keep the stored one.
 * Locks the account's secret row until the transaction ends.
 */
export async function advancePaymentCodeCounter(tx: Transaction, accountId: string, secret: string): Promise<{ secret: string; counter: number }> {
  const [row] = await tx
    .insert(paymentCodeSecrets)
    .values({ accountId, secret, counter: 1 })
    .onConflictDoUpdate({ target: paymentCodeSecrets.accountId, set: { counter: sql`${paymentCodeSecrets.counter} + 1` } })
    .returning({ secret: paymentCodeSecrets.secret, counter: paymentCodeSecrets.counter });
  if (!row) throw new Error(`no payment code counter for account ${accountId}`);
  return row;
}

/** Records an issued code by its hash; false when another live code has the same hash (the caller draws again). */
export async function insertPaymentCode(tx: Transaction, row: { codeHash: string; accountId: string; counter: number; issuedAt: Date; expiresAt: Date }): Promise<boolean> {
  const inserted = await tx.insert(paymentCodes).values(row).onConflictDoNothing({ target: paymentCodes.codeHash }).returning({ codeHash: paymentCodes.codeHash });
  return inserted.length === 1;
}

/**
 * Consumes an unused, unexpired code for `redemptionId`; returns its
 * account, or null when there is no such code to consume. A second caller
 * waits on the row and, once the first commits, finds it used.
 */
export async function consumePaymentCode(tx: Transaction, values: { codeHash: string; now: Date; redemptionId: string }): Promise<string | null> {
  const [row] = await tx
    .update(paymentCodes)
    .set({ usedAt: values.now, redemptionId: values.redemptionId })
    .where(and(eq(paymentCodes.codeHash, values.codeHash), isNull(paymentCodes.usedAt), gt(paymentCodes.expiresAt, values.now)))
    .returning({ accountId: paymentCodes.accountId });
  return row?.accountId ?? null;
}

/** Deletes codes that expired before `before`; returns how many. */
export async function purgePaymentCodes(db: Executor, before: Date): Promise<number> {
  const purged = await db.delete(paymentCodes).where(lt(paymentCodes.expiresAt, before)).returning({ codeHash: paymentCodes.codeHash });
  return purged.length;
}

export async function insertClerkAssistance(tx: Transaction, row: ClerkAssistanceRow): Promise<void> {
  await tx.insert(clerkAssistedRedemptions).values(row);
}

export function findClerkAssistances(db: Executor, redemptionIds: readonly string[]): Promise<ClerkAssistanceRow[]> {
  return db
    .select()
    .from(clerkAssistedRedemptions)
    .where(inArray(clerkAssistedRedemptions.redemptionId, [...redemptionIds]));
}
