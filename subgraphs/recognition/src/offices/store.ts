/**
 * SQL for the savings-office indicators and the person → office map: reads
 * for the loaders, and the additions the event handlers make (in the
 * handler's transaction).
 */
import { eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '@lianxin/shared';
import { customerOffices, officeIndicators, personTallies, type OfficeIndicatorsRow } from '../db/schema.js';

export function findOfficeIndicators(db: Executor, officeIds: readonly string[]): Promise<OfficeIndicatorsRow[]> {
  return db
    .select()
    .from(officeIndicators)
    .where(inArray(officeIndicators.officeId, [...officeIds]));
}

/** Adds `counts` to an office's indicators, creating its row the first time the office appears. */
export async function addToOffice(
  db: Executor,
  office: { officeId: string; bankId: string },
  counts: { accountsOpened?: number; redemptions?: number; pointsRedeemed?: number },
): Promise<void> {
  const { accountsOpened = 0, redemptions = 0, pointsRedeemed = 0 } = counts;
  await db
    .insert(officeIndicators)
    .values({ officeId: office.officeId, bankId: office.bankId, accountsOpened, redemptions, pointsRedeemed })
    .onConflictDoUpdate({
      target: officeIndicators.officeId,
      set: {
        accountsOpened: sql`${officeIndicators.accountsOpened} + excluded.accounts_opened`,
        redemptions: sql`${officeIndicators.redemptions} + excluded.redemptions`,
        pointsRedeemed: sql`${officeIndicators.pointsRedeemed} + excluded.points_redeemed`,
        updatedAt: sql`now()`,
      },
    });
}

/**
 * Records that `personId` is a customer of `officeId` (the office's row must
 * exist). Returns the office they were a customer of before, or null: the
 * caller moves their minutes accordingly.
 */
export async function assignCustomerOffice(db: Executor, customer: { personId: string; officeId: string; accountId: string; openedAt: Date }): Promise<string | null> {
  const previous = await db.select({ officeId: customerOffices.officeId }).from(customerOffices).where(eq(customerOffices.personId, customer.personId)).for('update');
  await db
    .insert(customerOffices)
    .values(customer)
    .onConflictDoUpdate({
      target: customerOffices.personId,
      set: { officeId: customer.officeId, accountId: customer.accountId, openedAt: customer.openedAt },
    });
  return previous[0]?.officeId ?? null;
}

/**
 * Moves the minutes `personId` has served so far from office `from` (null:
 * none) to office `to`. An office's minutes are its customers' minutes, so a
 * new customer brings what they served before opening their account.
 */
export async function moveCustomerMinutes(db: Executor, move: { personId: string; from: string | null; to: string }): Promise<void> {
  if (move.from === move.to) return;
  const offices = move.from ? [move.from, move.to] : [move.to];
  await db
    .update(officeIndicators)
    .set({
      serviceMinutes: sql`${officeIndicators.serviceMinutes} + case when ${officeIndicators.officeId} = ${move.to} then ${personTallies.serviceMinutes} else -${personTallies.serviceMinutes} end`,
      updatedAt: sql`now()`,
    })
    .from(personTallies)
    .where(sql`${personTallies.personId} = ${move.personId} and ${inArray(officeIndicators.officeId, offices)}`);
}

/** Adds `minutes` (negative for a reversal) to the office `personId` is a customer of; nothing when they are none's. */
export async function creditCustomerOffice(db: Executor, credit: { personId: string; minutes: number }): Promise<void> {
  await db
    .update(officeIndicators)
    .set({ serviceMinutes: sql`${officeIndicators.serviceMinutes} + ${credit.minutes}`, updatedAt: sql`now()` })
    .where(inArray(officeIndicators.officeId, db.select({ officeId: customerOffices.officeId }).from(customerOffices).where(eq(customerOffices.personId, credit.personId))));
}
