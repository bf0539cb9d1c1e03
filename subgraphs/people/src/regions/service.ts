/** Rules for reading regions. The region tree is public: anyone may read it. */
import { BadInputError, isUuid, readPage, toConnection, type ConnectionArgs, type Connection } from '@lianxin/shared';
import type { PeopleContext } from '../context.js';
import type { RegionRow } from '../db/schema.js';
import { findRegionPage, regionCursor } from './store.js';

export async function getRegion(ctx: PeopleContext, id: string): Promise<RegionRow | null> {
  if (!isUuid(id)) throw new BadInputError('id is not a region id.', 'id');
  return ctx.loaders.regionById.load(id);
}

export async function listRegions(ctx: PeopleContext, parentId: string | null, args: ConnectionArgs): Promise<Connection<RegionRow>> {
  if (parentId !== null && !isUuid(parentId)) throw new BadInputError('parent is not a region id.', 'parent');
  const page = readPage(args, ['text', 'uuid']);
  const rows = await findRegionPage(ctx.db, parentId, page);
  return toConnection(rows, page, regionCursor);
}
