import type { Resolvers } from '../__generated__/resolvers-types.js';
import { PERSONAL_DATA_FIELDS, type PersonalDataField } from './access-log.js';
import { listAccesses } from './service.js';

const isField = (value: string): value is PersonalDataField => (PERSONAL_DATA_FIELDS as readonly string[]).includes(value);

export const privacyResolvers: Resolvers = {
  Query: {
    personalDataAccesses: (_parent, { filter, first, after }, ctx) => listAccesses(ctx, filter, { first, after }),
  },
  PersonalDataAccess: {
    viewer: (access, _args, ctx) => (access.viewerPersonId ? ctx.loaders.personById.load(access.viewerPersonId) : null),
    subject: (access, _args, ctx) => (access.subjectPersonId ? ctx.loaders.personById.load(access.subjectPersonId) : null),
    // Only platform admins read the log, and they may see every household.
    household: (access, _args, ctx) => (access.subjectHouseholdId ? ctx.loaders.householdById.load(access.subjectHouseholdId) : null),
    fields: (access) => access.fields.filter(isField),
  },
};
