/**
 * Evaluating badge rules (db/schema/badges.ts) against the read model by
 * period: when a person's tallies change, in the consumer's transaction, and
 * for a rule's backfill over the tallies that exist. Each rule's figures are
 * one indexed read of the person's cells (a rolling window, of the
 * statistics' service facts, which keep the day). An award is inserted once
 * per (person, rule, period): the unique index makes a second evaluation of
 * the same facts, concurrent or later, insert nothing.
 */
import { and, asc, eq, gt, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Executor, type Transaction } from '@lianxin/shared';
import { badgeAwards, badgeRules, personMonthTallies, type BadgeAwardRow, type BadgeRuleKind, type BadgeRuleRow, type BadgeTallySnapshot } from '../db/schema.js';
import { badgeAwarded } from '../events/publish.js';
import { beijingDayOf } from '../stats/facts.js';

/** What changed in a person's tallies; only rules of the kinds it can affect are evaluated. */
export type TallyChange = 'service' | 'rating' | 'team_joined';

const KINDS_CHANGED_BY: Record<TallyChange, readonly BadgeRuleKind[]> = {
  service: ['team_served', 'services', 'activities', 'hours'],
  rating: ['rating'],
  team_joined: ['team_served'],
};

export interface TallyChanged {
  personId: string;
  change: TallyChange;
  /** When it happened (served, rated, joined): the day the validity and the period are taken from. */
  at: Date;
  /** The place of the change and every region above it; empty when it has none (a team joined). */
  regionPath: readonly string[];
}

/** A calendar period: its first day, and the first day after it. */
export interface Period {
  start: string;
  end: string;
}

const firstOfMonth = (year: number, month: number): string => {
  const date = new Date(Date.UTC(year, month - 1, 1));
  return date.toISOString().slice(0, 10);
};

/** The period of `rule` holding the Beijing day `day`; null for a rule without a period. */
export function periodOf(rule: Pick<BadgeRuleRow, 'period'>, day: string): Period | null {
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7));
  switch (rule.period) {
    case 'month':
      return { start: firstOfMonth(year, month), end: firstOfMonth(year, month + 1) };
    case 'quarter': {
      const first = Math.floor((month - 1) / 3) * 3 + 1;
      return { start: firstOfMonth(year, first), end: firstOfMonth(year, first + 3) };
    }
    case 'year':
      return { start: firstOfMonth(year, 1), end: firstOfMonth(year + 1, 1) };
    default:
      return null;
  }
}

/** The rules of `kinds` that award on `day`: not retired, and valid that day. */
export function rulesInForce(db: Executor, kinds: readonly BadgeRuleKind[], day: string): Promise<BadgeRuleRow[]> {
  return db
    .select()
    .from(badgeRules)
    .where(
      and(isNull(badgeRules.retiredAt), inArray(badgeRules.kind, [...kinds]), lte(badgeRules.validFrom, day), or(isNull(badgeRules.validTo), sql`${badgeRules.validTo} >= ${day}`)),
    )
    .orderBy(asc(badgeRules.createdAt), asc(badgeRules.id));
}

/** The person is a customer of one of the head bank's savings offices. */
const customerOfBank = (personId: string, bankId: string): SQL =>
  sql`exists (select 1 from recognition.customer_offices co
              join recognition.office_indicators oi on oi.office_id = co.office_id
              where co.person_id = ${personId} and oi.bank_id = ${bankId})`;

/** The conditions on a person's cells (`alias`) of the rule's scope and period. */
function cellConditions(rule: BadgeRuleRow, personId: string, period: Period | null, alias: string): SQL {
  const cell = sql.raw(alias);
  const conditions: SQL[] = [sql`${cell}.person_id = ${personId}`];
  if (period) conditions.push(sql`${cell}.month >= ${period.start} and ${cell}.month < ${period.end}`);
  if (rule.regionId !== null) conditions.push(sql`${cell}.region_path @> array[${rule.regionId}::uuid]`);
  if (rule.bankId !== null) conditions.push(customerOfBank(personId, rule.bankId));
  return sql.join(conditions, sql` and `);
}

/** The day `days - 1` days before `day`: the first day of a rolling window of `days` days ending on `day`. */
const windowStart = (day: string, days: number): string => new Date(Date.parse(`${day}T00:00:00Z`) - (days - 1) * 86_400_000).toISOString().slice(0, 10);

/**
 * The figures `rule` compares for `personId` as of Beijing day `day` (its
 * period, or its rolling window ending that day), when they meet the rule;
 * null when they do not. Exact: minutes against minutes, an average as
 * `rating_sum * 100 >= hundredths * ratings`.
 */
export async function earnedTally(db: Executor, rule: BadgeRuleRow, personId: string, day: string): Promise<BadgeTallySnapshot | null> {
  const period = periodOf(rule, day);
  if (rule.kind === 'admin') return null;
  if (rule.kind === 'team_served') {
    // Joined a team and served with it: the services of one team the person is a member of.
    const [best] = await rowsOf<{ team_id: string; services: number }>(
      db,
      sql`select t.team_id, sum(t.services)::int as services
          from recognition.person_month_tallies t
          join recognition.team_memberships m on m.team_id = t.team_id and m.person_id = t.person_id
          where ${cellConditions(rule, personId, period, 't')}
          group by t.team_id
          having sum(t.services) >= ${rule.minCount}
          order by services desc, t.team_id
          limit 1`,
    );
    return best ? { teamId: best.team_id, services: best.services } : null;
  }
  if (rule.kind === 'services' && rule.windowDays !== null) {
    // A rolling window: the statistics' facts keep each service's day; a reversal counts against its original.
    const scope = [
      rule.regionId === null ? sql`true` : sql`f.region_path @> array[${rule.regionId}::uuid]`,
      rule.bankId === null ? sql`true` : customerOfBank(personId, rule.bankId),
    ];
    const [row] = await rowsOf<{ services: number }>(
      db,
      sql`select (count(*) filter (where f.reverses_id is null) - count(*) filter (where f.reverses_id is not null))::int as services
          from recognition.service_facts f
          where f.volunteer_id = ${personId} and f.served_on between ${windowStart(day, rule.windowDays)} and ${day}
            and ${sql.join(scope, sql` and `)}`,
    );
    const services = row?.services ?? 0;
    return services >= (rule.minCount ?? Infinity) ? { services } : null;
  }
  const [sums] = await rowsOf<{ services: number; activities: number; minutes: number; ratings: number; rating_sum: number }>(
    db,
    sql`select coalesce(sum(c.services), 0)::int as services, coalesce(sum(c.activities), 0)::int as activities,
               coalesce(sum(c.service_minutes), 0)::int as minutes, coalesce(sum(c.ratings), 0)::int as ratings,
               coalesce(sum(c.rating_sum), 0)::int as rating_sum
        from ${personMonthTallies} c
        where ${cellConditions(rule, personId, period, 'c')}`,
  );
  if (!sums) return null;
  switch (rule.kind) {
    case 'services':
      return sums.services >= (rule.minCount ?? Infinity) ? { services: sums.services } : null;
    case 'activities':
      return sums.activities >= (rule.minCount ?? Infinity) ? { activities: sums.activities } : null;
    case 'hours':
      return sums.minutes >= (rule.minMinutes ?? Infinity) ? { minutes: sums.minutes } : null;
    case 'rating': {
      const enough = sums.ratings >= (rule.minCount ?? Infinity) && sums.rating_sum * 100 >= (rule.minAverageHundredths ?? Infinity) * sums.ratings;
      return enough ? { ratings: sums.ratings, ratingSum: sums.rating_sum } : null;
    }
  }
}

/**
 * Appends an award unless the person already holds the rule's badge for the
 * period (the unique index: another transaction evaluating the same person
 * at the same moment inserts nothing either). Only a new award is announced.
 */
export async function appendAward(
  tx: Transaction,
  award: { rule: BadgeRuleRow; holderId: string; periodStart: string | null; awardedAt: Date; tally: BadgeTallySnapshot | null; awardedBy?: string; reason?: string },
): Promise<BadgeAwardRow | null> {
  const [row] = await tx
    .insert(badgeAwards)
    .values({
      badgeCode: award.rule.badgeCode,
      holderId: award.holderId,
      awardedAt: award.awardedAt,
      ruleId: award.rule.id,
      periodStart: award.periodStart,
      tally: award.tally,
      awardedBy: award.awardedBy ?? null,
      reason: award.reason ?? null,
    })
    .onConflictDoNothing()
    .returning();
  if (row) await badgeAwarded(tx, row);
  return row ?? null;
}

/** Evaluates `rule` for one person as of `day` and appends the award it earns; the award, or null. */
export async function evaluateRule(tx: Transaction, rule: BadgeRuleRow, personId: string, day: string, awardedAt: Date): Promise<BadgeAwardRow | null> {
  const tally = await earnedTally(tx, rule, personId, day);
  if (!tally) return null;
  return appendAward(tx, { rule, holderId: personId, periodStart: periodOf(rule, day)?.start ?? null, awardedAt, tally });
}

/**
 * The consumer's one call after a person's tallies changed: the rules in
 * force whose kind the change can affect, and whose region holds the
 * change's place (a change with no place, a team joined, may concern any),
 * each evaluated as of the day it happened.
 */
export async function evaluateBadgeRules(tx: Transaction, changed: TallyChanged): Promise<BadgeAwardRow[]> {
  const day = beijingDayOf(changed.at);
  const rules = await rulesInForce(tx, KINDS_CHANGED_BY[changed.change], day);
  const awards: BadgeAwardRow[] = [];
  for (const rule of rules) {
    if (rule.regionId !== null && changed.regionPath.length > 0 && !changed.regionPath.includes(rule.regionId)) continue;
    const award = await evaluateRule(tx, rule, changed.personId, day, changed.at);
    if (award) awards.push(award);
  }
  return awards;
}

/** The rules whose backfill has not finished, oldest first. */
export function rulesToBackfill(db: Executor): Promise<BadgeRuleRow[]> {
  return db
    .select()
    .from(badgeRules)
    .where(and(isNull(badgeRules.backfillDoneAt), isNull(badgeRules.retiredAt)))
    .orderBy(asc(badgeRules.createdAt), asc(badgeRules.id));
}

/** The next `limit` persons with cells after `cursor`, in id order. */
export async function personsAfter(db: Executor, cursor: string | null, limit: number): Promise<string[]> {
  const rows = await db
    .selectDistinct({ personId: personMonthTallies.personId })
    .from(personMonthTallies)
    .where(cursor === null ? undefined : gt(personMonthTallies.personId, cursor))
    .orderBy(asc(personMonthTallies.personId))
    .limit(limit);
  return rows.map((row) => row.personId);
}

/** The first day of each period of `rule` in which the person has cells, within the rule's validity up to `today`. */
export async function periodsWithCells(db: Executor, rule: BadgeRuleRow, personId: string, today: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ month: personMonthTallies.month })
    .from(personMonthTallies)
    .where(eq(personMonthTallies.personId, personId))
    .orderBy(asc(personMonthTallies.month));
  const last = rule.validTo !== null && rule.validTo < today ? rule.validTo : today;
  const starts = new Set<string>();
  for (const { month } of rows) {
    const period = periodOf(rule, month);
    if (period && period.end > rule.validFrom && period.start <= last) starts.add(period.start);
  }
  return [...starts];
}

/** Records a backfill batch's progress: the last person evaluated, and the counts so far; done when the batch was the last. */
export async function recordBackfillProgress(tx: Transaction, ruleId: string, progress: { cursor: string | null; persons: number; awards: number; done: boolean }): Promise<void> {
  await tx
    .update(badgeRules)
    .set({
      backfillCursor: progress.cursor,
      backfillPersons: sql`${badgeRules.backfillPersons} + ${progress.persons}`,
      backfillAwards: sql`${badgeRules.backfillAwards} + ${progress.awards}`,
      backfillDoneAt: progress.done ? sql`now()` : null,
    })
    .where(eq(badgeRules.id, ruleId));
}
