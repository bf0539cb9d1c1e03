/**
 * Rules for reading badges, and the backfill of badge rules over the tallies
 * that exist. Badges are public recognition: anyone may see them, signed in
 * or not.
 */
import { BadInputError, isUuid, type Database } from '@lianxin/shared';
import { beijingDayOf } from '../stats/facts.js';
import { evaluateRule, periodsWithCells, personsAfter, recordBackfillProgress, rulesToBackfill } from './rules.js';
import type { RecognitionContext } from '../context.js';
import type { BadgeKindRow, BadgeRow } from '../db/schema.js';
import { findBadgeKinds } from './store.js';

export function listBadgeKinds(ctx: RecognitionContext): Promise<BadgeKindRow[]> {
  return findBadgeKinds(ctx.db);
}

export async function getBadge(ctx: RecognitionContext, id: string): Promise<BadgeRow | null> {
  if (!isUuid(id)) throw new BadInputError('id is not a badge id.', 'id');
  return ctx.loaders.badgeById.load(id);
}

export function badgesOf(ctx: RecognitionContext, personId: string): Promise<BadgeRow[]> {
  return ctx.loaders.badgesOfPerson.load(personId);
}

/** What one backfill pass did. */
export interface BackfillReport {
  rules: number;
  persons: number;
  awards: number;
}

/**
 * Applies the rules whose backfill has not finished to the tallies that
 * exist, `batchSize` persons per transaction, recording each batch's
 * progress on the rule (so an admin sees how far it got, and a pass stopped
 * halfway resumes after the last person done). A periodic rule is evaluated
 * in each of its periods in which the person has cells, within its validity;
 * one without a period as of today (its rolling window ending today). The
 * awards' unique key makes a second backfill of the same facts award
 * nothing. Admin rules award by hand only and have nothing to backfill.
 */
export async function runBadgeBackfill(db: Database, options: { now: Date; batchSize?: number; maxBatches?: number }): Promise<BackfillReport> {
  const batchSize = options.batchSize ?? 200;
  let batches = options.maxBatches ?? 50;
  const today = beijingDayOf(options.now);
  const report: BackfillReport = { rules: 0, persons: 0, awards: 0 };
  for (const rule of await rulesToBackfill(db)) {
    // A rule not yet valid waits: it is backfilled on the first run once it is.
    if (rule.kind !== 'admin' && rule.validFrom > today) continue;
    report.rules += 1;
    let cursor = rule.backfillCursor;
    for (;;) {
      if (batches-- <= 0) return report;
      const persons = rule.kind === 'admin' ? [] : await personsAfter(db, cursor, batchSize);
      const done = persons.length < batchSize;
      const awards = await db.transaction(async (tx) => {
        let awarded = 0;
        for (const personId of persons) {
          const days = rule.period === null ? [rule.validTo !== null && rule.validTo < today ? rule.validTo : today] : await periodsWithCells(tx, rule, personId, today);
          for (const day of days) if (await evaluateRule(tx, rule, personId, day, options.now)) awarded += 1;
        }
        cursor = persons.at(-1) ?? cursor;
        await recordBackfillProgress(tx, rule.id, { cursor, persons: persons.length, awards: awarded, done });
        return awarded;
      });
      report.persons += persons.length;
      report.awards += awards;
      if (done) break;
    }
  }
  return report;
}
