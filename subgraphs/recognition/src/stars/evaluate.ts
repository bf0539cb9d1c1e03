/**
 * Evaluating stars, in the caller's transaction: the consumer's, after a
 * person's lifetime tally, home or region changes; a threshold mutation's,
 * for everyone living under the region. A person's level is re-derived from
 * their tally and the thresholds that now apply (rule.ts), and only a
 * different level writes anything: one history row and the new current
 * level. Evaluating again without a change in between writes nothing, so a
 * redelivered event or a replayed threshold change adds no history.
 */
import type { Executor } from '@lianxin/shared';
import type { StarChangeCause } from '../db/schema.js';
import { nearestThresholds, starLevel } from './rule.js';
import { findThresholdsSetBy, lockStarSubjects, personsLivingIn, recordStarChanges, type NewStarChange } from './store.js';

/** Why and when the levels are evaluated: the cause recorded with any change, the service record, reversal or request behind it, and its time. */
export interface StarCause {
  kind: StarChangeCause;
  at: Date;
  causeId?: string | null;
}

/** How many persons' stars a threshold change or a region's move evaluates per batch (four statements each). */
export const STAR_EVALUATION_BATCH = 500;

/** Evaluates the stars of `personIds` (persons without a tally are skipped); returns how many levels changed. */
export async function evaluateStars(db: Executor, personIds: readonly string[], cause: StarCause): Promise<number> {
  if (personIds.length === 0) return 0;
  const subjects = await lockStarSubjects(db, personIds);
  const thresholds = await findThresholdsSetBy(
    db,
    subjects.flatMap((subject) => subject.chain),
  );
  const changes: NewStarChange[] = [];
  for (const subject of subjects) {
    const applying = nearestThresholds(subject.chain, thresholds);
    const level = starLevel(applying, subject);
    if (level === subject.level) continue;
    changes.push({
      personId: subject.personId,
      fromLevel: subject.level,
      toLevel: level,
      cause: cause.kind,
      causeId: cause.causeId ?? null,
      serviceMinutes: subject.serviceMinutes,
      ratings: subject.ratings,
      ratingSum: subject.ratingSum,
      thresholdsRegionId: applying.regionId,
      changedAt: cause.at,
    });
  }
  await recordStarChanges(db, changes);
  return changes.length;
}

/**
 * Evaluates everyone with a tally living in `regionId` or below it, in
 * batches of `STAR_EVALUATION_BATCH` persons in id order: a change of that
 * region's thresholds or of its place in the tree. Returns how many were
 * evaluated and how many levels changed.
 */
export async function evaluateStarsLivingIn(db: Executor, regionId: string, cause: StarCause): Promise<{ evaluated: number; changed: number }> {
  let evaluated = 0;
  let changed = 0;
  let after: string | null = null;
  for (;;) {
    const page = await personsLivingIn(db, regionId, after, STAR_EVALUATION_BATCH);
    if (page.length === 0) break;
    evaluated += page.length;
    changed += await evaluateStars(db, page, cause);
    after = page[page.length - 1] ?? null;
    if (page.length < STAR_EVALUATION_BATCH) break;
  }
  return { evaluated, changed };
}
