/** SQL for urban–rural pairings of savings offices and the merchants their rural side recruited. */
import { and, asc, eq, inArray, isNull, or } from 'drizzle-orm';
import { UNIQUE_VIOLATION, isConstraintViolation, type Executor, type Transaction } from '@lianxin/shared';
import { merchants, officePairings, type MerchantRow, type OfficePairingRow } from '../db/schema.js';

export function findPairingsByIds(db: Executor, ids: readonly string[]): Promise<OfficePairingRow[]> {
  return db
    .select()
    .from(officePairings)
    .where(inArray(officePairings.id, [...ids]));
}

/** The active pairings each of `officeIds` is on, either side, oldest first: one statement for a list of offices. */
export function findActivePairingsOfOffices(db: Executor, officeIds: readonly string[]): Promise<OfficePairingRow[]> {
  return db
    .select()
    .from(officePairings)
    .where(and(isNull(officePairings.endedAt), or(inArray(officePairings.cityOfficeId, [...officeIds]), inArray(officePairings.ruralOfficeId, [...officeIds]))))
    .orderBy(asc(officePairings.createdAt), asc(officePairings.id));
}

/** The active, real merchants each of the (rural) offices recruited, by name: what a paired city office lists. */
export function findPairingMerchantsOfOffices(db: Executor, officeIds: readonly string[]): Promise<MerchantRow[]> {
  return db
    .select()
    .from(merchants)
    .where(and(inArray(merchants.officeId, [...officeIds]), eq(merchants.active, true), eq(merchants.sandbox, false)))
    .orderBy(asc(merchants.name), asc(merchants.id));
}

/** Pairs two offices of bank `bankId`; null when the two are already paired (either way round). */
export async function insertPairing(
  tx: Transaction,
  values: { id: string; bankId: string; cityOfficeId: string; ruralOfficeId: string; createdBy: string; createdAt: Date },
): Promise<OfficePairingRow | null> {
  try {
    const [row] = await tx.insert(officePairings).values(values).returning();
    return row ?? null;
  } catch (error) {
    if (isConstraintViolation(error, UNIQUE_VIOLATION, 'office_pairings_one_active')) return null;
    throw error;
  }
}

/** Ends an active pairing; null when it had already ended (the row then stands as it was). */
export async function endPairing(tx: Transaction, id: string, values: { endedAt: Date; endedBy: string }): Promise<OfficePairingRow | null> {
  const [row] = await tx
    .update(officePairings)
    .set(values)
    .where(and(eq(officePairings.id, id), isNull(officePairings.endedAt)))
    .returning();
  return row ?? null;
}
