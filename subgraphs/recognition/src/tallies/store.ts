/**
 * SQL for the per-person service tallies: reads for the loaders, and the
 * additions the event handlers make (in the handler's transaction).
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor } from '@lianxin/shared';
import { countedServices, personTallies, type CountedServiceRow, type PersonTallyRow } from '../db/schema.js';

/** Where in the read model by period a service is counted (db/schema/tallies.ts, `counted_services`). */
export type ServiceCells = Pick<CountedServiceRow, 'month' | 'categoryCode' | 'regionId' | 'teamId' | 'activityId' | 'officeId' | 'areaOfficeId'>;

export function findTalliesOfPersons(db: Executor, personIds: readonly string[]): Promise<PersonTallyRow[]> {
  return db
    .select()
    .from(personTallies)
    .where(inArray(personTallies.personId, [...personIds]));
}

/**
 * Counts service record `serviceRecordId` for its volunteer, unless the
 * record is known already (its reversal came first): one more service of
 * `minutes`, served at `servedAt`; the person's row is created on their
 * first. The record is remembered with the cells of the read model by
 * period it goes to (`cells`), so its reversal finds them. Returns whether
 * it was counted.
 */
export async function addService(db: Executor, service: { serviceRecordId: string; personId: string; minutes: number; servedAt: Date }, cells: ServiceCells): Promise<boolean> {
  const known = await db
    .insert(countedServices)
    .values({ serviceRecordId: service.serviceRecordId, personId: service.personId, minutes: service.minutes, ...cells })
    .onConflictDoNothing({ target: countedServices.serviceRecordId })
    .returning({ id: countedServices.serviceRecordId });
  if (known.length === 0) return false;
  await db
    .insert(personTallies)
    .values({
      personId: service.personId,
      serviceMinutes: service.minutes,
      services: 1,
      firstServedAt: service.servedAt,
      lastServedAt: service.servedAt,
    })
    .onConflictDoUpdate({
      target: personTallies.personId,
      set: {
        serviceMinutes: sql`${personTallies.serviceMinutes} + excluded.service_minutes`,
        services: sql`${personTallies.services} + 1`,
        // least/greatest skip nulls: a row that only held ratings takes the first service's instants.
        firstServedAt: sql`least(${personTallies.firstServedAt}, excluded.first_served_at)`,
        lastServedAt: sql`greatest(${personTallies.lastServedAt}, excluded.last_served_at)`,
        updatedAt: sql`now()`,
      },
    });
  return true;
}

/**
 * Takes back service record `reversesId` (a reversal): exactly the minutes it
 * added. A record the tallies never counted is remembered as reversed, so
 * its creation, if it arrives later, is not counted; nothing else changes.
 * Returns the record as it was counted, with its cells (null when nothing
 * was taken back). The instants are kept unless no service is left (the
 * tally keeps no list of services to recompute them from).
 */
export async function subtractService(db: Executor, reversal: { reversesId: string; personId: string; minutes: number }): Promise<CountedServiceRow | null> {
  const [counted] = await db
    .update(countedServices)
    .set({ reversedAt: sql`now()` })
    .where(and(eq(countedServices.serviceRecordId, reversal.reversesId), isNull(countedServices.reversedAt)))
    .returning();
  if (!counted) {
    await db
      .insert(countedServices)
      .values({ serviceRecordId: reversal.reversesId, personId: reversal.personId, minutes: reversal.minutes, reversedAt: sql`now()` })
      .onConflictDoNothing({ target: countedServices.serviceRecordId });
    return null;
  }
  await db
    .update(personTallies)
    .set({
      serviceMinutes: sql`${personTallies.serviceMinutes} - ${counted.minutes}`,
      services: sql`${personTallies.services} - 1`,
      firstServedAt: sql`case when ${personTallies.services} = 1 then null else ${personTallies.firstServedAt} end`,
      lastServedAt: sql`case when ${personTallies.services} = 1 then null else ${personTallies.lastServedAt} end`,
      updatedAt: sql`now()`,
    })
    .where(eq(personTallies.personId, counted.personId));
  return counted;
}

/** One more rating (1–5) of a service the person was the assignee of. */
export async function addRating(db: Executor, rating: { personId: string; score: number }): Promise<void> {
  await db
    .insert(personTallies)
    .values({ personId: rating.personId, ratings: 1, ratingSum: rating.score })
    .onConflictDoUpdate({
      target: personTallies.personId,
      set: {
        ratings: sql`${personTallies.ratings} + 1`,
        ratingSum: sql`${personTallies.ratingSum} + excluded.rating_sum`,
        updatedAt: sql`now()`,
      },
    });
}
