/**
 * Leaderboards (排行榜): public recognition of persons, teams and savings
 * offices for a Beijing calendar period within a scope (docs/recognition.md,
 * "Leaderboards"). Anyone signed in may read them, as the honour roll; a
 * person appears by reference only (people shows the masked `displayName`),
 * and one who opted out of public leaderboards keeps their rank with no
 * reference at all. The SQL is in store.ts.
 */
import { BadInputError, hoursOf, isUuid, periodOf, requireSignedIn, type StatsPeriodModel, type TimeBucket } from '@lianxin/shared';
import type { RecognitionContext } from '../context.js';
import { calendarPeriodOf, type CalendarPeriod } from '../periods/calendar.js';
import { leaderboard, type BoardKind, type BoardRow, type BoardScope, type BoardSubject } from './store.js';

/** Ratings a person or team needs in the period to rank on the RATING board: one or two fives are luck, not a record. */
export const MINIMUM_RATINGS = 5;
/** More entries than a board shows. */
const MAX_ENTRIES = 100;

export interface LeaderboardEntryModel {
  rank: number;
  person: { id: string } | null;
  team: { id: string } | null;
  office: { id: string } | null;
  anonymous: boolean;
  value: number;
  ratings: number | null;
}

export interface LeaderboardModel {
  kind: BoardKind;
  subject: BoardSubject;
  period: StatsPeriodModel;
  minimumRatings: number | null;
  entries: LeaderboardEntryModel[];
}

export interface LeaderboardArgs {
  kind: BoardKind;
  subject: BoardSubject;
  period: { bucket: TimeBucket; start: string | Date };
  scope?: { region?: string | null; team?: string | null; bank?: string | null } | null;
  first?: number | null;
}

/** The period's months: a month, quarter or year named by its first day; offices are ranked by year. */
function periodMonthsOf(period: LeaderboardArgs['period'], subject: BoardSubject): CalendarPeriod {
  const months = calendarPeriodOf(period);
  if (subject === 'office' && months.bucket !== 'YEAR') throw new BadInputError('Offices are ranked by year: period.bucket must be YEAR.', 'period');
  return months;
}

/** At most one of region, team and bank, each an id; which fit the subject is decided here. */
function scopeOf(scope: LeaderboardArgs['scope'], subject: BoardSubject): BoardScope {
  const given = Object.entries(scope ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
  if (given.length > 1) throw new BadInputError('scope takes one of region, team and bank.', 'scope');
  const [entry] = given;
  if (!entry) return null;
  const [field, id] = entry;
  if (!isUuid(id)) throw new BadInputError(`scope.${field} is not an id.`, 'scope');
  if (subject === 'office' && field !== 'bank') throw new BadInputError('Offices are scoped by bank only.', 'scope');
  if (subject === 'team' && field === 'bank') throw new BadInputError('Teams are scoped by region or team, not bank.', 'scope');
  const value = id.toLowerCase();
  return field === 'region' ? { region: value } : field === 'team' ? { team: value } : { bank: value };
}

/** Rounds to two decimals, as the other averages and hours of the graph. */
const twoDecimals = (value: number): number => Math.round(value * 100) / 100;

/** A ranked row as a board shows it: a person who opted out by no reference at all, the value in the kind's unit. */
export function toLeaderboardEntry(subject: BoardSubject, kind: BoardKind, row: BoardRow): LeaderboardEntryModel {
  const reference = row.optedOut ? null : { id: row.subjectId };
  return {
    rank: row.rank,
    person: subject === 'person' ? reference : null,
    team: subject === 'team' ? { id: row.subjectId } : null,
    office: subject === 'office' ? { id: row.subjectId } : null,
    anonymous: row.optedOut,
    value: kind === 'hours' ? hoursOf(row.value) : kind === 'rating' ? twoDecimals(row.value / row.ratings) : row.value,
    ratings: kind === 'rating' ? row.ratings : null,
  };
}

export async function leaderboardOf(ctx: RecognitionContext, args: LeaderboardArgs): Promise<LeaderboardModel> {
  requireSignedIn(ctx.viewer, 'see the leaderboard');
  const first = args.first ?? 10;
  if (!Number.isInteger(first) || first < 1 || first > MAX_ENTRIES) throw new BadInputError(`first must be between 1 and ${MAX_ENTRIES}.`, 'first');
  const { kind, subject } = args;
  // An office's year holds no services or ratings (docs/recognition.md, "Subjects and scopes").
  if (subject === 'office' && (kind === 'services' || kind === 'rating')) throw new BadInputError('Offices are ranked on HOURS and POINTS.', 'kind');
  const months = periodMonthsOf(args.period, subject);
  const scope = scopeOf(args.scope, subject);
  const board = await leaderboard(ctx.db, { kind, subject, scope, ...months, minimumRatings: MINIMUM_RATINGS, first });
  // An unknown region or head bank is the caller's mistake, like a malformed id, not an empty board.
  if (!board.scopeKnown) throw new BadInputError(scope && 'bank' in scope ? 'scope.bank names no head bank.' : 'scope.region names no region.', 'scope');
  return {
    kind,
    subject,
    period: periodOf(args.period.bucket, months.fromMonth),
    minimumRatings: kind === 'rating' ? MINIMUM_RATINGS : null,
    entries: board.rows.map((row) => toLeaderboardEntry(subject, kind, row)),
  };
}
