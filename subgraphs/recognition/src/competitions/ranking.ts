/**
 * How a stage ranks its projects (docs/recognition.md, "Service projects and
 * competitions"). A judge's score of a project is the weighted sum of their
 * latest criterion scores (weight × score, a criterion they did not score
 * counting 0): 0–10,000 hundredths of a point, the weights adding up to 100.
 * The project's score is the average over the judges who scored it (0 when
 * none did), compared exactly as a fraction. Ties are broken by the
 * project's measured minutes at the close (more first), then by the earlier
 * application, then by the project id: every position is unique.
 */
import type { AwardLevel } from '../db/schema.js';

/** A project taking part in a stage, with what breaks ties. */
export interface Entrant {
  projectId: string;
  appliedAt: Date;
  minutes: number;
}

/** A latest score: judge, project, criterion and the value. */
export interface LatestScore {
  judgeId: string;
  projectId: string;
  criterionId: string;
  score: number;
}

/** One ranked project: its position, its score (sum over judges of their weighted totals, and how many judges), and its minutes. */
export interface Ranked extends Entrant {
  position: number;
  total: number;
  judges: number;
  /** The average in hundredths, rounded down: what is shown and stored. */
  scoreHundredths: number;
}

/** Each project's weighted totals summed over its judges, and how many judges scored it. */
function totalsOf(scores: readonly LatestScore[], weights: ReadonlyMap<string, number>): Map<string, { total: number; judges: Set<string> }> {
  const totals = new Map<string, { total: number; judges: Set<string> }>();
  for (const score of scores) {
    const entry = totals.get(score.projectId) ?? { total: 0, judges: new Set<string>() };
    entry.total += (weights.get(score.criterionId) ?? 0) * score.score;
    entry.judges.add(score.judgeId);
    totals.set(score.projectId, entry);
  }
  return totals;
}

/** Compares two averages total/judges exactly, in integers (no judges: 0 over 1), higher first. */
function byScore(a: Ranked, b: Ranked): number {
  const [aTotal, aJudges] = a.judges === 0 ? [0, 1] : [a.total, a.judges];
  const [bTotal, bJudges] = b.judges === 0 ? [0, 1] : [b.total, b.judges];
  return bTotal * aJudges - aTotal * bJudges;
}

/** The tie rule: score, then measured minutes, then the earlier application, then the project id. */
export function compareRanked(a: Ranked, b: Ranked): number {
  return byScore(a, b) || b.minutes - a.minutes || a.appliedAt.getTime() - b.appliedAt.getTime() || (a.projectId < b.projectId ? -1 : a.projectId > b.projectId ? 1 : 0);
}

/** Ranks the entrants of a stage by their judges' latest scores; positions from 1, unique. */
export function rankEntrants(entrants: readonly Entrant[], scores: readonly LatestScore[], weights: ReadonlyMap<string, number>): Ranked[] {
  const totals = totalsOf(scores, weights);
  const ranked = entrants.map((entrant): Ranked => {
    const total = totals.get(entrant.projectId);
    const judges = total?.judges.size ?? 0;
    const sum = total?.total ?? 0;
    return { ...entrant, position: 0, total: sum, judges, scoreHundredths: judges === 0 ? 0 : Math.floor(sum / judges) };
  });
  ranked.sort(compareRanked);
  return ranked.map((entry, index) => ({ ...entry, position: index + 1 }));
}

/** The award level of each position in the final: gold to the first `gold`, silver to the next, and so on; null after. */
export function awardOf(position: number, counts: Record<AwardLevel, number>): AwardLevel | null {
  let upTo = 0;
  for (const level of ['gold', 'silver', 'bronze', 'excellence'] as const) {
    upTo += counts[level];
    if (position <= upTo) return level;
  }
  return null;
}
