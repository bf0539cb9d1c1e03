/**
 * Rules for reading a person's service tally. Like badges it is public: the
 * honour roll shows anyone who served how much.
 */
import type { RecognitionContext } from '../context.js';
import type { PersonTallyRow } from '../db/schema.js';
import { hoursOf, type ServiceTallyModel } from '../model.js';

/** A person's tally; zeroes when no service or rating of theirs has arrived yet. */
export async function serviceTallyOf(ctx: RecognitionContext, personId: string): Promise<ServiceTallyModel> {
  return toServiceTally(await ctx.loaders.tallyOfPerson.load(personId));
}

function toServiceTally(row: PersonTallyRow | null): ServiceTallyModel {
  const minutes = row?.serviceMinutes ?? 0;
  const ratings = row?.ratings ?? 0;
  return {
    minutes,
    hours: hoursOf(minutes),
    services: row?.services ?? 0,
    ratings,
    averageRating: row && ratings > 0 ? Math.round((row.ratingSum * 100) / ratings) / 100 : null,
    lastServedAt: row?.lastServedAt ?? null,
  };
}
