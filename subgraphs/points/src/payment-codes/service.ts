/**
 * Payment codes (付款码): what a customer shows at a till so the till can
 * redeem from their account without learning its passbook number, and
 * which proves the customer is there and agrees. Only the account's holder
 * issues one; it lives `POINTS_PAYMENT_CODE_TTL_SECONDS` and pays for one
 * redemption (redemptions/service.ts consumes it). Issuing a code leaves
 * the holder's earlier codes valid until they expire or are used: an app that
 * refreshes its code while a till is scanning the previous one must not make
 * that scan fail, and each code is still bound to its account and used once.
 */
import { z } from 'zod';
import { ForbiddenError, isPlatformAdmin, refused, requireSignedIn, unseenObject, type Result } from '@lianxin/shared';
import { mayReadAccount, mayServeBank } from '../access.js';
import type { PointsContext } from '../context.js';
import type { AccountRow, ClerkAssistanceRow, RedemptionRow } from '../db/schema.js';
import { userError } from '../errors.js';
import type { PaymentCodeModel } from '../model.js';
import { idInput, inTransaction, parseInput } from '../mutation.js';
import { hashOfPaymentCode, newPaymentCodeSecret, paymentCodeOf } from './code.js';
import { advancePaymentCodeCounter, insertPaymentCode, purgePaymentCodes } from './store.js';

const issueInput = z.object({ account: idInput('an account').nullish() });

/** A new code's hash could equal a stored one's (one chance in 10^16 per stored code): a few draws make that moot. */
const MAX_DRAWS = 3;

/** The customer account a code is issued for: the one named, which must be the viewer's, or the viewer's own. */
async function accountToIssueFor(ctx: PointsContext, personId: string, named: string | null | undefined): Promise<Result<AccountRow>> {
  const field = ['input', 'account'];
  if (!named) {
    const own = await ctx.loaders.accountByHolder.load(personId);
    return own ? { ok: true, value: own } : refused(userError(field, 'NOT_FOUND', 'You hold no customer account.'));
  }
  const account = await ctx.loaders.accountById.load(named.toLowerCase());
  if (account && account.kind === 'customer' && account.holderId === personId) return { ok: true, value: account };
  // Someone else's account: staff who may see it learn only that it is not theirs to spend; anyone else, that it is out of reach.
  if (account && (await mayReadAccount(ctx, account))) return refused(userError(field, 'NOT_ALLOWED', 'Only the holder issues payment codes for an account.'));
  return unseenObject(ctx.viewer, field, 'account');
}

/** `paymentCodeIssue`. */
export async function issuePaymentCode(ctx: PointsContext, input: unknown): Promise<Result<PaymentCodeModel>> {
  requireSignedIn(ctx.viewer);
  const personId = ctx.viewer.personId;
  // A merchant's token, or any token that names no person, holds no account: refused before anything is read.
  if (personId === null) throw new ForbiddenError('Only an account holder issues payment codes.');
  const parsed = parseInput(issueInput, input);
  if (!parsed.ok) return parsed;
  const found = await accountToIssueFor(ctx, personId, parsed.value.account);
  if (!found.ok) return found;
  return issueCodeFor(ctx, found.value);
}

/**
 * A new code for `account`, drawn from its secret and next counter. The
 * caller has decided the viewer may have it: the holder (`paymentCodeIssue`),
 * or a sandbox merchant for a sandbox account (`sandboxPaymentCodeIssue`).
 */
export async function issueCodeFor(ctx: PointsContext, account: AccountRow): Promise<Result<PaymentCodeModel>> {
  const issuedAt = ctx.settings.now();
  const expiresAt = new Date(issuedAt.getTime() + ctx.settings.paymentCodeTtlSeconds * 1000);
  return inTransaction(ctx, async (tx) => {
    for (let draw = 0; draw < MAX_DRAWS; draw += 1) {
      const { secret, counter } = await advancePaymentCodeCounter(tx, account.id, newPaymentCodeSecret());
      const code = paymentCodeOf(secret, counter);
      if (await insertPaymentCode(tx, { codeHash: hashOfPaymentCode(code), accountId: account.id, counter, issuedAt, expiresAt })) {
        return { code, expiresAt, accountId: account.id };
      }
    }
    throw new Error(`no unused payment code for account ${account.id} after ${MAX_DRAWS} draws`);
  });
}

/** How long expired codes are kept before the purge deletes them: enough to look into a disputed redemption of the same day. */
export const PAYMENT_CODE_KEEP_HOURS = 24;

/** Deletes codes that expired more than `PAYMENT_CODE_KEEP_HOURS` before `now`; returns how many. */
export function purgeExpiredPaymentCodes(db: PointsContext['db'], now: Date): Promise<number> {
  return purgePaymentCodes(db, new Date(now.getTime() - PAYMENT_CODE_KEEP_HOURS * 3_600_000));
}

/** `Redemption.clerkAssistance`: the log entry, to clerks of the merchant's bank and platform admins; null to anyone else. */
export async function clerkAssistanceOf(ctx: PointsContext, redemption: RedemptionRow): Promise<ClerkAssistanceRow | null> {
  if (!isPlatformAdmin(ctx.viewer)) {
    const merchant = await ctx.loaders.merchantById.load(redemption.merchantId);
    if (!merchant || !(await mayServeBank(ctx, merchant.bankId))) return null;
  }
  return ctx.loaders.clerkAssistanceOfRedemption.load(redemption.id);
}
