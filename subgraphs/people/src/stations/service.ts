/** Rules for the practice network: public, read-only through the graph. */
import { BadInputError, isUuid } from '@lianxin/shared';
import type { PeopleContext } from '../context.js';
import type { StationRow } from '../db/schema.js';

export async function getStation(ctx: PeopleContext, id: string): Promise<StationRow | null> {
  if (!isUuid(id)) throw new BadInputError('id is not a station id.', 'id');
  return ctx.loaders.stationById.load(id);
}
