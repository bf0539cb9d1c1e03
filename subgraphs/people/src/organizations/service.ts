/**
 * Rules for organisations. Organisations are public; their contact person
 * only to signed-in viewers. Admins register them inside their scope.
 */
import { z } from 'zod';
import {
  BadInputError,
  UNIQUE_VIOLATION,
  isUuid,
  optionalId,
  readPage,
  toConnection,
  userError,
  type Connection,
  type ConnectionArgs,
  type Result,
  requireRoles,
} from '@lianxin/shared';
import type { PeopleContext } from '../context.js';
import { personReaderOf } from '../privacy/policy.js';
import { organizationKind, type OrganizationRow } from '../db/schema.js';
import { idInput, inTransaction, parseInput, refuse, textInput } from '../mutation.js';
import { MOBILE_PHONE } from '../persons/id-number.js';
import { findRegionsByIds } from '../regions/store.js';
import { REGION_ADMIN_ROLES, administers } from '../access.js';
import { countOrganizations, findOrganizationPage, insertOrganization, organizationCursor, type OrganizationListFilter } from './store.js';

export async function getOrganization(ctx: PeopleContext, id: string): Promise<OrganizationRow | null> {
  if (!isUuid(id)) throw new BadInputError('id is not an organisation id.', 'id');
  return ctx.loaders.organizationById.load(id);
}

export interface OrganizationFilterArgs {
  kind?: OrganizationRow['kind'] | null | undefined;
  region?: string | null | undefined;
}

export async function listOrganizations(ctx: PeopleContext, filter: OrganizationFilterArgs | null | undefined, args: ConnectionArgs): Promise<Connection<OrganizationRow>> {
  const regionId = optionalId(filter?.region, 'filter.region', 'a region id');
  const page = readPage(args, ['text', 'uuid']);
  const conditions: OrganizationListFilter = {
    kind: filter?.kind ?? undefined,
    region: regionId,
  };
  const rows = await findOrganizationPage(ctx.db, conditions, page);
  return toConnection(rows, page, organizationCursor, () => countOrganizations(ctx.db, conditions));
}

/**
 * The contact person is a person's name and phone: for signed-in persons
 * only, never for anonymous viewers or a merchant's till (privacy/policy.ts).
 */
export function organizationContact(ctx: PeopleContext, organization: OrganizationRow): { name: string | null; phone: string | null } {
  if (personReaderOf(ctx.viewer) !== 'signed-in') return { name: null, phone: null };
  return { name: organization.contactName, phone: organization.contactPhone };
}

const organizationCreateInput = z.object({
  name: textInput(100),
  kind: z.enum(organizationKind.enumValues),
  region: idInput('a region'),
  contactName: textInput(50).nullish(),
  contactPhone: z.string().trim().regex(MOBILE_PHONE, 'must be a mainland mobile number: 11 digits starting 13 to 19.').nullish(),
});

export async function createOrganization(ctx: PeopleContext, input: unknown): Promise<Result<OrganizationRow>> {
  requireRoles(ctx.viewer, REGION_ADMIN_ROLES, 'register organisations');
  const parsed = parseInput(organizationCreateInput, input);
  if (!parsed.ok) return parsed;
  const { name, kind, region: regionId, contactName, contactPhone } = parsed.value;
  return inTransaction(
    ctx,
    async (tx) => {
      const [region] = await findRegionsByIds(tx, [regionId]);
      if (!region) refuse(['input', 'region'], 'NOT_FOUND', 'There is no such region.');
      if (!administers(ctx.viewer, region)) refuse(['input', 'region'], 'NOT_ALLOWED', 'The region lies outside your scope.');
      return insertOrganization(tx, { name, kind, regionId, contactName: contactName ?? null, contactPhone: contactPhone ?? null });
    },
    [
      {
        sqlState: UNIQUE_VIOLATION,
        constraint: 'organizations_region_name_unique',
        error: userError(['input', 'name'], 'ALREADY_EXISTS', 'An organisation of this name is registered in the region already.'),
      },
    ],
  );
}
