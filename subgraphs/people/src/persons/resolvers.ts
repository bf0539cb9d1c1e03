import { referencedRow, toGraphQLEnum, toPayload } from '@lianxin/shared';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { visibleHousehold } from '../households/service.js';
import { birthDateFor, homeUnitFor, idNumberFor, phoneFor } from '../privacy/policy.js';
import { changePerson, getPerson, listPersons, registerPerson, setVolunteerProfile } from './service.js';

export const personResolvers: Resolvers = {
  Query: {
    person: (_parent, { id }, ctx) => getPerson(ctx, id),
    persons: (_parent, { filter, first, after }, ctx) => listPersons(ctx, filter, { first, after }),
  },
  Mutation: {
    personRegister: async (_parent, { input }, ctx) => toPayload('person', await registerPerson(ctx, input)),
    personUpdate: async (_parent, { input }, ctx) => toPayload('person', await changePerson(ctx, input)),
    volunteerProfileSet: async (_parent, { input }, ctx) => toPayload('person', await setVolunteerProfile(ctx, input)),
  },
  Person: {
    __resolveReference: (reference, ctx) => referencedRow('Person', ctx.loaders.personById.load(reference.id)),
    homeRegion: (person, _args, ctx) => (person.homeRegionId ? ctx.loaders.regionById.load(person.homeRegionId) : null),
    teams: (person, _args, ctx) => ctx.loaders.teamsOfPerson.load(person.id),
    phone: (person, _args, ctx) => phoneFor(ctx, person),
    idNumber: (person, _args, ctx) => idNumberFor(ctx, person),
    gender: (person) => (person.gender ? toGraphQLEnum(person.gender) : null),
    birthDate: (person, _args, ctx) => birthDateFor(ctx, person),
    homeUnit: (person, _args, ctx) => homeUnitFor(ctx, person),
    volunteer: (person, _args, ctx) => ctx.loaders.volunteerProfileOf.load(person.id),
    household: async (person, _args, ctx) => visibleHousehold(ctx, await ctx.loaders.householdOfPerson.load(person.id)),
  },
  VolunteerProfile: {
    status: (profile) => toGraphQLEnum(profile.status),
  },
};
