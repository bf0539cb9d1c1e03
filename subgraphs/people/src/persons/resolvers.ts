import type { Resolvers } from '../__generated__/resolvers-types.js';
import { getPerson, listPersons } from './service.js';

export const personResolvers: Resolvers = {
  Query: {
    person: (_parent, { id }, ctx) => getPerson(ctx, id),
    persons: (_parent, { first, after }, ctx) => listPersons(ctx, { first, after }),
  },
  Person: {
    __resolveReference: (reference, ctx) => ctx.loaders.personById.load(reference.id),
    homeRegion: (person, _args, ctx) => (person.homeRegionId ? ctx.loaders.regionById.load(person.homeRegionId) : null),
    teams: (person, _args, ctx) => ctx.loaders.teamsOfPerson.load(person.id),
  },
};
