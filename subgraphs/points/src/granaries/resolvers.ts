import { required, toPayload } from '@lianxin/shared';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { addGoods, createGranary, getGranary, granariesOf, listMovements, recordMovement } from './service.js';

export const granaryResolvers: Resolvers = {
  Query: {
    granary: (_parent, { id }, ctx) => getGranary(ctx, id),
  },
  Mutation: {
    granaryCreate: async (_parent, { input }, ctx) => toPayload('granary', await createGranary(ctx, input)),
    granaryGoodsAdd: async (_parent, { input }, ctx) => toPayload('goods', await addGoods(ctx, input)),
    granaryMovementRecord: async (_parent, { input }, ctx) => toPayload('movement', await recordMovement(ctx, input)),
  },
  BankUnit: {
    granaries: (unit, _args, ctx) => granariesOf(ctx, unit),
  },
  Granary: {
    office: async (granary, _args, ctx) => required(await ctx.loaders.bankUnitById.load(granary.officeId), `office of granary ${granary.id}`),
    goods: (granary, _args, ctx) => ctx.loaders.goodsOfGranary.load(granary.id),
    movements: (granary, args, ctx) => listMovements(ctx, granary, args),
  },
  GranaryGoods: {
    granary: async (goods, _args, ctx) => required(await ctx.loaders.granaryById.load(goods.granaryId), `granary of goods ${goods.id}`),
  },
  GranaryMovement: {
    goods: async (movement, _args, ctx) => required(await ctx.loaders.goodsById.load(movement.goodsId), `goods of movement ${movement.id}`),
    donorOrganization: (movement) => (movement.donorOrganizationId ? { id: movement.donorOrganizationId } : null),
    donorPerson: (movement) => (movement.donorPersonId ? { id: movement.donorPersonId } : null),
    household: (movement) => (movement.householdId ? { id: movement.householdId } : null),
  },
};
