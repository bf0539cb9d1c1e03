/**
 * SQL for stars: thresholds, homes, the current levels and their history.
 * The evaluation reads a batch of persons' tallies with their levels and
 * homes in one statement (locking the tallies, so a concurrent event or
 * threshold change of the same person waits), the thresholds along their
 * homes' chains in another, and writes what changed in two more.
 */
import { and, asc, desc, eq, gt, inArray, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '@lianxin/shared';
import {
  personHomes,
  personStars,
  personTallies,
  regionLevels,
  starChanges,
  starThresholds,
  type PersonStarRow,
  type StarChangeCause,
  type StarChangeRow,
  type StarThresholdsRow,
} from '../db/schema.js';
import type { StarThresholdSet } from './rule.js';

/** A threshold row as the rule reads it. */
export function toThresholdSet(row: StarThresholdsRow): StarThresholdSet {
  const quality =
    row.qualityMinAverageHundredths !== null && row.qualityMinRatings !== null && row.qualityFromLevel !== null
      ? { minAverageHundredths: row.qualityMinAverageHundredths, minRatings: row.qualityMinRatings, fromLevel: row.qualityFromLevel }
      : null;
  return { regionId: row.regionId, levelHours: row.levelHours, quality, setAt: row.setAt };
}

/** The thresholds set by any of `regionIds`, by region. */
export async function findThresholdsSetBy(db: Executor, regionIds: readonly string[]): Promise<Map<string, StarThresholdSet>> {
  if (regionIds.length === 0) return new Map();
  const rows = await db
    .select()
    .from(starThresholds)
    .where(inArray(starThresholds.regionId, [...new Set(regionIds)]));
  return new Map(rows.map((row) => [row.regionId, toThresholdSet(row)]));
}

/** Sets (or replaces) the thresholds of `regionId`. */
export async function upsertThresholds(db: Executor, values: typeof starThresholds.$inferInsert): Promise<StarThresholdsRow> {
  const [row] = await db
    .insert(starThresholds)
    .values(values)
    .onConflictDoUpdate({
      target: starThresholds.regionId,
      set: {
        levelHours: sql`excluded.level_hours`,
        qualityMinAverageHundredths: sql`excluded.quality_min_average_hundredths`,
        qualityMinRatings: sql`excluded.quality_min_ratings`,
        qualityFromLevel: sql`excluded.quality_from_level`,
        setBy: sql`excluded.set_by`,
        setAt: sql`now()`,
      },
    })
    .returning();
  if (!row) throw new Error('upserting star thresholds returned no row');
  return row;
}

/** Removes `regionId`'s own thresholds; returns whether it had any. */
export async function deleteThresholds(db: Executor, regionId: string): Promise<boolean> {
  const deleted = await db.delete(starThresholds).where(eq(starThresholds.regionId, regionId)).returning({ regionId: starThresholds.regionId });
  return deleted.length > 0;
}

/** Records where a person lives (null: nowhere said); returns whether it changed. */
export async function upsertHome(db: Executor, home: { personId: string; regionId: string | null }): Promise<boolean> {
  const written = await db
    .insert(personHomes)
    .values(home)
    .onConflictDoUpdate({
      target: personHomes.personId,
      set: { regionId: sql`excluded.region_id`, updatedAt: sql`now()` },
      setWhere: sql`${personHomes.regionId} is distinct from excluded.region_id`,
    })
    .returning({ personId: personHomes.personId });
  return written.length > 0;
}

/** What the evaluation reads of one person: their tally, current level and the chain of their home (root first, the home last; empty without a home). */
export interface StarSubject {
  personId: string;
  serviceMinutes: number;
  ratings: number;
  ratingSum: number;
  level: number;
  chain: string[];
}

/**
 * The tallies of `personIds` with their current levels and homes, locking
 * the tally rows until the transaction ends. A person with no tally has
 * nothing a star could be earned with and is left out.
 */
export async function lockStarSubjects(db: Executor, personIds: readonly string[]): Promise<StarSubject[]> {
  // Aliased, because FOR UPDATE OF takes the bare name, which a schema-qualified table does not have.
  const tally = alias(personTallies, 'tally');
  const rows = await db
    .select({
      personId: tally.personId,
      serviceMinutes: tally.serviceMinutes,
      ratings: tally.ratings,
      ratingSum: tally.ratingSum,
      level: personStars.level,
      homeId: personHomes.regionId,
      homePath: regionLevels.path,
    })
    .from(tally)
    .leftJoin(personStars, eq(personStars.personId, tally.personId))
    .leftJoin(personHomes, eq(personHomes.personId, tally.personId))
    .leftJoin(regionLevels, eq(regionLevels.regionId, personHomes.regionId))
    .where(inArray(tally.personId, [...personIds]))
    .orderBy(asc(tally.personId))
    .for('update', { of: tally });
  return rows.map(({ homeId, homePath, level, ...counted }) => ({
    ...counted,
    level: level ?? 0,
    chain: homeId === null ? [] : [...(homePath ?? []), homeId],
  }));
}

/** A change of level the evaluation found. */
export interface NewStarChange {
  personId: string;
  fromLevel: number;
  toLevel: number;
  cause: StarChangeCause;
  causeId: string | null;
  serviceMinutes: number;
  ratings: number;
  ratingSum: number;
  thresholdsRegionId: string | null;
  changedAt: Date;
}

/** Appends the changes to the history and moves the persons' current levels, two statements for the whole batch. */
export async function recordStarChanges(db: Executor, changes: readonly NewStarChange[]): Promise<void> {
  if (changes.length === 0) return;
  await db.insert(starChanges).values([...changes]);
  await db
    .insert(personStars)
    .values(changes.map((change) => ({ personId: change.personId, level: change.toLevel, reachedAt: change.toLevel === 0 ? null : change.changedAt })))
    .onConflictDoUpdate({
      target: personStars.personId,
      set: { level: sql`excluded.level`, reachedAt: sql`excluded.reached_at`, updatedAt: sql`now()` },
    });
}

/**
 * One page of the persons with a tally whose home is `regionId` or lies
 * below it, after `after` in id order: who a change of that region's
 * thresholds, or a move of it, may concern.
 */
export async function personsLivingIn(db: Executor, regionId: string, after: string | null, limit: number): Promise<string[]> {
  const rows = await db
    .select({ personId: personHomes.personId })
    .from(personHomes)
    .innerJoin(personTallies, eq(personTallies.personId, personHomes.personId))
    .leftJoin(regionLevels, eq(regionLevels.regionId, personHomes.regionId))
    .where(and(or(eq(personHomes.regionId, regionId), sql`${regionLevels.path} @> array[${regionId}::uuid]`), after === null ? undefined : gt(personHomes.personId, after)))
    .orderBy(asc(personHomes.personId))
    .limit(limit);
  return rows.map((row) => row.personId);
}

export function findStarsOfPersons(db: Executor, personIds: readonly string[]): Promise<PersonStarRow[]> {
  return db
    .select()
    .from(personStars)
    .where(inArray(personStars.personId, [...personIds]));
}

/** The star history of each of `personIds`, newest first. */
export function findStarChangesOfPersons(db: Executor, personIds: readonly string[]): Promise<StarChangeRow[]> {
  return db
    .select()
    .from(starChanges)
    .where(inArray(starChanges.personId, [...personIds]))
    .orderBy(asc(starChanges.personId), desc(starChanges.recordedAt), desc(starChanges.id));
}

/** The homes of `personIds` with their chains (root first, the home last), for reading which thresholds apply. */
export async function findHomeChains(db: Executor, personIds: readonly string[]): Promise<{ personId: string; chain: string[] }[]> {
  const rows = await db
    .select({ personId: personHomes.personId, homeId: personHomes.regionId, homePath: regionLevels.path })
    .from(personHomes)
    .leftJoin(regionLevels, eq(regionLevels.regionId, personHomes.regionId))
    .where(inArray(personHomes.personId, [...personIds]));
  return rows.map((row) => ({ personId: row.personId, chain: row.homeId === null ? [] : [...(row.homePath ?? []), row.homeId] }));
}
