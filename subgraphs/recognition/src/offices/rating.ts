/**
 * The savings offices' yearly star rating (储蓄所星级考核) on the article's
 * five indicators, as pure arithmetic: the same function rates a bank's
 * offices provisionally during the year and for good when the year closes
 * (docs/recognition.md, "Office star ratings").
 *
 * Each indicator scores `weight × value ÷ best`, the best office of the bank
 * in the year setting the scale (an indicator nobody has scores 0 for all).
 * Scores are kept in hundredths of a point, rounded down per indicator, so
 * the arithmetic is exact integers and a threshold is met or not without
 * floating-point doubt. Offices rank by score (equal scores share a rank);
 * an office earns the highest level whose threshold its score reaches and
 * whose quota still has room for it and every office sharing its rank, and
 * never more stars than an office ranked above it.
 */

/** The five indicators, in the article's order. */
export const OFFICE_INDICATORS = ['accounts_registered', 'service_hours', 'projects', 'points_redeemed', 'merchants_recruited'] as const;
export type OfficeIndicator = (typeof OFFICE_INDICATORS)[number];

/** One office's year on the five indicators; service in minutes, so the hours are exact. */
export interface OfficeYearFigures {
  officeId: string;
  accountsOpened: number;
  serviceMinutes: number;
  projects: number;
  pointsRedeemed: number;
  merchantsJoined: number;
}

/** How a bank rates: whole-percent weights adding up to 100, the score each level needs, and how many offices may hold it. */
export interface OfficeRatingRules {
  weights: Record<OfficeIndicator, number>;
  /** Scores (0–100) for levels 1 to 5. */
  thresholds: readonly [number, number, number, number, number];
  /** Offices allowed at levels 1 to 5; null: no limit. */
  quotas: readonly [number | null, number | null, number | null, number | null, number | null];
}

/** The rules of a bank that set none: every indicator alike, stars at 20, 40, 60, 75 and 90 points, no quotas. */
export const DEFAULT_OFFICE_RATING_RULES: OfficeRatingRules = {
  weights: { accounts_registered: 20, service_hours: 20, projects: 20, points_redeemed: 20, merchants_recruited: 20 },
  thresholds: [20, 40, 60, 75, 90],
  quotas: [null, null, null, null, null],
};

/** One indicator as scored: the office's value, the bank's best, the weight and the score in hundredths. */
export interface ScoredIndicator {
  name: OfficeIndicator;
  /** Minutes for service hours; counts or points otherwise. */
  value: number;
  best: number;
  weight: number;
  scoreHundredths: number;
}

export interface OfficeRatingResult {
  officeId: string;
  stars: number;
  rank: number;
  offices: number;
  scoreHundredths: number;
  indicators: ScoredIndicator[];
  explanation: string;
}

const valueOf = (figures: OfficeYearFigures, name: OfficeIndicator): number => {
  switch (name) {
    case 'accounts_registered':
      return figures.accountsOpened;
    case 'service_hours':
      return figures.serviceMinutes;
    case 'projects':
      return figures.projects;
    case 'points_redeemed':
      return figures.pointsRedeemed;
    case 'merchants_recruited':
      return figures.merchantsJoined;
  }
};

/** Hundredths as a score to show: `8235` → `82.35`. */
export const scoreOf = (hundredths: number): number => hundredths / 100;

const STAR_WORDS = ['no star', 'one star', 'two stars', 'three stars', 'four stars', 'five stars'] as const;

/** Rates every office of one bank in one year; the result in rank order (equal ranks by office id). */
export function rateOffices(figures: readonly OfficeYearFigures[], rules: OfficeRatingRules): OfficeRatingResult[] {
  const best = Object.fromEntries(OFFICE_INDICATORS.map((name) => [name, Math.max(0, ...figures.map((office) => valueOf(office, name)))])) as Record<OfficeIndicator, number>;
  const scored = figures.map((office) => {
    const indicators = OFFICE_INDICATORS.map((name): ScoredIndicator => {
      const value = valueOf(office, name);
      const weight = rules.weights[name];
      // weight × value ÷ best in hundredths, rounded down: integers throughout (values stay far below 2^53 / 10^4).
      const scoreHundredths = best[name] === 0 ? 0 : Math.floor((weight * 100 * value) / best[name]);
      return { name, value, best: best[name], weight, scoreHundredths };
    });
    return { officeId: office.officeId, indicators, scoreHundredths: indicators.reduce((sum, indicator) => sum + indicator.scoreHundredths, 0) };
  });
  scored.sort((a, b) => b.scoreHundredths - a.scoreHundredths || a.officeId.localeCompare(b.officeId));

  const held = [0, 0, 0, 0, 0, 0];
  // No office holds more stars than one ranked above it: a level a quota kept from better offices stays closed below them.
  let ceiling = 5;
  const results: OfficeRatingResult[] = [];
  for (let start = 0; start < scored.length;) {
    // The offices sharing this score share a rank, and a level: a quota either has room for all of them or for none.
    let end = start;
    while (end < scored.length && scored[end]!.scoreHundredths === scored[start]!.scoreHundredths) end += 1;
    const group = scored.slice(start, end);
    const score = group[0]!.scoreHundredths;
    const reached = [5, 4, 3, 2, 1].filter((level) => score >= rules.thresholds[level - 1]! * 100);
    const stars =
      reached.find((level) => {
        const quota = rules.quotas[level - 1];
        return level <= ceiling && (quota === null || quota === undefined || held[level]! + group.length <= quota);
      }) ?? 0;
    // Why each level it reaches above its stars was not its own: a full quota, or better offices kept from that level.
    const refused = reached
      .filter((level) => level > stars)
      .map((level) => {
        const quota = rules.quotas[level - 1];
        return { level, full: quota !== null && quota !== undefined && held[level]! + group.length > quota };
      });
    held[stars] = held[stars]! + group.length;
    ceiling = stars;
    for (const office of group) {
      results.push({
        ...office,
        stars,
        rank: start + 1,
        offices: scored.length,
        explanation: explain(rules, { score, rank: start + 1, offices: scored.length, stars, refused, shared: group.length }),
      });
    }
    start = end;
  }
  return results;
}

/** The sentence that says why an office holds its stars: its score and rank, the threshold met, the levels it was kept from. */
function explain(
  rules: OfficeRatingRules,
  rating: { score: number; rank: number; offices: number; stars: number; refused: { level: number; full: boolean }[]; shared: number },
): string {
  const parts = [
    `Score ${scoreOf(rating.score).toFixed(2)} of 100, rank ${rating.rank} of ${rating.offices} offices of the bank${rating.shared > 1 ? ` (shared by ${rating.shared})` : ''}.`,
  ];
  for (const { level, full } of rating.refused) {
    const quota = rules.quotas[level - 1];
    parts.push(
      `The score reaches the ${STAR_WORDS[level]} threshold (${rules.thresholds[level - 1]}), but ${
        full ? `the quota of ${quota} ${quota === 1 ? 'office' : 'offices'} at that level is full` : 'offices ranked above it were kept from that level by its quota'
      }.`,
    );
  }
  parts.push(
    rating.stars === 0
      ? rating.refused.length > 0
        ? 'No level it reaches has room: no star.'
        : `Below the one-star threshold (${rules.thresholds[0]}): no star.`
      : `${STAR_WORDS[rating.stars]!.replace(/^./, (first) => first.toUpperCase())}: the ${STAR_WORDS[rating.stars]} threshold is ${rules.thresholds[rating.stars - 1]}.`,
  );
  return parts.join(' ');
}
