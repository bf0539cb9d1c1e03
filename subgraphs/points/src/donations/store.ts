/** SQL for donations: gifts of points from one customer to another, or to a charity fund. */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { required, rowsOf, type Executor, type Transaction } from '@lianxin/shared';
import { donations, type DonationRow } from '../db/schema.js';

export type NewDonation = Omit<DonationRow, 'donatedAt'>;

export async function insertDonation(tx: Transaction, donation: NewDonation): Promise<DonationRow> {
  const [row] = await tx.insert(donations).values(donation).returning();
  return required(row, 'row inserted into donations');
}

export function findDonationsByIds(db: Executor, ids: readonly string[]): Promise<DonationRow[]> {
  return db
    .select()
    .from(donations)
    .where(inArray(donations.id, [...ids]));
}

export function findDonationsByTransfers(db: Executor, transferIds: readonly string[]): Promise<DonationRow[]> {
  return db
    .select()
    .from(donations)
    .where(inArray(donations.transferId, [...transferIds]));
}

/** The donation a donor made with `key` before, if any. */
export async function findDonationByKey(db: Executor, donorAccountId: string, key: string): Promise<DonationRow | null> {
  const [row] = await db
    .select()
    .from(donations)
    .where(and(eq(donations.donorAccountId, donorAccountId), eq(donations.idempotencyKey, key)));
  return row ?? null;
}

/**
 * Points the account gave today and this month, both as Beijing reckons them
 * (the bank's days and months are Beijing's, whatever the server's zone).
 * Read under the donor account's lock, so racing donations count each other.
 */
export async function findDonatedTotals(tx: Transaction, donorAccountId: string): Promise<{ today: number; thisMonth: number }> {
  const [row] = await rowsOf<{ today: string; this_month: string }>(
    tx,
    sql`select
          coalesce(sum(amount) filter (where donated_at >= date_trunc('day', now() at time zone 'Asia/Shanghai') at time zone 'Asia/Shanghai'), 0)::text as today,
          coalesce(sum(amount), 0)::text as this_month
        from points.donations
        where donor_account_id = ${donorAccountId}::uuid
          and donated_at >= date_trunc('month', now() at time zone 'Asia/Shanghai') at time zone 'Asia/Shanghai'`,
  );
  return { today: Number(row?.today ?? 0), thisMonth: Number(row?.this_month ?? 0) };
}
