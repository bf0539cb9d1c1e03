/**
 * The star rule (docs/recognition.md, "Stars"): which level, 0 to 5, a
 * lifetime tally earns under a set of thresholds, and how far the next
 * level is. Pure, so the consumer, the threshold mutations and the reads
 * apply the same rule. Everything is in whole minutes and integer rating
 * sums: 5,999 minutes is not 100 hours, and an average of 4.49 is not 4.5.
 */

/** The quality condition a threshold set may add: every level from `fromLevel` up also needs this average over this many ratings. */
export interface StarQualityRule {
  /** The minimum average rating in hundredths (450 for 4.5). */
  minAverageHundredths: number;
  minRatings: number;
  fromLevel: number;
}

/** Thresholds as they apply to a person: set by `regionId`, or the national practice when it is null. */
export interface StarThresholdSet {
  regionId: string | null;
  /** Whole hours for levels 1–5, strictly increasing. */
  levelHours: readonly number[];
  quality: StarQualityRule | null;
  setAt: Date | null;
}

/** What the rule reads of a person's lifetime tally. */
export interface StarTally {
  serviceMinutes: number;
  ratings: number;
  ratingSum: number;
}

/** The highest level there is. */
export const TOP_STAR_LEVEL = 5;

/** The national practice: 100 / 300 / 600 / 1,000 / 1,500 hours, no quality condition. What a person gets when no region above their home sets thresholds. */
export const NATIONAL_STAR_THRESHOLDS: StarThresholdSet = Object.freeze({
  regionId: null,
  levelHours: Object.freeze([100, 300, 600, 1000, 1500]),
  quality: null,
  setAt: null,
});

/** The minutes level `level` (1–5) needs under `thresholds`. */
export const minutesFor = (thresholds: StarThresholdSet, level: number): number => (thresholds.levelHours[level - 1] ?? Number.POSITIVE_INFINITY) * 60;

/** Whether the tally meets the quality condition; true when there is none. Compared in integers: sum × 100 ≥ minimum × ratings. */
export function qualityMet(quality: StarQualityRule | null, tally: StarTally): boolean {
  if (quality === null) return true;
  return tally.ratings >= quality.minRatings && tally.ratingSum * 100 >= quality.minAverageHundredths * tally.ratings;
}

/** Whether the tally earns `level` (1–5): its minutes, and the quality condition if the level is one it covers. */
function earns(thresholds: StarThresholdSet, tally: StarTally, level: number): boolean {
  if (tally.serviceMinutes < minutesFor(thresholds, level)) return false;
  return thresholds.quality === null || level < thresholds.quality.fromLevel || qualityMet(thresholds.quality, tally);
}

/** The level (0 for none yet) the tally earns: the highest whose minutes it has served and whose quality condition, if any, it meets. */
export function starLevel(thresholds: StarThresholdSet, tally: StarTally): number {
  let level = 0;
  // Levels need ever more minutes and the quality condition covers every level above its first, so the earned levels are 1..n.
  while (level < TOP_STAR_LEVEL && earns(thresholds, tally, level + 1)) level += 1;
  return level;
}

/** The way to the level after `level`: null at the top. */
export interface StarNext {
  level: number;
  /** Minutes still to serve; 0 when they are served and only the quality condition holds the level back. */
  minutesToGo: number;
  /** Whether the minutes are served and the quality condition alone holds the level back. */
  heldBackByQuality: boolean;
}

export function nextStar(thresholds: StarThresholdSet, tally: StarTally, level: number): StarNext | null {
  if (level >= TOP_STAR_LEVEL) return null;
  const minutesToGo = Math.max(0, minutesFor(thresholds, level + 1) - tally.serviceMinutes);
  return { level: level + 1, minutesToGo, heldBackByQuality: minutesToGo === 0 && !earns(thresholds, tally, level + 1) };
}

/**
 * The thresholds that apply at a home: those of the nearest region that
 * sets any, walking from the home up its ancestors (`chain`, root first,
 * ending with the home), or the national practice.
 */
export function nearestThresholds(chain: readonly string[], setBy: ReadonlyMap<string, StarThresholdSet>): StarThresholdSet {
  for (let index = chain.length - 1; index >= 0; index -= 1) {
    const found = setBy.get(chain[index] ?? '');
    if (found) return found;
  }
  return NATIONAL_STAR_THRESHOLDS;
}
