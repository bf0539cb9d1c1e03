/**
 * Rules for stars: reading a person's star, its history and the thresholds
 * that apply somewhere, all public like the honour roll; and setting or
 * clearing a region's thresholds, for platform admins and the admins of the
 * region (access.ts), which evaluates everyone living under the region again
 * in the same transaction.
 */
import { z } from 'zod';
import { BadInputError, idInput, inTransaction, isUuid, parseInput, refuse, type Executor, type Result } from '@lianxin/shared';
import type { RecognitionContext } from '../context.js';
import type { StarChangeRow } from '../db/schema.js';
import { findRegions } from '../regions/store.js';
import { administersRegion, requireStarAdmin } from '../access.js';
import { evaluateStarsLivingIn } from './evaluate.js';
import { NATIONAL_STAR_THRESHOLDS, TOP_STAR_LEVEL, nearestThresholds, nextStar, type StarThresholdSet } from './rule.js';
import { deleteThresholds, findThresholdsSetBy, toThresholdSet, upsertThresholds } from './store.js';

/** A person's VolunteerStar, as the schema shows it. */
export interface VolunteerStarModel {
  level: number;
  minutes: number;
  hours: number;
  nextLevel: number | null;
  minutesToNext: number | null;
  hoursToNext: number | null;
  heldBackByQuality: boolean;
  reachedAt: Date | null;
  thresholds: StarThresholdSet;
}

/** Hours rounded down (`floor`) or up (`ceil`) to two decimals, so the hours shown never pass a threshold the minutes have not. */
const hoursRounded = (minutes: number, round: (value: number) => number): number => round((minutes * 100) / 60) / 100;

/**
 * A person's star: the level recorded for them (evaluated whenever their
 * tally, home or thresholds changed) and the way to the next one under the
 * thresholds that apply now. Level 0 for someone with no star yet.
 */
export async function starOf(ctx: RecognitionContext, personId: string): Promise<VolunteerStarModel> {
  const [tally, star, thresholds] = await Promise.all([
    ctx.loaders.tallyOfPerson.load(personId),
    ctx.loaders.starOfPerson.load(personId),
    ctx.loaders.starThresholdsOfPerson.load(personId),
  ]);
  const counted = { serviceMinutes: tally?.serviceMinutes ?? 0, ratings: tally?.ratings ?? 0, ratingSum: tally?.ratingSum ?? 0 };
  const level = star?.level ?? 0;
  const next = nextStar(thresholds, counted, level);
  return {
    level,
    minutes: counted.serviceMinutes,
    hours: hoursRounded(counted.serviceMinutes, Math.floor),
    nextLevel: next?.level ?? null,
    minutesToNext: next?.minutesToGo ?? null,
    hoursToNext: next ? hoursRounded(next.minutesToGo, Math.ceil) : null,
    heldBackByQuality: next?.heldBackByQuality ?? false,
    reachedAt: star?.reachedAt ?? null,
    thresholds,
  };
}

/** The person's star changes, newest first, at most `first` (1 to 100). */
export async function starHistoryOf(ctx: RecognitionContext, personId: string, first: number): Promise<StarChangeRow[]> {
  if (!Number.isInteger(first) || first < 1 || first > 100) throw new BadInputError('first must be between 1 and 100.', 'first');
  return (await ctx.loaders.starChangesOfPerson.load(personId)).slice(0, first);
}

/** The thresholds that apply at `regionId` (its chain as recognition knows it; only itself when unknown). */
async function thresholdsAt(db: Executor, regionId: string): Promise<StarThresholdSet> {
  const [region] = await findRegions(db, [regionId]);
  const chain = region?.chain ?? [regionId];
  return nearestThresholds(chain, await findThresholdsSetBy(db, chain));
}

/** `starThresholds(region)`: the national practice without a region. */
export async function starThresholdsFor(ctx: RecognitionContext, regionId: string | null | undefined): Promise<StarThresholdSet> {
  if (regionId === null || regionId === undefined) return NATIONAL_STAR_THRESHOLDS;
  if (!isUuid(regionId)) throw new BadInputError('region is not a region id.', 'region');
  return thresholdsAt(ctx.db, regionId);
}

const hundredths = (value: number): number => Math.round(value * 100);

const starThresholdsSetInput = z.object({
  region: idInput('a region'),
  levels: z
    .array(z.number().int('must be whole hours.').min(1, 'must be at least 1 hour.').max(100_000, 'must be at most 100,000 hours.'))
    .length(TOP_STAR_LEVEL, `must give the hours of ${TOP_STAR_LEVEL} levels.`)
    .refine((levels) => levels.every((hours, index) => index === 0 || hours > (levels[index - 1] ?? 0)), 'must be strictly increasing.'),
  quality: z
    .object({
      minAverage: z
        .number()
        .min(1, 'must be at least 1.')
        .max(5, 'must be at most 5.')
        .refine((value) => Math.abs(value * 100 - hundredths(value)) < 1e-6, 'must have at most two decimals.'),
      minRatings: z.number().int('must be a whole number.').min(1, 'must be at least 1.').max(100_000, 'must be at most 100,000.'),
      fromLevel: z.number().int('must be a level.').min(1, 'must be a level from 1 to 5.').max(TOP_STAR_LEVEL, 'must be a level from 1 to 5.'),
    })
    .nullish(),
});

const starThresholdsClearInput = z.object({ region: idInput('a region') });

/** What a threshold change answers: the thresholds now applying in the region, and how many were evaluated and changed. */
export interface StarThresholdsChange {
  thresholds: StarThresholdSet;
  evaluated: number;
  changed: number;
}

/** Loads the region and checks the viewer administers it; refuses inside the transaction. */
async function checkRegion(ctx: RecognitionContext, tx: Executor, regionId: string): Promise<void> {
  const [region] = await findRegions(tx, [regionId]);
  if (!region) refuse(['input', 'region'], 'NOT_FOUND', 'There is no such region (one created a moment ago may need a moment more).');
  if (!administersRegion(ctx.viewer, region.chain)) refuse(['input', 'region'], 'NOT_ALLOWED', 'The region lies outside your scope.');
}

export async function setStarThresholds(ctx: RecognitionContext, input: unknown): Promise<Result<StarThresholdsChange>> {
  const subject = requireStarAdmin(ctx.viewer, 'set star thresholds');
  const parsed = parseInput(starThresholdsSetInput, input);
  if (!parsed.ok) return parsed;
  const { region, levels, quality } = parsed.value;
  return inTransaction(ctx, async (tx) => {
    await checkRegion(ctx, tx, region);
    const row = await upsertThresholds(tx, {
      regionId: region,
      levelHours: levels,
      qualityMinAverageHundredths: quality ? hundredths(quality.minAverage) : null,
      qualityMinRatings: quality?.minRatings ?? null,
      qualityFromLevel: quality?.fromLevel ?? null,
      setBy: subject,
    });
    const evaluation = await evaluateStarsLivingIn(tx, region, { kind: 'thresholds', at: row.setAt });
    return { thresholds: toThresholdSet(row), ...evaluation };
  });
}

export async function clearStarThresholds(ctx: RecognitionContext, input: unknown): Promise<Result<StarThresholdsChange>> {
  requireStarAdmin(ctx.viewer, 'clear star thresholds');
  const parsed = parseInput(starThresholdsClearInput, input);
  if (!parsed.ok) return parsed;
  const { region } = parsed.value;
  return inTransaction(ctx, async (tx) => {
    await checkRegion(ctx, tx, region);
    const cleared = await deleteThresholds(tx, region);
    const evaluation = cleared ? await evaluateStarsLivingIn(tx, region, { kind: 'thresholds', at: new Date() }) : { evaluated: 0, changed: 0 };
    return { thresholds: await thresholdsAt(tx, region), ...evaluation };
  });
}
