/**
 * What admins do with badges: rules created and retired, badges awarded by
 * hand and revoked, each with a reason and in one transaction. Platform
 * admins act on every rule; station and community admins on rules scoped to
 * their regions (access.ts, `administersScope`). Awards and revocations are
 * appended, never changed: a revoked badge keeps its award row beside the
 * revocation.
 */
import { z } from 'zod';
import { idInput, inTransaction, isPlatformAdmin, parseInput, refuse, refused, requireRoles, textInput, userError, type Result } from '@lianxin/shared';
import { administersScope, BADGE_ADMIN_ROLES } from '../access.js';
import type { RecognitionContext } from '../context.js';
import { BADGE_RULE_KINDS, BADGE_RULE_PERIODS, type BadgeRow, type BadgeRuleRow } from '../db/schema.js';
import { beijingDayOf } from '../stats/facts.js';
import { appendAward, periodOf } from './rules.js';
import { findBadgeKind, findBadgeRules, findRegionPath, insertBadgeKind, insertBadgeRule, insertRevocation, retireBadgeRule } from './store.js';

const WHAT = 'manage badges';
const day = z.iso.date();
const count = z.number().int().min(1).max(100_000);

const ruleCreateInput = z
  .object({
    code: z
      .string()
      .trim()
      .regex(/^[a-z][a-z0-9_]{1,39}$/, 'must be 2 to 40 lower-case letters, digits or underscores, starting with a letter.'),
    name: textInput(40).nullish(),
    description: textInput(500).nullish(),
    kind: z.enum(BADGE_RULE_KINDS),
    minCount: count.nullish(),
    minMinutes: z.number().int().min(1).max(10_000_000).nullish(),
    minAverageRating: z
      .number()
      .min(1)
      .max(5)
      .refine((value) => Math.abs(value * 100 - Math.round(value * 100)) < 1e-9, 'must have two decimals at most.')
      .nullish(),
    windowDays: z.number().int().min(1).max(366).nullish(),
    period: z.enum(BADGE_RULE_PERIODS).nullish(),
    region: idInput('a region').nullish(),
    bank: idInput('a bank unit').nullish(),
    validFrom: day.nullish(),
    validTo: day.nullish(),
  })
  .superRefine((input, context) => {
    const needs = (field: 'minCount' | 'minMinutes' | 'minAverageRating', wanted: boolean) => {
      const given = input[field] !== null && input[field] !== undefined;
      if (given !== wanted) context.addIssue({ code: 'custom', path: [field], message: wanted ? `is required for ${input.kind}.` : `does not apply to ${input.kind}.` });
    };
    needs('minCount', ['team_served', 'services', 'activities', 'rating'].includes(input.kind));
    needs('minMinutes', input.kind === 'hours');
    needs('minAverageRating', input.kind === 'rating');
    if (input.windowDays != null && (input.kind !== 'services' || input.period != null)) {
      context.addIssue({ code: 'custom', path: ['windowDays'], message: 'applies to services without a period only.' });
    }
    if (input.region != null && input.bank != null) context.addIssue({ code: 'custom', path: ['bank'], message: 'cannot be given with a region: a rule has one scope.' });
    if (input.validFrom != null && input.validTo != null && input.validTo < input.validFrom)
      context.addIssue({ code: 'custom', path: ['validTo'], message: 'is before validFrom.' });
  });

/** The rules, newest first (`active` as `findBadgeRules` takes it). */
export function listBadgeRules(ctx: RecognitionContext, active: boolean | null | undefined): Promise<BadgeRuleRow[]> {
  return findBadgeRules(ctx.db, { active, today: beijingDayOf(new Date()) });
}

/** Whether the viewer administers a rule scoped to `regionId` (null: a bank's or everywhere). */
async function administers(ctx: RecognitionContext, regionId: string | null): Promise<boolean> {
  if (isPlatformAdmin(ctx.viewer)) return true;
  return administersScope(ctx.viewer, regionId, regionId === null ? null : await findRegionPath(ctx.db, regionId));
}

export async function createBadgeRule(ctx: RecognitionContext, input: unknown): Promise<Result<BadgeRuleRow>> {
  const createdBy = requireRoles(ctx.viewer, BADGE_ADMIN_ROLES, WHAT);
  const parsed = parseInput(ruleCreateInput, input);
  if (!parsed.ok) return parsed;
  const rule = parsed.value;
  if (!(await administers(ctx, rule.region ?? null)) || (rule.bank != null && !isPlatformAdmin(ctx.viewer))) {
    return refused(
      userError(
        ['input', rule.bank == null ? 'region' : 'bank'],
        'NOT_ALLOWED',
        'Only platform admins create rules for a bank or everywhere; station and community admins for a region of their scope.',
      ),
    );
  }
  const today = beijingDayOf(new Date());
  return inTransaction(ctx, async (tx) => {
    const kind = await findBadgeKind(tx, rule.code);
    if (!kind) {
      if (!rule.name) refuse(['input', 'name'], 'REQUIRED', 'name is required for a new badge code.');
      if (!rule.description) refuse(['input', 'description'], 'REQUIRED', 'description is required for a new badge code.');
      await insertBadgeKind(tx, { code: rule.code, name: rule.name, description: rule.description });
    }
    return insertBadgeRule(tx, {
      badgeCode: rule.code,
      kind: rule.kind,
      minCount: rule.minCount ?? null,
      minMinutes: rule.minMinutes ?? null,
      minAverageHundredths: rule.minAverageRating == null ? null : Math.round(rule.minAverageRating * 100),
      windowDays: rule.windowDays ?? null,
      period: rule.period ?? null,
      regionId: rule.region ?? null,
      bankId: rule.bank ?? null,
      validFrom: rule.validFrom ?? today,
      validTo: rule.validTo ?? null,
      createdBy,
      // An admin rule awards by hand only: nothing to backfill.
      backfillDoneAt: rule.kind === 'admin' ? new Date() : null,
    });
  });
}

const reason = textInput(500);
const ruleRetireInput = z.object({ rule: idInput('a badge rule'), reason });

/** The rule named by an input, if the viewer administers it. Rules are public, so one out of scope is NOT_ALLOWED, not hidden. */
async function ruleToAdminister(ctx: RecognitionContext, id: string): Promise<Result<BadgeRuleRow>> {
  const rule = await ctx.loaders.badgeRuleById.load(id);
  if (!rule) return refused(userError(['input', 'rule'], 'NOT_FOUND', 'There is no such badge rule.'));
  if (!(await administers(ctx, rule.regionId))) return refused(userError(['input', 'rule'], 'NOT_ALLOWED', "Only the admins of the rule's scope manage it."));
  return { ok: true, value: rule };
}

export async function retireRule(ctx: RecognitionContext, input: unknown): Promise<Result<BadgeRuleRow>> {
  const by = requireRoles(ctx.viewer, BADGE_ADMIN_ROLES, WHAT);
  const parsed = parseInput(ruleRetireInput, input);
  if (!parsed.ok) return parsed;
  const rule = await ruleToAdminister(ctx, parsed.value.rule);
  if (!rule.ok) return rule;
  return inTransaction(ctx, async (tx) => {
    const retired = await retireBadgeRule(tx, { ruleId: rule.value.id, by, reason: parsed.value.reason });
    return retired ?? refuse(['input', 'rule'], 'INVALID_STATE', 'The rule is already retired.');
  });
}

const awardInput = z.object({ rule: idInput('a badge rule'), person: idInput('a person'), reason });

export async function awardByHand(ctx: RecognitionContext, input: unknown): Promise<Result<BadgeRow>> {
  const by = requireRoles(ctx.viewer, BADGE_ADMIN_ROLES, WHAT);
  const parsed = parseInput(awardInput, input);
  if (!parsed.ok) return parsed;
  const rule = await ruleToAdminister(ctx, parsed.value.rule);
  if (!rule.ok) return rule;
  if (rule.value.kind !== 'admin') return refused(userError(['input', 'rule'], 'INVALID', 'Only an ADMIN rule awards by hand; the others award from the tallies.'));
  const now = new Date();
  const today = beijingDayOf(now);
  if (rule.value.retiredAt !== null || rule.value.validFrom > today || (rule.value.validTo !== null && rule.value.validTo < today)) {
    return refused(userError(['input', 'rule'], 'INVALID_STATE', 'The rule is not in force today.'));
  }
  const awarded = await inTransaction(ctx, async (tx) => {
    const award = await appendAward(tx, {
      rule: rule.value,
      holderId: parsed.value.person.toLowerCase(),
      periodStart: periodOf(rule.value, today)?.start ?? null,
      awardedAt: now,
      tally: null,
      awardedBy: by,
      reason: parsed.value.reason,
    });
    return award ?? refuse(['input', 'person'], 'ALREADY_EXISTS', 'The person already holds this badge for the period.');
  });
  if (!awarded.ok) return awarded;
  const badge = await ctx.loaders.badgeById.load(awarded.value.id);
  return badge ? { ok: true, value: badge } : refused(userError(['input', 'rule'], 'NOT_FOUND', 'The badge is gone.'));
}

const revokeInput = z.object({ badge: idInput('a badge'), reason });

export async function revoke(ctx: RecognitionContext, input: unknown): Promise<Result<BadgeRow>> {
  const by = requireRoles(ctx.viewer, BADGE_ADMIN_ROLES, WHAT);
  const parsed = parseInput(revokeInput, input);
  if (!parsed.ok) return parsed;
  const badge = await ctx.loaders.badgeById.load(parsed.value.badge);
  if (!badge) return refused(userError(['input', 'badge'], 'NOT_FOUND', 'There is no such badge.'));
  const rule = badge.ruleId === null ? null : await ctx.loaders.badgeRuleById.load(badge.ruleId);
  if (!(await administers(ctx, rule ? rule.regionId : null))) return refused(userError(['input', 'badge'], 'NOT_ALLOWED', "Only the admins of the badge rule's scope revoke it."));
  const revoked = await inTransaction(ctx, async (tx) => {
    if (!(await insertRevocation(tx, { awardId: badge.id, revokedBy: by, reason: parsed.value.reason })))
      refuse(['input', 'badge'], 'INVALID_STATE', 'The badge is already revoked.');
    return badge.id;
  });
  if (!revoked.ok) return revoked;
  const fresh = await ctx.loaders.badgeById.load(badge.id);
  return fresh ? { ok: true, value: fresh } : refused(userError(['input', 'badge'], 'NOT_FOUND', 'There is no such badge.'));
}
