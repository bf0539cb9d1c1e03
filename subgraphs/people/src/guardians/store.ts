/** SQL for guardians' consents. */
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { required, type Executor } from '@lianxin/shared';
import { guardianConsents, type GuardianConsentRow } from '../db/schema.js';

/** The consent in force of each of `minorIds`, if any. */
export function findConsentsInForce(db: Executor, minorIds: readonly string[]): Promise<GuardianConsentRow[]> {
  return db
    .select()
    .from(guardianConsents)
    .where(and(inArray(guardianConsents.minorId, [...minorIds]), isNull(guardianConsents.revokedAt)));
}

export async function insertConsent(
  db: Executor,
  values: { minorId: string; guardianId: string | null; guardianName: string | null; relationship: string; recordedBy: string; recordedAt: Date },
): Promise<GuardianConsentRow> {
  const [row] = await db.insert(guardianConsents).values(values).returning();
  return required(row, 'row inserted into guardian_consents');
}

/** Revokes the consent in force; null when there is none. */
export async function revokeConsent(db: Executor, minorId: string, revokedBy: string, revokedAt: Date): Promise<GuardianConsentRow | null> {
  const [row] = await db
    .update(guardianConsents)
    .set({ revokedBy, revokedAt })
    .where(and(eq(guardianConsents.minorId, minorId), isNull(guardianConsents.revokedAt)))
    .returning();
  return row ?? null;
}
