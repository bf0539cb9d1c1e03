/**
 * SQL for leaderboards: one statement per board over the read model by
 * period (db/schema/periods.ts). The statement also says whether the scope
 * names something recognition knows, so a board and its scope's check are
 * one round trip; it ranks with `rank()`, so equal values share a rank.
 */
import { sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Executor } from '@lianxin/shared';
import { bankUnits, customerOffices, leaderboardOptOuts, officeIndicators, officeYearTallies, personMonthTallies, regionLevels, teamMonthTallies } from '../db/schema.js';

export type BoardKind = 'hours' | 'services' | 'rating' | 'points';
export type BoardSubject = 'person' | 'team' | 'office';
export type BoardScope = { region: string } | { team: string } | { bank: string } | null;

export interface BoardQuery {
  kind: BoardKind;
  subject: BoardSubject;
  scope: BoardScope;
  /** First month counted (`YYYY-MM-01`) and the first month no longer counted. */
  fromMonth: string;
  beforeMonth: string;
  /** The Beijing year, for offices. */
  year: number;
  minimumRatings: number;
  first: number;
}

export interface BoardRow {
  rank: number;
  subjectId: string;
  /** Minutes, services, points, or the rating sum. */
  value: number;
  ratings: number;
  optedOut: boolean;
}

export interface Board {
  /** Whether the scope names a region, team or head bank recognition knows; true without a scope. */
  scopeKnown: boolean;
  rows: BoardRow[];
}

/** The per-subject sums the board ranks: `subject_id, minutes, services, ratings, rating_sum, points`. */
function totalsOf(query: BoardQuery): SQL {
  const months = (month: SQL) => sql`${month} >= ${query.fromMonth}::date and ${month} < ${query.beforeMonth}::date`;
  const sums = (t: string) =>
    sql.raw(
      `sum(${t}.service_minutes)::bigint as minutes, sum(${t}.services)::bigint as services, sum(${t}.ratings)::bigint as ratings, sum(${t}.rating_sum)::bigint as rating_sum, sum(${t}.points_deposited)::bigint as points`,
    );
  const scope = query.scope;
  if (query.subject === 'person') {
    const where: SQL[] = [months(sql`p.month`)];
    if (scope && 'region' in scope) where.push(sql`p.region_path @> array[${scope.region}]::uuid[]`);
    if (scope && 'team' in scope) where.push(sql`p.team_id = ${scope.team}`);
    if (scope && 'bank' in scope) {
      where.push(sql`exists (select 1 from ${customerOffices} c join ${officeIndicators} o on o.office_id = c.office_id
                              where c.person_id = p.person_id and o.bank_id = ${scope.bank})`);
    }
    return sql`select p.person_id as subject_id, ${sums('p')} from ${personMonthTallies} p where ${sql.join(where, sql` and `)} group by p.person_id`;
  }
  if (query.subject === 'team') {
    // A team's months hold what its members served with it, and the ratings of requests it served alone too; a
    // region or team scope picks the teams (those that served in the region), the team's months give the figures.
    const where: SQL[] = [months(sql`t.month`)];
    if (scope && 'region' in scope) {
      where.push(sql`t.team_id in (select p.team_id from ${personMonthTallies} p where p.team_id is not null and ${months(sql`p.month`)}
                                      and p.region_path @> array[${scope.region}]::uuid[])`);
    }
    if (scope && 'team' in scope) where.push(sql`t.team_id = ${scope.team}`);
    return sql`select t.team_id as subject_id, ${sums('t')} from ${teamMonthTallies} t where ${sql.join(where, sql` and `)} group by t.team_id`;
  }
  const where: SQL[] = [sql`y.year = ${query.year}`];
  if (scope && 'bank' in scope) where.push(sql`y.bank_id = ${scope.bank}`);
  return sql`select y.office_id as subject_id, y.service_minutes::bigint as minutes, 0::bigint as services, 0::bigint as ratings,
                    0::bigint as rating_sum, y.points_deposited::bigint as points
               from ${officeYearTallies} y where ${sql.join(where, sql` and `)}`;
}

/** Whether the scope's region, team or head bank is one recognition has heard of. */
function scopeKnownOf(scope: BoardScope): SQL {
  if (scope === null) return sql`true`;
  if ('region' in scope) return sql`exists (select 1 from ${regionLevels} where region_id = ${scope.region})`;
  if ('bank' in scope) return sql`exists (select 1 from ${bankUnits} where unit_id = ${scope.bank} and kind = 'head_bank')`;
  // Recognition learns of a team by what it served: a team with nothing counted yet has an empty board.
  return sql`true`;
}

/** What ranks, for each kind; the RATING value is the rating sum, ranked by the average compared exactly as a fraction. */
const RANKED: Record<BoardKind, { value: string; order: string }> = {
  hours: { value: 'minutes', order: 'minutes desc' },
  services: { value: 'services', order: 'services desc' },
  points: { value: 'points', order: 'points desc' },
  rating: { value: 'rating_sum', order: '(rating_sum::numeric / ratings) desc' },
};

export async function leaderboard(db: Executor, query: BoardQuery): Promise<Board> {
  const ranked = RANKED[query.kind];
  // Only what counts: a value above zero (a fully reversed service ranks no one), or enough ratings for an average.
  const having = query.kind === 'rating' ? sql`ratings >= ${query.minimumRatings}` : sql.raw(`${ranked.value} > 0`);
  const optedOut = query.subject === 'person' ? sql`coalesce((select o.opted_out from ${leaderboardOptOuts} o where o.person_id = b.subject_id), false)` : sql`false`;
  const rows = await rowsOf<{ known: boolean; rank: number | null; subject_id: string | null; value: string | null; ratings: string | null; opted_out: boolean | null }>(
    db,
    sql`
    with totals as (${totalsOf(query)}),
    board as (
      select subject_id, ${sql.raw(ranked.value)} as value, ratings, rank() over (order by ${sql.raw(ranked.order)})::int as rank
        from totals where ${having}
       order by ${sql.raw(ranked.order)}, subject_id
       limit ${query.first}
    )
    select k.known, b.rank, b.subject_id, b.value, b.ratings, ${optedOut} as opted_out
      from (select ${scopeKnownOf(query.scope)} as known) k
      left join board b on k.known
     order by b.rank, b.subject_id`,
  );
  return {
    scopeKnown: rows[0]?.known ?? false,
    rows: rows
      .filter((row) => row.subject_id !== null)
      .map((row) => ({ rank: row.rank ?? 0, subjectId: row.subject_id ?? '', value: Number(row.value), ratings: Number(row.ratings), optedOut: row.opted_out ?? false })),
  };
}

/** Records a person's latest choice about public leaderboards (people's event, applied once, in order). */
export async function recordLeaderboardOptOut(tx: Executor, choice: { personId: string; optedOut: boolean; changedAt: Date }): Promise<void> {
  await tx
    .insert(leaderboardOptOuts)
    .values(choice)
    .onConflictDoUpdate({ target: leaderboardOptOuts.personId, set: { optedOut: choice.optedOut, changedAt: choice.changedAt } });
}
