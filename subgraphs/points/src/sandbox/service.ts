/**
 * Rules for the sandbox (docs/merchants.md, "Sandbox"): a sandbox merchant
 * tests its till against sandbox customer accounts, whose points are not
 * real. Such an account is opened here, for no person (its holder is a new
 * id no one is), and credited from the sandbox issuance account with cause
 * `sandbox`; the database keeps sandbox and real accounts out of each
 * other's transfers, so the real books never hold a sandbox point. Sandbox
 * accounts are never announced: no event, statistic or analyst figure counts
 * them.
 */
import { z } from 'zod';
import { isPlatformAdmin, newId, refused, requireRoles, userError, type Result } from '@lianxin/shared';
import { assertMayActForMerchantId, isMerchantItself } from '../access.js';
import { passbookNumber } from '../accounts/passbook.js';
import { findAccountByPassbook, insertCustomerAccount, nextPassbookSerial } from '../accounts/store.js';
import { findBankUnitsByIds } from '../bank/store.js';
import type { PointsContext } from '../context.js';
import { SANDBOX_ISSUANCE_ACCOUNT_ID, type AccountRow, type MerchantRow } from '../db/schema.js';
import { transfer } from '../ledger/store.js';
import type { PaymentCodeModel } from '../model.js';
import { idInput, inTransaction, parseInput, refuse } from '../mutation.js';
import { issueCodeFor } from '../payment-codes/service.js';
import { findFirstOfficeOfBank } from './store.js';

/** Whether a merchant may take `account`'s points: sandbox merchants only sandbox accounts, real merchants only real ones. */
export const sameSandbox = (merchant: MerchantRow, account: AccountRow): boolean => merchant.sandbox === account.sandbox;

const sandboxAccountCreateInput = z.object({
  merchant: idInput('a merchant'),
  points: z.number().int().min(1, 'must be at least 1.').max(100_000, 'must be at most 100000.'),
});

/**
 * The sandbox merchant `merchantId` names, when the viewer may act for it
 * there: its own token or a platform admin. Authority first: another
 * merchant's token naming it is FORBIDDEN whether or not it exists.
 */
async function sandboxMerchantFor(ctx: PointsContext, merchantId: string, field: string[]): Promise<Result<MerchantRow>> {
  assertMayActForMerchantId(ctx, merchantId, 'A merchant uses its own sandbox only.');
  const merchant = await ctx.loaders.merchantById.load(merchantId);
  if (!merchant) return refused(userError(field, 'NOT_FOUND', 'There is no such merchant.'));
  if (!isMerchantItself(ctx.viewer, merchant.id) && !isPlatformAdmin(ctx.viewer)) {
    return refused(userError(field, 'NOT_ALLOWED', 'Only the sandbox merchant itself and platform admins use its sandbox.'));
  }
  if (!merchant.sandbox) return refused(userError(field, 'NOT_ALLOWED', 'Only a sandbox merchant has sandbox accounts: real merchants test with real passbooks.'));
  return { ok: true, value: merchant };
}

/** `sandboxAccountCreate`: a sandbox test customer's account holding `points` sandbox points. */
export async function createSandboxAccount(ctx: PointsContext, input: unknown): Promise<Result<AccountRow>> {
  const by = requireRoles(ctx.viewer, ['merchant'], 'open sandbox accounts');
  const parsed = parseInput(sandboxAccountCreateInput, input);
  if (!parsed.ok) return parsed;
  const field = ['input', 'merchant'];
  const found = await sandboxMerchantFor(ctx, parsed.value.merchant, field);
  if (!found.ok) return found;
  const merchant = found.value;
  const [recruiting] = merchant.officeId ? await findBankUnitsByIds(ctx.db, [merchant.officeId]) : [];
  const office = recruiting ?? (await findFirstOfficeOfBank(ctx.db, merchant.bankId));
  if (!office) return refused(userError(field, 'INVALID_STATE', "The merchant's bank has no savings office to open the account at."));
  const serial = await nextPassbookSerial(ctx.db);
  return inTransaction(ctx, async (tx) => {
    const opened = await insertCustomerAccount(tx, { holderId: newId(), officeId: office.id, passbookNumber: passbookNumber(serial), openedBy: by, sandbox: true });
    if (!opened) refuse(field, 'ALREADY_EXISTS', 'A sandbox account was opened for this holder already.');
    const credited = await transfer(tx, {
      debit: SANDBOX_ISSUANCE_ACCOUNT_ID,
      credit: opened.id,
      amount: parsed.value.points,
      cause: 'sandbox',
      reference: merchant.id,
      note: `Sandbox points for ${merchant.name}'s tests.`,
      createdBy: by,
    });
    return { ...opened, balance: credited.creditBalanceAfter, lines: credited.creditLine };
  });
}

const sandboxPaymentCodeInput = z.object({
  merchant: idInput('a merchant'),
  passbookNumber: z.string().regex(/^[0-9]{12}$/, 'must be the 12 digits of a passbook number.'),
});

/**
 * `sandboxPaymentCodeIssue`: a payment code for a sandbox account, issued to
 * the sandbox merchant in the place of the customer's app (a sandbox account
 * has no holder to open one), so a till under test pays with codes as it
 * will in production. Any other passbook is one NOT_FOUND, as at a till.
 */
export async function issueSandboxPaymentCode(ctx: PointsContext, input: unknown): Promise<Result<PaymentCodeModel>> {
  requireRoles(ctx.viewer, ['merchant'], 'issue sandbox payment codes');
  const parsed = parseInput(sandboxPaymentCodeInput, input);
  if (!parsed.ok) return parsed;
  const found = await sandboxMerchantFor(ctx, parsed.value.merchant, ['input', 'merchant']);
  if (!found.ok) return found;
  const account = await findAccountByPassbook(ctx.db, parsed.value.passbookNumber);
  const office = account?.officeId ? await ctx.loaders.bankUnitById.load(account.officeId) : null;
  if (!account || account.kind !== 'customer' || !account.sandbox || office?.bankId !== found.value.bankId) {
    return refused(userError(['input', 'passbookNumber'], 'NOT_FOUND', 'No sandbox account of this bank has this passbook number.'));
  }
  return issueCodeFor(ctx, account);
}
