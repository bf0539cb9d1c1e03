import type { GraphQLResolveInfo } from 'graphql';
import { payloadAsItStands, referencedRow, toPayload, type Result } from '@lianxin/shared';
import type { PeopleContext } from '../context.js';
import type { PersonRow } from '../db/schema.js';
import type { PersonResolvers, Resolvers } from '../__generated__/resolvers-types.js';
import { visibleHousehold } from '../households/service.js';
import { maskName } from '../privacy/masks.js';
import { birthDateFor, homeUnitFor, idNumberFor, phoneFor, requirePersonField, requirePersonReader } from '../privacy/policy.js';
import { changePerson, getPerson, listPersons, registerPerson, setOwnLeaderboardOptOut, setVolunteerProfile } from './service.js';

/**
 * A field of a person, read only by viewers the privacy policy lets read it.
 * Whatever way the person was reached, the field itself asks: the way in is
 * never the only gate.
 */
const guarded =
  <A, R>(resolve: (person: PersonRow, args: A, ctx: PeopleContext) => R) =>
  (person: PersonRow, args: A, ctx: PeopleContext, info: GraphQLResolveInfo): R => {
    requirePersonField(ctx, info.fieldName);
    return resolve(person, args, ctx);
  };

/** Every field of Person is listed (the type says so), each behind the policy. */
const personFields: Required<Omit<PersonResolvers, '__resolveReference'>> = {
  id: guarded((person) => person.id),
  name: guarded((person) => person.name),
  displayName: guarded((person) => maskName(person.name)),
  registeredAt: guarded((person) => person.registeredAt),
  homeRegion: guarded((person, _args, ctx) => (person.homeRegionId ? ctx.loaders.regionById.load(person.homeRegionId) : null)),
  teams: guarded((person, _args, ctx) => ctx.loaders.teamsOfPerson.load(person.id)),
  phone: guarded((person, _args, ctx) => phoneFor(ctx, person)),
  idNumber: guarded((person, _args, ctx) => idNumberFor(ctx, person)),
  gender: guarded((person) => person.gender),
  birthDate: guarded((person, _args, ctx) => birthDateFor(ctx, person)),
  homeUnit: guarded((person, _args, ctx) => homeUnitFor(ctx, person)),
  volunteer: guarded((person, _args, ctx) => ctx.loaders.volunteerProfileOf.load(person.id)),
  household: guarded(async (person, _args, ctx) => visibleHousehold(ctx, await ctx.loaders.householdOfPerson.load(person.id))),
  // A consent is the person's own business: no one else, admins included, needs to know it.
  leaderboardOptOut: guarded((person, _args, ctx) => (ctx.viewer.personId === person.id ? person.leaderboardOptOut : null)),
};

/** A change to person `id`: on refusal, the person as `person(id)` would show them to the caller. */
const personPayload = async (ctx: PeopleContext, id: string, work: Promise<Result<PersonRow>>) => payloadAsItStands(ctx, 'person', await work, () => getPerson(ctx, id));

export const personResolvers: Resolvers = {
  Query: {
    person: (_parent, { id }, ctx) => getPerson(ctx, id),
    persons: (_parent, { filter, first, after }, ctx) => listPersons(ctx, filter, { first, after }),
  },
  Mutation: {
    personRegister: async (_parent, { input }, ctx) => toPayload('person', await registerPerson(ctx, input)),
    personUpdate: (_parent, { input }, ctx) => personPayload(ctx, input.person, changePerson(ctx, input)),
    volunteerProfileSet: (_parent, { input }, ctx) => personPayload(ctx, input.person, setVolunteerProfile(ctx, input)),
    leaderboardOptOutSet: async (_parent, { input }, ctx) => toPayload('person', await setOwnLeaderboardOptOut(ctx, input)),
  },
  Person: {
    // Another subgraph's reference (Badge.holder, MicroWish.wisher …) is refused before it is looked up, and one that
    // dangles is NOT_FOUND; async, so that each reference of a batch fails alone rather than the whole `_entities` list.
    __resolveReference: async (reference, ctx) => {
      requirePersonReader(ctx);
      return referencedRow('Person', ctx.loaders.personById.load(reference.id));
    },
    ...personFields,
  },
};
