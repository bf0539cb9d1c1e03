/** GraphQL resolvers for badges, badge kinds and the badges of a Person; thin, they hand over to the service. */
import { derivedId, toPayload } from '@lianxin/shared';
import { beijingDayOf } from '../stats/facts.js';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { awardByHand, createBadgeRule, listBadgeRules, retireRule, revoke } from './admin.js';
import { periodOf } from './rules.js';
import { badgesOf, getBadge, listBadgeKinds } from './service.js';

/** The last day of a period whose first day after is `end`. */
const dayBefore = (end: string): string => new Date(Date.parse(`${end}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

export const badgeResolvers: Resolvers = {
  Query: {
    badgeKinds: (_parent, _args, ctx) => listBadgeKinds(ctx),
    badge: (_parent, { id }, ctx) => getBadge(ctx, id),
    badgeRules: (_parent, { active }, ctx) => listBadgeRules(ctx, active),
  },
  Mutation: {
    badgeRuleCreate: async (_parent, { input }, ctx) => toPayload('badgeRule', await createBadgeRule(ctx, input)),
    badgeRuleRetire: async (_parent, { input }, ctx) => toPayload('badgeRule', await retireRule(ctx, input)),
    badgeAward: async (_parent, { input }, ctx) => toPayload('badge', await awardByHand(ctx, input)),
    badgeRevoke: async (_parent, { input }, ctx) => toPayload('badge', await revoke(ctx, input)),
  },
  BadgeRule: {
    __resolveReference: (reference, ctx) => ctx.loaders.badgeRuleById.load(reference.id),
    code: (rule) => rule.badgeCode,
    name: async (rule, _args, ctx) => (await ctx.loaders.badgeCatalogue.load('all')).find((kind) => kind.code === rule.badgeCode)?.name ?? rule.badgeCode,
    description: async (rule, _args, ctx) => (await ctx.loaders.badgeCatalogue.load('all')).find((kind) => kind.code === rule.badgeCode)?.description ?? '',
    minAverageRating: (rule) => (rule.minAverageHundredths === null ? null : rule.minAverageHundredths / 100),
    region: (rule) => (rule.regionId === null ? null : { id: rule.regionId }),
    bank: (rule) => (rule.bankId === null ? null : { id: rule.bankId }),
    active: (rule) => {
      const today = beijingDayOf(new Date());
      return rule.retiredAt === null && rule.validFrom <= today && (rule.validTo === null || rule.validTo >= today);
    },
    backfill: (rule) => ({ done: rule.backfillDoneAt !== null, personsEvaluated: rule.backfillPersons, awards: rule.backfillAwards }),
  },
  BadgeTally: {
    averageRating: (tally) => (tally.ratings && tally.ratingSum !== undefined ? Math.round((tally.ratingSum / tally.ratings) * 100) / 100 : null),
  },
  BadgeKind: {
    id: (kind) => derivedId('BadgeKind', kind.code),
  },
  Badge: {
    __resolveReference: (reference, ctx) => ctx.loaders.badgeById.load(reference.id),
    code: (badge) => badge.badgeCode,
    holder: (badge) => ({ id: badge.holderId }),
    rule: (badge, _args, ctx) => (badge.ruleId === null ? null : ctx.loaders.badgeRuleById.load(badge.ruleId)),
    period: async (badge, _args, ctx) => {
      const rule = badge.ruleId === null || badge.periodStart === null ? null : await ctx.loaders.badgeRuleById.load(badge.ruleId);
      const period = rule ? periodOf(rule, badge.periodStart!) : null;
      return rule?.period && period ? { kind: rule.period, start: period.start, end: dayBefore(period.end) } : null;
    },
    revoked: (badge) => badge.revokedAt !== null,
  },
  Person: {
    // The people subgraph owns persons; any id it hands us is a person to hang badges on.
    __resolveReference: (reference) => ({ id: reference.id }),
    badges: (person, _args, ctx) => badgesOf(ctx, person.id),
  },
};
