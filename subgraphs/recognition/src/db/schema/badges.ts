/** Badges: the kinds there are, and who holds which. */
import { sql } from 'drizzle-orm';
import { check, date, index, integer, jsonb, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { newId } from '@lianxin/shared';
import { recognition } from './base.js';

/** The badges there are. Reference data: the migration inserts the kinds every install needs. */
export const badgeKinds = recognition.table(
  'badge_kinds',
  {
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    description: text('description').notNull(),
  },
  (table) => [
    check('badge_kinds_code_not_blank', sql`length(trim(${table.code})) > 0`),
    check('badge_kinds_name_not_blank', sql`length(trim(${table.name})) > 0`),
    check('badge_kinds_description_not_blank', sql`length(trim(${table.description})) > 0`),
  ],
);

/** What a rule counts; each kind has its own parameters (the `badge_rules_parameters` check says which). */
export const BADGE_RULE_KINDS = ['team_served', 'services', 'activities', 'rating', 'hours', 'admin'] as const;
export type BadgeRuleKind = (typeof BADGE_RULE_KINDS)[number];

/** The calendar periods (Beijing) a periodic rule awards in again. */
export const BADGE_RULE_PERIODS = ['month', 'quarter', 'year'] as const;
export type BadgeRulePeriod = (typeof BADGE_RULE_PERIODS)[number];

/**
 * Badge rules (docs/recognition.md, "Badges"): when a kind of badge is
 * awarded. Parameters are typed columns; which of them a kind takes, and
 * their ranges, the database checks per kind, so a rule that could never be
 * evaluated is never stored. A rule is scoped to a region subtree
 * (`region_id`: only tallies placed there count) or to a head bank's
 * customers (`bank_id`), or to everything (neither); it awards while the
 * Beijing day is within `valid_from`..`valid_to`, and with a `period` again
 * each calendar period. Rules are retired, never deleted: awards keep
 * pointing at the rule that earned them.
 */
export const badgeRules = recognition.table(
  'badge_rules',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    badgeCode: text('badge_code')
      .notNull()
      .references(() => badgeKinds.code),
    kind: text('kind').$type<BadgeRuleKind>().notNull(),
    /** team_served: services with the team; services / activities: how many; rating: ratings at least. */
    minCount: integer('min_count'),
    /** hours: minutes at least (hours are minutes: 100 hours is 6,000). */
    minMinutes: integer('min_minutes'),
    /** rating: the average at least, in hundredths (450 is 4.50), compared exactly as `rating_sum * 100 >= x * ratings`. */
    minAverageHundredths: integer('min_average_hundredths'),
    /** services: a rolling window of the last N Beijing days ending on the day served. */
    windowDays: integer('window_days'),
    period: text('period').$type<BadgeRulePeriod>(),
    /** Scope: a people Region subtree, or a head bank's customers; neither is everywhere. */
    regionId: uuid('region_id'),
    bankId: uuid('bank_id'),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validTo: date('valid_to', { mode: 'string' }),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    retiredAt: timestamp('retired_at', { withTimezone: true }),
    retiredBy: text('retired_by'),
    retireReason: text('retire_reason'),
    /** Backfill progress: persons evaluated against the tallies so far, and the last of them (persons in id order). */
    backfillDoneAt: timestamp('backfill_done_at', { withTimezone: true }),
    backfillCursor: uuid('backfill_cursor'),
    backfillPersons: integer('backfill_persons').notNull().default(0),
    backfillAwards: integer('backfill_awards').notNull().default(0),
  },
  (table) => [
    check('badge_rules_kind_known', sql`${table.kind} in ('team_served', 'services', 'activities', 'rating', 'hours', 'admin')`),
    check('badge_rules_period_known', sql`${table.period} is null or ${table.period} in ('month', 'quarter', 'year')`),
    check('badge_rules_one_scope', sql`${table.regionId} is null or ${table.bankId} is null`),
    check('badge_rules_validity', sql`${table.validTo} is null or ${table.validTo} >= ${table.validFrom}`),
    check(
      'badge_rules_parameters',
      sql`case ${table.kind}
        when 'team_served' then ${table.minCount} > 0 and ${table.minMinutes} is null and ${table.minAverageHundredths} is null and ${table.windowDays} is null
        when 'services' then ${table.minCount} > 0 and ${table.minMinutes} is null and ${table.minAverageHundredths} is null
          and (${table.windowDays} is null or (${table.windowDays} between 1 and 366 and ${table.period} is null))
        when 'activities' then ${table.minCount} > 0 and ${table.minMinutes} is null and ${table.minAverageHundredths} is null and ${table.windowDays} is null
        when 'rating' then ${table.minCount} > 0 and ${table.minAverageHundredths} between 100 and 500 and ${table.minMinutes} is null and ${table.windowDays} is null
        when 'hours' then ${table.minMinutes} > 0 and ${table.minCount} is null and ${table.minAverageHundredths} is null and ${table.windowDays} is null
        when 'admin' then ${table.minCount} is null and ${table.minMinutes} is null and ${table.minAverageHundredths} is null and ${table.windowDays} is null
      end`,
    ),
    check('badge_rules_retired_with_reason', sql`(${table.retiredAt} is null) = (${table.retireReason} is null)`),
    index('badge_rules_kind_idx')
      .on(table.kind)
      .where(sql`${table.retiredAt} is null`),
  ],
);

/**
 * Badges held, append-only. `holder_id` is a people-subgraph Person id: no
 * foreign key, since that table lives in another subgraph's schema (and
 * maybe database). An award made by a rule names the rule, the first day of
 * the period it was earned in (null for a rule without a period) and the
 * tally that earned it; a person holds each (rule, period) once. Awards made
 * before rules were data (`team_joined`, on joining a team) name no rule and
 * stay as they were.
 */
export const badgeAwards = recognition.table(
  'badge_awards',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    badgeCode: text('badge_code')
      .notNull()
      .references(() => badgeKinds.code),
    holderId: uuid('holder_id').notNull(),
    awardedAt: timestamp('awarded_at', { withTimezone: true }).notNull().defaultNow(),
    ruleId: uuid('rule_id').references(() => badgeRules.id),
    periodStart: date('period_start', { mode: 'string' }),
    /** What earned it, as evaluated: the figures the rule compared (see `BadgeTallySnapshot`). */
    tally: jsonb('tally').$type<BadgeTallySnapshot>(),
    /** An admin's award: who, and why. */
    awardedBy: text('awarded_by'),
    reason: text('reason'),
  },
  (table) => [
    // Once per (person, rule, period): concurrent evaluations of one person insert one row. A rule without a period
    // has a null period_start, counted as one period by the coalesce.
    uniqueIndex('badge_awards_rule_holder_period_unique')
      .on(table.ruleId, table.holderId, sql`coalesce(${table.periodStart}, '0001-01-01'::date)`)
      .where(sql`${table.ruleId} is not null`),
    // Awards made before rules were data: one per kind and holder, as then.
    uniqueIndex('badge_awards_badge_holder_unique')
      .on(table.badgeCode, table.holderId)
      .where(sql`${table.ruleId} is null`),
    index('badge_awards_holder_awarded_idx').on(table.holderId, table.awardedAt, table.id),
    check('badge_awards_admin_reason', sql`(${table.awardedBy} is null) = (${table.reason} is null)`),
  ],
);

/** Revocations: an admin takes a badge back, with a reason. The award stays; the person no longer shows it. */
export const badgeRevocations = recognition.table(
  'badge_revocations',
  {
    awardId: uuid('award_id')
      .primaryKey()
      .references(() => badgeAwards.id),
    revokedBy: text('revoked_by').notNull(),
    reason: text('reason').notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [check('badge_revocations_reason_not_blank', sql`length(trim(${table.reason})) > 0`)],
);

/** Who joined which team (people's `team_member.added`), for the rule "joined a team and served with it". */
export const teamMemberships = recognition.table(
  'team_memberships',
  {
    teamId: uuid('team_id').notNull(),
    personId: uuid('person_id').notNull(),
    joinedAt: timestamp('joined_at', { withTimezone: true }).notNull(),
  },
  (table) => [primaryKey({ name: 'team_memberships_pk', columns: [table.personId, table.teamId] })],
);

/** The figures a rule compared when it awarded: only those of its kind are present. */
export interface BadgeTallySnapshot {
  services?: number;
  activities?: number;
  minutes?: number;
  ratings?: number;
  ratingSum?: number;
  teamId?: string;
}

export type BadgeKindRow = typeof badgeKinds.$inferSelect;
export type BadgeAwardRow = typeof badgeAwards.$inferSelect;
export type BadgeRuleRow = typeof badgeRules.$inferSelect;
export type BadgeRevocationRow = typeof badgeRevocations.$inferSelect;
/** An award joined with its kind's name and description: what a Badge shows. */
export type BadgeRow = BadgeAwardRow & Pick<BadgeKindRow, 'name' | 'description'> & { revokedAt: Date | null };
