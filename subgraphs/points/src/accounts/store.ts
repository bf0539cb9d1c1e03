/** SQL for accounts. */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { UNIQUE_VIOLATION, isConstraintViolation, type Executor } from '@lianxin/shared';
import { accounts, type AccountRow } from '../db/schema.js';

export function findAccountsByIds(db: Executor, ids: readonly string[]): Promise<AccountRow[]> {
  return db.select().from(accounts).where(inArray(accounts.id, [...ids]));
}

/** The customer accounts of `holderIds` (at most one each, by the unique index). */
export function findCustomerAccountsOfHolders(db: Executor, holderIds: readonly string[]): Promise<AccountRow[]> {
  return db
    .select()
    .from(accounts)
    .where(and(eq(accounts.kind, 'customer'), inArray(accounts.holderId, [...holderIds])));
}

/** Takes the next passbook serial. Sequences are not transactional: a number taken by a refused open is skipped, never reused. */
export async function nextPassbookSerial(db: Executor): Promise<string> {
  // A serial can exceed 2^53 in principle, so it travels as text.
  const [row] = await db.select({ serial: sql<string>`nextval('points.passbook_seq')::text` }).from(sql`(values (1)) as one`);
  if (!row) throw new Error('nextval returned no row');
  return row.serial;
}

/**
 * Opens a customer account at balance 0; null when the holder already has
 * one. The unique index decides, so two opens racing for one person cannot
 * both win. Run it outside a transaction: inside one, the refused insert
 * would abort the caller's transaction too.
 */
export async function insertCustomerAccount(
  db: Executor,
  values: { holderId: string; passbookNumber: string; openedBy: string },
): Promise<AccountRow | null> {
  try {
    const [row] = await db
      .insert(accounts)
      .values({ kind: 'customer', holderId: values.holderId, passbookNumber: values.passbookNumber, openedBy: values.openedBy })
      .returning();
    return row ?? null;
  } catch (error) {
    if (isConstraintViolation(error, UNIQUE_VIOLATION, 'accounts_one_per_holder')) return null;
    throw error;
  }
}
