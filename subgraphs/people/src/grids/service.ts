/**
 * Rules for grids. Grids are public (residents should know their grid
 * worker); community admins cut them and assign their workers. A compound or
 * building belongs to one grid at most.
 */
import { z } from 'zod';
import { BadInputError, UNIQUE_VIOLATION, isUuid, userError, type Result, type Role, requireRoles } from '@lianxin/shared';
import type { PeopleContext } from '../context.js';
import type { GridRow } from '../db/schema.js';
import { idInput, inTransaction, parseInput, refuse, textInput } from '../mutation.js';
import { findPersonsByIds } from '../persons/store.js';
import { COMMUNITY_KINDS, DWELLING_KINDS } from '../regions/rank.js';
import { findRegionsByIds } from '../regions/store.js';
import { administers } from '../access.js';
import { findCoveredAmong, findGridsByIds, insertGrid, insertGridCoverage, updateGridWorker } from './store.js';

/** Grids are the community's business. */
const GRID_ADMIN_ROLES: readonly Role[] = ['community_admin'];

export async function getGrid(ctx: PeopleContext, id: string): Promise<GridRow | null> {
  if (!isUuid(id)) throw new BadInputError('id is not a grid id.', 'id');
  return ctx.loaders.gridById.load(id);
}

const gridCreateInput = z.object({
  community: idInput('a region'),
  name: textInput(100),
  coverage: z.array(idInput('a region')).max(200),
  worker: idInput('a person').nullish(),
});

export async function createGrid(ctx: PeopleContext, input: unknown): Promise<Result<GridRow>> {
  requireRoles(ctx.viewer, GRID_ADMIN_ROLES, 'create grids');
  const parsed = parseInput(gridCreateInput, input);
  if (!parsed.ok) return parsed;
  const { community: communityId, name, worker } = parsed.value;
  const coverage = [...new Set(parsed.value.coverage)];
  const alreadyCovered = userError(['input', 'coverage'], 'ALREADY_EXISTS', 'A region in the coverage already belongs to another grid.');
  return inTransaction(
    ctx,
    async (tx) => {
      const [community] = await findRegionsByIds(tx, [communityId]);
      if (!community) refuse(['input', 'community'], 'NOT_FOUND', 'There is no such community.');
      if (!administers(ctx.viewer, community, GRID_ADMIN_ROLES)) refuse(['input', 'community'], 'NOT_ALLOWED', 'The community lies outside your scope.');
      if (!COMMUNITY_KINDS.includes(community.kind)) refuse(['input', 'community'], 'INVALID', 'Grids are cut from a community or village.');
      const regions = await findRegionsByIds(tx, coverage);
      coverage.forEach((id, index) => {
        const region = regions.find((row) => row.id === id);
        if (!region) refuse(['input', 'coverage', String(index)], 'NOT_FOUND', 'There is no such region.');
        if (!DWELLING_KINDS.includes(region.kind) || !region.path.includes(community.id)) {
          refuse(['input', 'coverage', String(index)], 'INVALID', 'A grid covers compounds and buildings of its own community.');
        }
      });
      if ((await findCoveredAmong(tx, coverage)).length > 0) refuse(alreadyCovered.field, alreadyCovered.code, alreadyCovered.message);
      if (worker && (await findPersonsByIds(tx, [worker])).length === 0) refuse(['input', 'worker'], 'NOT_FOUND', 'There is no such person.');
      const grid = await insertGrid(tx, { communityId, name, workerId: worker ?? null });
      await insertGridCoverage(tx, grid.id, coverage);
      return grid;
    },
    [
      { sqlState: UNIQUE_VIOLATION, constraint: 'grids_community_name_unique', error: userError(['input', 'name'], 'ALREADY_EXISTS', 'The community has a grid of this name.') },
      { sqlState: UNIQUE_VIOLATION, constraint: 'grid_regions_pkey', error: alreadyCovered },
    ],
  );
}

const gridWorkerAssignInput = z.object({ grid: idInput('a grid'), worker: idInput('a person') });

export async function assignGridWorker(ctx: PeopleContext, input: unknown): Promise<Result<GridRow>> {
  requireRoles(ctx.viewer, GRID_ADMIN_ROLES, 'assign grid workers');
  const parsed = parseInput(gridWorkerAssignInput, input);
  if (!parsed.ok) return parsed;
  const { grid: gridId, worker } = parsed.value;
  return inTransaction(ctx, async (tx) => {
    const [grid] = await findGridsByIds(tx, [gridId]);
    if (!grid) refuse(['input', 'grid'], 'NOT_FOUND', 'There is no such grid.');
    const [community] = await findRegionsByIds(tx, [grid.communityId]);
    if (!community || !administers(ctx.viewer, community, GRID_ADMIN_ROLES)) refuse(['input', 'grid'], 'NOT_ALLOWED', 'The grid lies outside your scope.');
    if ((await findPersonsByIds(tx, [worker])).length === 0) refuse(['input', 'worker'], 'NOT_FOUND', 'There is no such person.');
    const updated = await updateGridWorker(tx, gridId, worker);
    if (!updated) refuse(['input', 'grid'], 'NOT_FOUND', 'There is no such grid.');
    return updated;
  });
}
