/** SQL for accounts. */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { inUuids, pagesPerParent, preparedOnce, required, type Executor, type PageRequest, type Transaction } from '@lianxin/shared';
import { accounts, type AccountRow } from '../db/schema.js';

export function findAccountsByIds(db: Executor, ids: readonly string[]): Promise<AccountRow[]> {
  return db
    .select()
    .from(accounts)
    .where(inArray(accounts.id, [...ids]));
}

/** The customer accounts of `holderIds` (at most one each, by the unique index). */
// Every Person.account (a volunteer's dashboard, a team's members) passes here: built once, run with the ids.
const customerAccountsOfHolders = preparedOnce((db) =>
  db
    .select()
    .from(accounts)
    .where(and(eq(accounts.kind, 'customer'), inUuids(accounts.holderId, 'holderIds')))
    .prepare('find_customer_accounts_of_holders'),
);

export function findCustomerAccountsOfHolders(db: Executor, holderIds: readonly string[]): Promise<AccountRow[]> {
  return customerAccountsOfHolders(db, { holderIds });
}

/** The accounts of `merchantIds` (one each, by the unique index). */
export function findAccountsOfMerchants(db: Executor, merchantIds: readonly string[]): Promise<AccountRow[]> {
  return db
    .select()
    .from(accounts)
    .where(inArray(accounts.merchantId, [...merchantIds]));
}

export async function findAccountByPassbook(db: Executor, passbookNumber: string): Promise<AccountRow | null> {
  const [row] = await db.select().from(accounts).where(eq(accounts.passbookNumber, passbookNumber));
  return row ?? null;
}

/** Office account lists sort by passbook number. */
export const officeAccountCursor = (row: AccountRow): string[] => [row.passbookNumber];

/** The same page of customer accounts for each of `officeIds`, in one statement. */
export async function findOfficeAccountPages(db: Executor, officeIds: readonly string[], page: PageRequest): Promise<AccountRow[]> {
  return pagesPerParent(db, {
    table: accounts,
    parent: accounts.officeId,
    parentIds: officeIds,
    orderBy: sql`${accounts.passbookNumber}`,
    where: page.after ? sql`${accounts.passbookNumber} > ${page.after[0]}` : undefined,
    limit: page.limit,
  });
}

/** Takes the next passbook serial. Sequences are not transactional: a number taken by a refused open is skipped, never reused. */
export async function nextPassbookSerial(db: Executor): Promise<string> {
  // A serial can exceed 2^53 in principle, so it travels as text.
  const [row] = await db.select({ serial: sql<string>`nextval('points.passbook_seq')::text` }).from(sql`(values (1)) as one`);
  return required(row, 'next value of points.passbook_seq').serial;
}

/**
 * Opens a customer account at balance 0; null when the holder already has
 * one. The unique index decides, so two opens racing for one person cannot
 * both win: the second waits for the first to commit, then finds the
 * conflict. `on conflict do nothing` (rather than catching the violation)
 * leaves the caller's transaction usable, so this runs inside one.
 */
export async function insertCustomerAccount(
  tx: Transaction,
  values: { holderId: string; officeId: string; passbookNumber: string; openedBy: string; sandbox?: boolean },
): Promise<AccountRow | null> {
  const [row] = await tx
    .insert(accounts)
    .values({
      kind: 'customer',
      holderId: values.holderId,
      officeId: values.officeId,
      passbookNumber: values.passbookNumber,
      openedBy: values.openedBy,
      sandbox: values.sandbox ?? false,
    })
    // The target and predicate name the partial index accounts_one_per_holder.
    .onConflictDoNothing({ target: accounts.holderId, where: sql`kind = 'customer'` })
    .returning();
  return row ?? null;
}

/** The customer account of one holder, read inside the caller's transaction. */
export async function findCustomerAccountOfHolder(db: Executor, holderId: string): Promise<AccountRow | null> {
  const [row] = await findCustomerAccountsOfHolders(db, [holderId]);
  return row ?? null;
}

/** Opens the points account of a merchant (or of a bank's central exchange). */
export async function insertMerchantAccount(
  db: Executor,
  values: { id?: string; merchantId: string; kind: 'merchant' | 'exchange'; passbookNumber: string; openedBy: string; sandbox?: boolean },
): Promise<AccountRow> {
  const [row] = await db
    .insert(accounts)
    .values({
      ...(values.id ? { id: values.id } : {}),
      kind: values.kind,
      merchantId: values.merchantId,
      passbookNumber: values.passbookNumber,
      sandbox: values.sandbox ?? false,
      openedBy: values.openedBy,
    })
    .returning();
  return required(row, 'row inserted into accounts');
}
