/**
 * Who may see and do what in the bank: the one place where the viewer's
 * roles, person and merchant id become permissions. Services call these
 * before they read or write.
 *
 * - A customer sees their own account (and what hangs off it).
 * - A merchant (a client-credential token carrying its merchant id) acts for
 *   itself only: its catalogue, redemptions, settlements and account; it
 *   sees customers only as pseudonymous member ids.
 * - A bank clerk serves the offices at or under the units they are assigned
 *   to in `bank_clerks` (the viewer's person id), and the merchants and funds
 *   of those units' banks.
 * - A platform admin may do everything.
 *
 * The role gates themselves (`requireRoles`, `requireSignedIn`,
 * `isPlatformAdmin`) are shared by every subgraph (`@lianxin/shared`).
 */
import { ForbiddenError, hasRole, isPlatformAdmin, requireSignedIn, type Viewer } from '@lianxin/shared';
import type { PointsContext } from './context.js';
import type { AccountRow, MerchantRow } from './db/schema.js';

/** Signed in as a platform admin (UNAUTHENTICATED, else FORBIDDEN); returns the subject, for the audit columns. */
export function requirePlatformAdmin(viewer: Viewer): string {
  const subject = requireSignedIn(viewer);
  if (!isPlatformAdmin(viewer)) throw new ForbiddenError('Only platform admins may do this.');
  return subject;
}

/** The units, offices and banks a clerk serves; empty for everyone who is not a bank clerk with a person id. */
export interface ClerkScope {
  unitIds: ReadonlySet<string>;
  officeIds: ReadonlySet<string>;
  bankIds: ReadonlySet<string>;
  /** The head banks the clerk is assigned to themselves (the head bank's own staff), not through a branch or office. */
  headBankIds: ReadonlySet<string>;
}

export const NO_SCOPE: ClerkScope = { unitIds: new Set(), officeIds: new Set(), bankIds: new Set(), headBankIds: new Set() };

export async function clerkScopeOf(ctx: PointsContext): Promise<ClerkScope> {
  const { viewer } = ctx;
  if (!hasRole(viewer, 'bank_clerk') || viewer.personId === null) return NO_SCOPE;
  return ctx.loaders.clerkScope.load(viewer.personId);
}

/** Whether the viewer serves this savings office as a clerk (or is a platform admin). */
export async function mayServeOffice(ctx: PointsContext, officeId: string): Promise<boolean> {
  if (isPlatformAdmin(ctx.viewer)) return true;
  return (await clerkScopeOf(ctx)).officeIds.has(officeId);
}

/** Whether the viewer is a clerk of some unit of this head bank (or a platform admin). */
export async function mayServeBank(ctx: PointsContext, bankId: string): Promise<boolean> {
  if (isPlatformAdmin(ctx.viewer)) return true;
  return (await clerkScopeOf(ctx)).bankIds.has(bankId);
}

/**
 * Whether the viewer speaks for head bank `bankId` itself: a platform admin,
 * or a clerk assigned to the head bank unit (not to one of its branches or
 * offices).
 */
export async function mayActForHeadBank(ctx: PointsContext, bankId: string): Promise<boolean> {
  if (isPlatformAdmin(ctx.viewer)) return true;
  return (await clerkScopeOf(ctx)).headBankIds.has(bankId);
}

/** Whether the viewer speaks for some head bank (a platform admin, or a clerk of a head bank unit): the check that needs no object. */
export async function mayActForSomeHeadBank(ctx: PointsContext): Promise<boolean> {
  if (isPlatformAdmin(ctx.viewer)) return true;
  return (await clerkScopeOf(ctx)).headBankIds.size > 0;
}

/** Whether the viewer speaks for this merchant through its own token. */
export const isMerchantItself = (viewer: Viewer, merchantId: string): boolean => hasRole(viewer, 'merchant') && viewer.merchantId === merchantId;

/**
 * For a merchant's own token, the check that needs no read: it acts for the
 * merchant it names and no other, so naming another is FORBIDDEN whether or
 * not that merchant exists. Staff roles are checked against the merchant row.
 */
export function assertMayActForMerchantId(ctx: PointsContext, merchantId: string, message: string): void {
  const { viewer } = ctx;
  if (isPlatformAdmin(viewer) || hasRole(viewer, 'bank_clerk')) return;
  if (!hasRole(viewer, 'merchant') || viewer.merchantId?.toLowerCase() !== merchantId.toLowerCase()) throw new ForbiddenError(message);
}

/**
 * Whether the viewer may redeem at, and keep the catalogue of, `merchant`:
 * the merchant itself, a platform admin, or, for a bank's central exchange,
 * the bank's clerks (who run it).
 */
export async function mayActForMerchant(ctx: PointsContext, merchant: MerchantRow): Promise<boolean> {
  if (isMerchantItself(ctx.viewer, merchant.id) || isPlatformAdmin(ctx.viewer)) return true;
  return merchant.kind === 'central_exchange' && (await mayServeBank(ctx, merchant.bankId));
}

/**
 * The city offices the viewer serves as a clerk whose active urban–rural
 * pairing's rural side recruited `merchant` (pairings/): the offices whose
 * customers the viewer may redeem the merchant's products for, at the
 * counter. Empty for anyone else and for a merchant no rural partner
 * recruited; it grants neither the catalogue nor the merchant's holds.
 */
export async function pairedCityOfficesServed(ctx: PointsContext, merchant: MerchantRow): Promise<ReadonlySet<string>> {
  if (merchant.officeId === null || merchant.sandbox) return new Set();
  const scope = await clerkScopeOf(ctx);
  if (scope.officeIds.size === 0) return new Set();
  const pairings = await ctx.loaders.activePairingsOfOffice.load(merchant.officeId);
  return new Set(pairings.filter((pairing) => pairing.ruralOfficeId === merchant.officeId && scope.officeIds.has(pairing.cityOfficeId)).map((pairing) => pairing.cityOfficeId));
}

/** Whether the viewer may read `merchant`'s books (redemptions, settlement, account): itself, its bank's clerks, platform admins. */
export async function mayReadMerchantBooks(ctx: PointsContext, merchant: MerchantRow): Promise<boolean> {
  if (isMerchantItself(ctx.viewer, merchant.id)) return true;
  return mayServeBank(ctx, merchant.bankId);
}

/** Whether the viewer may see `account`, its balance and passbook. */
export async function mayReadAccount(ctx: PointsContext, account: AccountRow): Promise<boolean> {
  const { viewer } = ctx;
  if (isPlatformAdmin(viewer)) return true;
  switch (account.kind) {
    case 'customer':
      if (account.holderId !== null && viewer.personId === account.holderId) return true;
      return account.officeId !== null && (await mayServeOffice(ctx, account.officeId));
    case 'merchant':
    case 'exchange': {
      if (account.merchantId === null) return false;
      const merchant = await ctx.loaders.merchantById.load(account.merchantId);
      return merchant !== null && (await mayReadMerchantBooks(ctx, merchant));
    }
    case 'issuance':
      // The bank's own book: every clerk keeps part of it.
      return hasRole(viewer, 'bank_clerk');
  }
}

export const ACCOUNT_HIDDEN = 'Only the holder and the bank staff who serve it may see an account.';

/** Throws unless the viewer is signed in and may see `account`. */
export async function assertMayReadAccount(ctx: PointsContext, account: AccountRow): Promise<void> {
  requireSignedIn(ctx.viewer);
  if (!(await mayReadAccount(ctx, account))) throw new ForbiddenError(ACCOUNT_HIDDEN);
}
