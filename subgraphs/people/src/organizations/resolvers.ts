import { referencedRow, required, toPayload } from '@lianxin/shared';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { createOrganization, getOrganization, listOrganizations, organizationContact } from './service.js';

export const organizationResolvers: Resolvers = {
  Query: {
    organization: (_parent, { id }, ctx) => getOrganization(ctx, id),
    organizations: (_parent, { filter, first, after }, ctx) => listOrganizations(ctx, filter, { first, after }),
  },
  Mutation: {
    organizationCreate: async (_parent, { input }, ctx) => toPayload('organization', await createOrganization(ctx, input)),
  },
  Organization: {
    __resolveReference: (reference, ctx) => referencedRow('Organization', ctx.loaders.organizationById.load(reference.id)),
    region: async (organization, _args, ctx) => {
      const region = await ctx.loaders.regionById.load(organization.regionId);
      return required(region, `region of organisation ${organization.id}`);
    },
    contactName: (organization, _args, ctx) => organizationContact(ctx, organization).name,
    contactPhone: (organization, _args, ctx) => organizationContact(ctx, organization).phone,
    teams: (organization, _args, ctx) => ctx.loaders.teamsOfOrganization.load(organization.id),
  },
};
