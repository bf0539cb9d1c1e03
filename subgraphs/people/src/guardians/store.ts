/** SQL for guardians' consents. */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { required, rowsOf, type Executor } from '@lianxin/shared';
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

/**
 * Persons who were minors when they registered, are 18 on `today` (a Beijing
 * date, YYYY-MM-DD) and have not yet been announced as adults: no
 * `person.guardian_consent_changed` with `minor` false in the outbox, which
 * is append-only, so each is found once however often this runs.
 */
export async function findComingOfAge(db: Executor, today: string): Promise<{ personId: string; guardianConsent: boolean }[]> {
  return rowsOf<{ personId: string; guardianConsent: boolean }>(
    db,
    sql`select p.id as "personId",
               exists (select 1 from people.guardian_consents c where c.minor_id = p.id and c.revoked_at is null) as "guardianConsent"
          from people.persons p
         where p.birth_date is not null
           and p.birth_date <= ${today}::date - interval '18 years'
           and p.birth_date > (p.registered_at at time zone 'Asia/Shanghai')::date - interval '18 years'
           and not exists (
             select 1 from people.outbox o
              where o.aggregate_type = 'person' and o.aggregate_id = p.id::text
                and o.type = 'person.guardian_consent_changed' and (o.payload ->> 'minor')::boolean = false)
         order by p.id`,
  );
}
