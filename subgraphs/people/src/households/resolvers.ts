import { derivedId, payloadAsItStands, required, toPayload, type Result } from '@lianxin/shared';
import type { PeopleContext } from '../context.js';
import type { HouseholdRow } from '../db/schema.js';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { householdFieldFor } from '../privacy/policy.js';
import {
  addHouseholdMember,
  assignHouseholdCaretaker,
  caseloadCapOf,
  endHouseholdCaretaker,
  getHousehold,
  listHouseholds,
  registerHousehold,
  removeHouseholdMember,
  setCaseloadCap,
  setHouseholdHardship,
  visibleHousehold,
} from './service.js';

/** A change to household `id`: on refusal, the household as `household(id)` would show it to the caller. */
const householdPayload = async (ctx: PeopleContext, id: string, work: Promise<Result<HouseholdRow>>) =>
  payloadAsItStands(ctx, 'household', await work, () => getHousehold(ctx, id));

export const householdResolvers: Resolvers = {
  Query: {
    household: (_parent, { id }, ctx) => getHousehold(ctx, id),
    households: (_parent, { filter, first, after }, ctx) => listHouseholds(ctx, filter, { first, after }),
  },
  Mutation: {
    householdRegister: async (_parent, { input }, ctx) => toPayload('household', await registerHousehold(ctx, input)),
    householdMemberAdd: (_parent, { input }, ctx) => householdPayload(ctx, input.household, addHouseholdMember(ctx, input)),
    householdMemberRemove: (_parent, { input }, ctx) => householdPayload(ctx, input.household, removeHouseholdMember(ctx, input)),
    householdHardshipSet: (_parent, { input }, ctx) => householdPayload(ctx, input.household, setHouseholdHardship(ctx, input)),
    householdCaretakerAssign: (_parent, { input }, ctx) => householdPayload(ctx, input.household, assignHouseholdCaretaker(ctx, input)),
    householdCaretakerEnd: (_parent, { input }, ctx) => householdPayload(ctx, input.household, endHouseholdCaretaker(ctx, input)),
    regionCaseloadCapSet: async (_parent, { input }, ctx) => toPayload('region', await setCaseloadCap(ctx, input)),
  },
  Region: {
    caseloadCap: (region, _args, ctx) => caseloadCapOf(ctx, region),
  },
  Household: {
    // Another subgraph (pricing by hardship) gets the household only when the viewer may see it.
    __resolveReference: async (reference, ctx) => visibleHousehold(ctx, await ctx.loaders.householdById.load(reference.id)),
    address: async (household, _args, ctx) => {
      const region = await ctx.loaders.regionById.load(household.addressRegionId);
      return required(region, `address of household ${household.id}`);
    },
    members: (household, _args, ctx) => ctx.loaders.membersOfHousehold.load(household.id),
    hardshipLevel: (household, _args, ctx) => householdFieldFor(ctx, household, 'hardship_level', household.hardshipLevel),
    specialNeeds: (household, _args, ctx) => householdFieldFor(ctx, household, 'special_needs', household.specialNeeds),
    caretaker: (household, _args, ctx) => (household.caretakerId ? ctx.loaders.personById.load(household.caretakerId) : null),
    grid: (household, _args, ctx) => ctx.loaders.gridOfRegion.load(household.addressRegionId),
  },
  HouseholdMember: {
    id: (member) => derivedId('HouseholdMember', member.householdId, member.personId, member.joinedAt),
    person: async (member, _args, ctx) => {
      const person = await ctx.loaders.personById.load(member.personId);
      return required(person, `person ${member.personId}, a member of a household`);
    },
  },
};
