/**
 * The recognition part of the demo data set: only the region levels.
 * Everything else recognition holds is derived from the other subgraphs'
 * events (a team joined, a service recorded, a request rated, an account
 * opened, a redemption made), and the other subgraphs' demo data announces
 * its facts as those events, so the demo's badges, tallies and statistics
 * follow from the same causes as in service and agree with the hours and
 * passbooks they count. The demo's regions are seeded in every subgraph
 * rather than announced (requests seeds its directory alike), so their
 * kinds are written here, for the statistics to group by level. `npm start`
 * applies the demo's events before it answers (see scripts/graph.ts); a
 * recognition started on its own applies them as its event runner reads
 * them.
 */
import type { Database } from '@lianxin/shared';
import { DEMO_REGIONS, DEMO_XINCHENG_REGIONS } from '@lianxin/shared/demo';
import { regionLevels } from './schema.js';

export async function seedRecognitionDemo(db: Database): Promise<void> {
  const regions = [...Object.values(DEMO_REGIONS), ...Object.values(DEMO_XINCHENG_REGIONS)];
  await db
    .insert(regionLevels)
    .values(regions.map((region) => ({ regionId: region.id, kind: region.kind })))
    .onConflictDoNothing();
}
