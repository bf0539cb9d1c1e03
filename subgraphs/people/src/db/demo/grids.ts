/** The demo's grids, their grid workers and the compounds and buildings each covers. */
import type { Transaction } from '@lianxin/shared';
import { DEMO_GRIDS, demoRegionId } from '@lianxin/shared/demo';
import { gridRegions, grids } from '../schema.js';

export async function seedGrids(tx: Transaction): Promise<void> {
  await tx
    .insert(grids)
    .values(DEMO_GRIDS.map((grid) => ({ id: grid.id, name: grid.name, communityId: demoRegionId(grid.community), workerId: grid.workerId })))
    .onConflictDoNothing();
  await tx
    .insert(gridRegions)
    .values(DEMO_GRIDS.flatMap((grid) => grid.coverage.map((key) => ({ regionId: demoRegionId(key), gridId: grid.id }))))
    .onConflictDoNothing();
}
