/**
 * Rules for regions. The region tree is public: anyone may read it. Admins
 * grow and reshape it inside their scope; a region never lies inside itself
 * and a child always lies deeper than its parent.
 */
import { z } from 'zod';
import {
  BadInputError,
  CHECK_VIOLATION,
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
  isPlatformAdmin,
} from '@lianxin/shared';
import type { PeopleContext } from '../context.js';
import { regionKind, type RegionRow } from '../db/schema.js';
import { buildingCaptainAssigned, regionCreated, regionMoved } from '../events/publish.js';
import { findPersonsByIds } from '../persons/store.js';
import { REGION_ADMIN_ROLES, administers } from '../access.js';
import { idInput, inTransaction, parseInput, refuse, textInput } from '../mutation.js';
import { REGION_RANK } from './rank.js';
import {
  findRegionByCode,
  findRegionPage,
  findRegionSearchPage,
  findRegionsByIds,
  insertRegion,
  lockRegions,
  updateNoPropertyManagement,
  regionCursor,
  updateRegionParent,
  upsertBuildingCaptain,
} from './store.js';

export async function getRegion(ctx: PeopleContext, id: string): Promise<RegionRow | null> {
  if (!isUuid(id)) throw new BadInputError('id is not a region id.', 'id');
  return ctx.loaders.regionById.load(id);
}

export async function getRegionByCode(ctx: PeopleContext, code: string): Promise<RegionRow | null> {
  return findRegionByCode(ctx.db, code.trim());
}

export async function listRegions(ctx: PeopleContext, parentId: string | null, args: ConnectionArgs): Promise<Connection<RegionRow>> {
  if (parentId !== null && !isUuid(parentId)) throw new BadInputError('parent is not a region id.', 'parent');
  const page = readPage(args, ['text', 'uuid']);
  const rows = await findRegionPage(ctx.db, parentId, page);
  return toConnection(rows, page, regionCursor);
}

export interface RegionSearchArgs {
  within?: string | null | undefined;
  nameContains?: string | null | undefined;
  kind?: RegionRow['kind'] | null | undefined;
  noPropertyManagement?: boolean | null | undefined;
}

export async function searchRegions(ctx: PeopleContext, filter: RegionSearchArgs, args: ConnectionArgs): Promise<Connection<RegionRow>> {
  const within = optionalId(filter.within, 'filter.within', 'a region id');
  const page = readPage(args, ['text', 'uuid']);
  const text = filter.nameContains?.trim();
  const rows = await findRegionSearchPage(
    ctx.db,
    { within: within ?? null, nameContains: text ? text : null, kind: filter.kind ?? null, noPropertyManagement: filter.noPropertyManagement ?? null },
    page,
  );
  return toConnection(rows, page, regionCursor);
}

/** The ancestors of `region`, root first, from its stored path. */
export async function ancestorsOf(ctx: PeopleContext, region: RegionRow): Promise<RegionRow[]> {
  const rows = await ctx.loaders.regionById.loadMany(region.path);
  return rows.filter((row): row is RegionRow => row !== null && !(row instanceof Error));
}

const kindInput = z.enum(regionKind.enumValues);

const regionCreateInput = z.object({
  parent: idInput('a region').nullish(),
  kind: kindInput,
  name: textInput(100),
  code: z
    .string()
    .trim()
    .regex(/^\d{6,15}$/, 'must be 6 to 15 digits.')
    .nullish(),
});

export async function createRegion(ctx: PeopleContext, input: unknown): Promise<Result<RegionRow>> {
  requireRoles(ctx.viewer, REGION_ADMIN_ROLES, 'add regions');
  const parsed = parseInput(regionCreateInput, input);
  if (!parsed.ok) return parsed;
  const { parent: parentId, kind, name, code } = parsed.value;
  return inTransaction(
    ctx,
    async (tx) => {
      if (!parentId) {
        if (!isPlatformAdmin(ctx.viewer)) refuse(['input', 'parent'], 'REQUIRED', 'Say which region the new one lies in.');
        if (kind !== 'province') refuse(['input', 'kind'], 'INVALID', 'Only a province stands at the top of the tree.');
      } else {
        const [parent] = await findRegionsByIds(tx, [parentId]);
        if (!parent) refuse(['input', 'parent'], 'NOT_FOUND', 'There is no such parent region.');
        if (!administers(ctx.viewer, parent)) refuse(['input', 'parent'], 'NOT_ALLOWED', 'The parent region lies outside your scope.');
        if (REGION_RANK[kind] <= REGION_RANK[parent.kind]) refuse(['input', 'kind'], 'INVALID', `A ${kind} cannot lie in a ${parent.kind}.`);
      }
      const region = await insertRegion(tx, { parentId: parentId ?? null, kind, name, code: code ?? null });
      await regionCreated(tx, region);
      return region;
    },
    [
      { sqlState: UNIQUE_VIOLATION, constraint: 'regions_code_unique', error: userError(['input', 'code'], 'ALREADY_EXISTS', 'Another region has this code.') },
      { sqlState: CHECK_VIOLATION, constraint: 'regions_kind_below_parent', error: userError(['input', 'kind'], 'INVALID', 'The kind must lie below the parent’s.') },
    ],
  );
}

const regionMoveInput = z.object({ region: idInput('a region'), parent: idInput('a region') });

export async function moveRegion(ctx: PeopleContext, input: unknown): Promise<Result<RegionRow>> {
  requireRoles(ctx.viewer, REGION_ADMIN_ROLES, 'move regions');
  const parsed = parseInput(regionMoveInput, input);
  if (!parsed.ok) return parsed;
  const { region: regionId, parent: parentId } = parsed.value;
  const cycle = userError(['input', 'parent'], 'INVALID', 'A region cannot be moved inside itself.');
  return inTransaction(
    ctx,
    async (tx) => {
      if (regionId === parentId) refuse(cycle.field, cycle.code, cycle.message);
      const locked = await lockRegions(tx, [regionId, parentId]);
      const region = locked.find((row) => row.id === regionId);
      const parent = locked.find((row) => row.id === parentId);
      if (!region) refuse(['input', 'region'], 'NOT_FOUND', 'There is no such region.');
      if (!parent) refuse(['input', 'parent'], 'NOT_FOUND', 'There is no such parent region.');
      if (!administers(ctx.viewer, region)) refuse(['input', 'region'], 'NOT_ALLOWED', 'The region lies outside your scope.');
      if (!administers(ctx.viewer, parent)) refuse(['input', 'parent'], 'NOT_ALLOWED', 'The new parent lies outside your scope.');
      if (parent.path.includes(region.id)) refuse(cycle.field, cycle.code, cycle.message);
      if (REGION_RANK[region.kind] <= REGION_RANK[parent.kind]) refuse(['input', 'parent'], 'INVALID', `A ${region.kind} cannot lie in a ${parent.kind}.`);
      // Moving a region under the parent it has changes nothing, so there is nothing to announce.
      if (region.parentId === parent.id) return region;
      const moved = await updateRegionParent(tx, region.id, parent.id);
      await regionMoved(tx, { ...moved, parentId: parent.id });
      return moved;
    },
    [
      { sqlState: CHECK_VIOLATION, constraint: 'regions_no_cycle', error: cycle },
      { sqlState: CHECK_VIOLATION, constraint: 'regions_not_own_parent', error: cycle },
    ],
  );
}

const buildingCaptainAssignInput = z.object({ building: idInput('a region'), captain: idInput('a person') });

export async function assignBuildingCaptain(ctx: PeopleContext, input: unknown): Promise<Result<RegionRow>> {
  const subject = requireRoles(ctx.viewer, REGION_ADMIN_ROLES, 'assign building captains');
  const parsed = parseInput(buildingCaptainAssignInput, input);
  if (!parsed.ok) return parsed;
  const { building: buildingId, captain: captainId } = parsed.value;
  return inTransaction(ctx, async (tx) => {
    const [building] = await findRegionsByIds(tx, [buildingId]);
    if (!building) refuse(['input', 'building'], 'NOT_FOUND', 'There is no such building.');
    if (!administers(ctx.viewer, building)) refuse(['input', 'building'], 'NOT_ALLOWED', 'The building lies outside your scope.');
    if (building.kind !== 'building') refuse(['input', 'building'], 'INVALID', 'Only a building has a building captain.');
    const [captain] = await findPersonsByIds(tx, [captainId]);
    if (!captain) refuse(['input', 'captain'], 'NOT_FOUND', 'There is no such person.');
    await upsertBuildingCaptain(tx, { buildingId, personId: captainId, assignedBy: subject });
    await buildingCaptainAssigned(tx, buildingId, captainId);
    return building;
  });
}

const propertyManagementInput = z.object({ compound: idInput('a region'), noPropertyManagement: z.boolean() });

/** Flags a compound as having no property management (无物业小区), or clears the flag: admins of its scope. */
export async function setNoPropertyManagement(ctx: PeopleContext, input: unknown): Promise<Result<RegionRow>> {
  requireRoles(ctx.viewer, REGION_ADMIN_ROLES, 'flag compounds');
  const parsed = parseInput(propertyManagementInput, input);
  if (!parsed.ok) return parsed;
  const { compound: compoundId, noPropertyManagement } = parsed.value;
  return inTransaction(ctx, async (tx) => {
    const [compound] = await lockRegions(tx, [compoundId]);
    if (!compound) refuse(['input', 'compound'], 'NOT_FOUND', 'There is no such compound.');
    if (!administers(ctx.viewer, compound)) refuse(['input', 'compound'], 'NOT_ALLOWED', 'The compound lies outside your scope.');
    if (compound.kind !== 'compound') refuse(['input', 'compound'], 'INVALID', 'Only a compound (小区) has or lacks property management.');
    return compound.noPropertyManagement === noPropertyManagement ? compound : updateNoPropertyManagement(tx, compound.id, noPropertyManagement);
  });
}
