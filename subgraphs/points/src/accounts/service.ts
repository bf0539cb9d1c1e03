/**
 * Rules for accounts. An account, its balance and its passbook are the
 * holder's own business: only the holder, the clerks who serve its office
 * (or, for a merchant's account, the merchant and its bank's clerks) and
 * platform admins see them. Anyone signed in opens their own account at a
 * savings office; clerks open one for anyone at an office they serve.
 */
import { z } from 'zod';
import {
  BadInputError,
  ForbiddenError,
  hasRole,
  isUuid,
  ok,
  readPage,
  refused,
  required,
  toConnection,
  userError,
  type Connection,
  type ConnectionArgs,
  type Result,
  type Transaction,
  requireSignedIn,
  isPlatformAdmin,
} from '@lianxin/shared';
import { ACCOUNT_HIDDEN, assertMayReadAccount, clerkScopeOf, mayServeOffice } from '../access.js';
import { findBankUnitsByIds, findDefaultOffice } from '../bank/store.js';
import type { PointsContext } from '../context.js';
import { isKnownPerson, unknownPerson, unknownViewer } from '../directory/service.js';
import type { AccountRow, BankUnitRow, RedemptionRow } from '../db/schema.js';
import { publishAccountOpened } from '../events/publish.js';
import type { PassbookLineRow } from '../ledger/store.js';
import { idInput, inTransaction, parseInput, refuse } from '../mutation.js';
import { readLinePage, toLineConnection } from '../paging.js';
import { redemptionCursor } from '../redemptions/store.js';
import { isValidPassbookNumber, passbookNumber } from './passbook.js';
import { findAccountByPassbook, insertCustomerAccount, nextPassbookSerial } from './store.js';

/**
 * An account asked for by id or passbook number. Only a platform admin, who
 * may see every account, is told that there is none (null); to anyone else
 * an unknown account is as forbidden as someone else's, so no one learns
 * which passbook numbers are issued (or at which bank) by asking.
 */
async function accountAskedFor(ctx: PointsContext, account: AccountRow | null): Promise<AccountRow | null> {
  if (!account) {
    if (isPlatformAdmin(ctx.viewer)) return null;
    throw new ForbiddenError(ACCOUNT_HIDDEN);
  }
  await assertMayReadAccount(ctx, account);
  return account;
}

export async function getAccount(ctx: PointsContext, id: string): Promise<AccountRow | null> {
  requireSignedIn(ctx.viewer);
  if (!isUuid(id)) throw new BadInputError('id is not an account id.', 'id');
  return accountAskedFor(ctx, await ctx.loaders.accountById.load(id));
}

export async function getAccountByPassbook(ctx: PointsContext, number: string): Promise<AccountRow | null> {
  requireSignedIn(ctx.viewer);
  if (!isValidPassbookNumber(number)) throw new BadInputError('passbookNumber is not 12 digits with a valid check digit.', 'passbookNumber');
  return accountAskedFor(ctx, await findAccountByPassbook(ctx.db, number));
}

/** An Account the gateway refers to: the same rule as `getAccount`, with unknown or malformed ids as null. */
export async function resolveAccountReference(ctx: PointsContext, id: string): Promise<AccountRow | null> {
  requireSignedIn(ctx.viewer);
  const account = await ctx.loaders.accountById.load(id);
  if (!account) return null;
  await assertMayReadAccount(ctx, account);
  return account;
}

/** An account another row points at (a transfer's side, a redemption's customer), if the viewer may see it. */
export async function visibleAccount(ctx: PointsContext, id: string): Promise<AccountRow> {
  // Foreign keys guarantee the row; a miss means the database is broken.
  const account = required(await ctx.loaders.accountById.load(id), `account ${id}`);
  await assertMayReadAccount(ctx, account);
  return account;
}

/**
 * A person's customer account. For the person themselves and platform
 * admins the rule needs no SQL; a clerk's depends on the account's office;
 * anyone else is refused before any SQL.
 */
export async function getAccountOfPerson(ctx: PointsContext, personId: string): Promise<AccountRow | null> {
  requireSignedIn(ctx.viewer);
  const { viewer } = ctx;
  const self = viewer.personId !== null && viewer.personId === personId;
  if (!self && !isPlatformAdmin(viewer) && !hasRole(viewer, 'bank_clerk')) {
    throw new ForbiddenError('Only the holder and the bank staff who serve it may see an account.');
  }
  const account = await ctx.loaders.accountByHolder.load(personId);
  if (account && !self) await assertMayReadAccount(ctx, account);
  return account;
}

export async function officeOf(ctx: PointsContext, account: AccountRow): Promise<BankUnitRow | null> {
  return account.officeId ? ctx.loaders.bankUnitById.load(account.officeId) : null;
}

export async function listPassbook(ctx: PointsContext, account: AccountRow, args: ConnectionArgs): Promise<Connection<PassbookLineRow>> {
  const page = readLinePage(args);
  const rows = await ctx.loaders.passbookPage(page).load(account.id);
  // The account row counts its lines, so the total costs nothing.
  return toLineConnection(
    rows,
    page,
    (row) => row.line,
    async () => account.lines,
  );
}

export async function listAccountRedemptions(ctx: PointsContext, account: AccountRow, args: ConnectionArgs): Promise<Connection<RedemptionRow>> {
  const page = readPage(args, ['timestamp', 'uuid']);
  return toConnection(await ctx.loaders.accountRedemptionPage(page).load(account.id), page, redemptionCursor);
}

const accountOpenInput = z.object({
  holder: idInput('a person').nullish(),
  office: idInput('a savings office').nullish(),
});

/**
 * The office an account opens at: the one named; else, for a clerk who
 * serves exactly one office, that office; else the install's default office.
 */
async function chooseOffice(ctx: PointsContext, named: string | null | undefined): Promise<Result<BankUnitRow>> {
  if (named) {
    const [office] = await findBankUnitsByIds(ctx.db, [named]);
    if (!office) return refused(userError(['input', 'office'], 'NOT_FOUND', 'There is no such savings office.'));
    if (office.kind !== 'savings_office') return refused(userError(['input', 'office'], 'INVALID', 'Accounts are opened at a savings office.'));
    return ok(office);
  }
  const served = [...(await clerkScopeOf(ctx)).officeIds];
  if (served.length === 1 && !isPlatformAdmin(ctx.viewer)) {
    const [office] = await findBankUnitsByIds(ctx.db, served);
    if (office) return ok(office);
  }
  const fallback = await findDefaultOffice(ctx.db);
  if (!fallback) return refused(userError(['input', 'office'], 'REQUIRED', 'Say which savings office to open the account at.'));
  return ok(fallback);
}

/**
 * Opens a customer account for `holderId` at `office`, at balance 0 with the
 * next passbook number, and announces it (`account.opened`), in `tx`; null
 * when the holder already has an account. The one way a customer account is
 * opened: by `accountOpen`, and by the deposit of a service record whose
 * volunteer has none.
 */
export async function openCustomerAccount(tx: Transaction, values: { holderId: string; office: BankUnitRow; openedBy: string }): Promise<AccountRow | null> {
  const { holderId, office, openedBy } = values;
  if (office.kind !== 'savings_office') throw new Error(`accounts are opened at a savings office, not at ${office.kind} ${office.id}`);
  const serial = await nextPassbookSerial(tx);
  const account = await insertCustomerAccount(tx, { holderId, officeId: office.id, passbookNumber: passbookNumber(serial), openedBy });
  if (!account) return null;
  await publishAccountOpened(tx, account, office);
  return account;
}

/**
 * Opens a customer account at balance 0 with the next passbook number, for
 * a person people has registered (the directory: src/directory/service.ts).
 * Authority comes first (whom for, at which office), so whether a person is
 * known is told only to those who may open their account.
 */
export async function openAccount(ctx: PointsContext, input: unknown): Promise<Result<AccountRow>> {
  const openedBy = requireSignedIn(ctx.viewer);
  // Shape first: a malformed id says nothing about anyone, so it is INVALID whoever asks.
  const parsed = parseInput(accountOpenInput, input);
  if (!parsed.ok) return parsed;
  const named = parsed.value.holder ?? null;
  const holderId = named ?? ctx.viewer.personId;
  if (holderId === null) {
    return refused(userError(['input', 'holder'], 'REQUIRED', 'Say whom the account is for: you are not registered as a person.'));
  }
  const forSelf = holderId === ctx.viewer.personId;
  if (!forSelf && !isPlatformAdmin(ctx.viewer) && !hasRole(ctx.viewer, 'bank_clerk')) {
    throw new ForbiddenError('Only bank staff may open an account for someone else.');
  }
  const office = await chooseOffice(ctx, parsed.value.office);
  if (!office.ok) return office;
  // Offices are public: one a clerk does not serve is NOT_ALLOWED, before anything about the person.
  if (!forSelf && !(await mayServeOffice(ctx, office.value.id))) {
    return refused(userError(['input', 'office'], 'NOT_ALLOWED', 'Clerks open accounts for others only at offices they serve.'));
  }
  if (!(await isKnownPerson(ctx.db, holderId))) return refused(named === null ? unknownViewer() : unknownPerson(['input', 'holder']));
  return inTransaction(ctx, async (tx) => {
    const account = await openCustomerAccount(tx, { holderId, office: office.value, openedBy });
    if (!account) refuse(['input', 'holder'], 'ALREADY_EXISTS', 'This person already has an account.');
    return account;
  });
}
