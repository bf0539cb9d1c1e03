import { derivedId, payloadAsItStands, toPayload } from '@lianxin/shared';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { listOfficeAdjustments } from '../adjustments/service.js';
import {
  assignClerk,
  createBankUnit,
  depositRuleAsItStands,
  depositRulesOf,
  fenPerPointOf,
  categoriesWithoutRuleOf,
  getBankUnit,
  listChildren,
  listOfficeAccounts,
  listUnits,
  requireUnit,
  setDepositRule,
  setSettlementRate,
  windowOf,
} from './service.js';

export const bankResolvers: Resolvers = {
  Query: {
    bankUnit: (_parent, { id }, ctx) => getBankUnit(ctx, id),
    bankUnits: (_parent, { filter, first, after }, ctx) => listUnits(ctx, filter, { first, after }),
  },
  Mutation: {
    bankUnitCreate: async (_parent, { input }, ctx) => toPayload('bankUnit', await createBankUnit(ctx, input)),
    bankClerkAssign: async (_parent, { input }, ctx) => payloadAsItStands(ctx, 'bankUnit', await assignClerk(ctx, input), () => getBankUnit(ctx, input.unit)),
    bankSettlementRateSet: async (_parent, { input }, ctx) => toPayload('bankUnit', await setSettlementRate(ctx, input)),
    depositRuleSet: async (_parent, { input }, ctx) =>
      payloadAsItStands(ctx, 'rule', await setDepositRule(ctx, input), () => depositRuleAsItStands(ctx, input.bank, input.category)),
  },
  BankUnit: {
    // Bank units are public: a reference needs no more than the loader.
    __resolveReference: (reference, ctx) => ctx.loaders.bankUnitById.load(reference.id),
    parent: (unit, _args, ctx) => (unit.parentId ? requireUnit(ctx, unit.parentId) : null),
    bank: (unit, _args, ctx) => (unit.kind === 'head_bank' ? unit : requireUnit(ctx, unit.bankId)),
    region: (unit) => ({ id: unit.regionId }),
    station: (unit) => (unit.stationId ? { id: unit.stationId } : null),
    redemptionWindow: (unit, _args, ctx) => windowOf(ctx, unit),
    fenPerPoint: (unit, _args, ctx) => fenPerPointOf(ctx, unit),
    depositRules: (unit, _args, ctx) => depositRulesOf(ctx, unit),
    categoriesWithoutDepositRule: (unit, _args, ctx) => categoriesWithoutRuleOf(ctx, unit),
    children: (unit, { first, after }, ctx) => listChildren(ctx, unit, { first, after }),
    accounts: (unit, { first, after }, ctx) => listOfficeAccounts(ctx, unit, { first, after }),
    adjustments: (unit, { status, first, after }, ctx) => listOfficeAdjustments(ctx, unit, { status, first, after }),
  },
  DepositRule: {
    id: (rule) => derivedId('DepositRule', rule.bankId, rule.categoryCode),
    bank: (rule, _args, ctx) => requireUnit(ctx, rule.bankId),
    category: (rule) => rule.categoryCode,
  },
};
