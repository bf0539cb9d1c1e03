/**
 * Rules for accounts. An account and its balance are the holder's own
 * business: only the holder and bank staff see them. Anyone signed in opens
 * their own account; bank staff open one for anyone.
 */
import { z } from 'zod';
import {
  BadInputError,
  ForbiddenError,
  UnauthenticatedError,
  hasRole,
  isAuthenticated,
  isUuid,
  ok,
  refused,
  userError,
  type Result,
  type Role,
  type Viewer,
} from '@lianxin/shared';
import type { PointsContext } from '../context.js';
import type { AccountRow } from '../db/schema.js';
import { passbookNumber } from './passbook.js';
import { insertCustomerAccount, nextPassbookSerial } from './store.js';

/** Roles that keep the bank's books and so see and open anyone's account. */
export const BANK_STAFF_ROLES: readonly Role[] = ['bank_clerk', 'platform_admin'];

const isBankStaff = (viewer: Viewer): boolean => hasRole(viewer, ...BANK_STAFF_ROLES);

/** Throws unless the viewer is signed in and is `holderId` or bank staff; the bank's own accounts (no holder) are staff-only. */
function assertMaySeeAccountsOf(viewer: Viewer, holderId: string | null): void {
  if (!isAuthenticated(viewer)) throw new UnauthenticatedError();
  if (isBankStaff(viewer)) return;
  if (holderId !== null && viewer.personId === holderId) return;
  throw new ForbiddenError('Only the holder and bank staff may see an account.');
}

export async function getAccount(ctx: PointsContext, id: string): Promise<AccountRow | null> {
  if (!isAuthenticated(ctx.viewer)) throw new UnauthenticatedError();
  if (!isUuid(id)) throw new BadInputError('id is not an account id.', 'id');
  const account = await ctx.loaders.accountById.load(id);
  if (!account) return null;
  assertMaySeeAccountsOf(ctx.viewer, account.holderId);
  return account;
}

/** An Account the gateway refers to: the same rule as `getAccount`, with unknown or malformed ids as null. */
export async function resolveAccountReference(ctx: PointsContext, id: string): Promise<AccountRow | null> {
  if (!isAuthenticated(ctx.viewer)) throw new UnauthenticatedError();
  const account = await ctx.loaders.accountById.load(id);
  if (!account) return null;
  assertMaySeeAccountsOf(ctx.viewer, account.holderId);
  return account;
}

/** A person's customer account. The rule is checked before any SQL: it depends only on who asks about whom. */
export async function getAccountOfPerson(ctx: PointsContext, personId: string): Promise<AccountRow | null> {
  assertMaySeeAccountsOf(ctx.viewer, personId);
  return ctx.loaders.accountByHolder.load(personId);
}

const accountOpenInput = z.object({
  holder: z
    .string()
    .refine((value) => isUuid(value), 'holder is not a person id.')
    .nullish(),
});

export type AccountOpenInput = z.input<typeof accountOpenInput>;

/**
 * Opens a customer account at balance 0 with the next passbook number.
 * Whether the person exists is the people subgraph's knowledge, so an
 * unknown but well-formed id is accepted.
 */
export async function openAccount(ctx: PointsContext, input: AccountOpenInput): Promise<Result<AccountRow>> {
  const openedBy = ctx.viewer.subject;
  if (openedBy === null) throw new UnauthenticatedError();
  // Shape first: a malformed id says nothing about anyone, so it is INVALID whoever asks.
  const parsed = accountOpenInput.safeParse(input);
  if (!parsed.success) {
    return refused(...parsed.error.issues.map((issue) => userError(['input', ...issue.path.map(String)], 'INVALID', issue.message)));
  }
  const holderId = parsed.data.holder ?? ctx.viewer.personId;
  if (holderId === null) {
    return refused(userError(['input', 'holder'], 'REQUIRED', 'Say whom the account is for: you are not registered as a person.'));
  }
  if (holderId !== ctx.viewer.personId && !isBankStaff(ctx.viewer)) {
    throw new ForbiddenError('Only bank staff may open an account for someone else.');
  }
  const serial = await nextPassbookSerial(ctx.db);
  const account = await insertCustomerAccount(ctx.db, { holderId, passbookNumber: passbookNumber(serial), openedBy });
  if (!account) return refused(userError(['input', 'holder'], 'ALREADY_EXISTS', 'This person already has an account.'));
  return ok(account);
}
