/**
 * The recognition part of the demo data set: the regions' kinds and places,
 * where the demo's persons live, and the star thresholds of 西一路街道.
 * Everything else recognition holds is derived from the other subgraphs'
 * events (a team joined, a service recorded, a request rated, an account
 * opened, a redemption made), and the other subgraphs' demo data announces
 * its facts as those events, so the demo's badges, tallies, stars and
 * statistics follow from the same causes as in service and agree with the
 * hours and passbooks they count. The demo's regions and persons are seeded
 * in every subgraph rather than announced (requests seeds its directory
 * alike), so their kinds, paths and homes are written here: the kinds for
 * the statistics to group by level, the paths and homes for the stars'
 * thresholds to be inherited along. `npm start` applies the demo's events
 * before it answers (see scripts/graph.ts); a recognition started on its own
 * applies them as its event runner reads them.
 */
import type { Database } from '@lianxin/shared';
import {
  DEMO_GRID_WORKERS,
  DEMO_HOUSEHOLD_RESIDENTS,
  DEMO_MORE_VOLUNTEERS,
  DEMO_REGIONS,
  DEMO_RESIDENTS,
  DEMO_STAFF,
  DEMO_VOLUNTEERS,
  DEMO_XINCHENG_REGIONS,
  demoRegionId,
} from '@lianxin/shared/demo';
import { personHomes, regionLevels, starThresholds } from './schema.js';

/**
 * 西一路街道 sets its own thresholds, Beijing's 100 / 200 / 500 / 800 /
 * 1,000 hours (docs/domain.md, "Volunteer stars"), for the volunteers living
 * in 兴乐社区 below it; the rest of 新城区 follows the national practice.
 */
export const DEMO_STAR_THRESHOLDS = { region: DEMO_REGIONS.xiyilu.id, levels: [100, 200, 500, 800, 1000] } as const;

export async function seedRecognitionDemo(db: Database): Promise<void> {
  const regions: { id: string; kind: string; parent: string | null }[] = [...Object.values(DEMO_REGIONS), ...Object.values(DEMO_XINCHENG_REGIONS)];
  const byId = new Map(regions.map((region) => [region.id, region]));
  // Parents come before children in both tables, so each parent's path is known when its children's are made.
  const paths = new Map<string, string[]>();
  for (const region of regions) {
    const parentId = region.parent === null ? null : demoRegionId(region.parent);
    paths.set(region.id, parentId === null ? [] : [...(paths.get(parentId) ?? []), parentId]);
  }
  await db
    .insert(regionLevels)
    .values(
      [...byId.values()].map((region) => ({
        regionId: region.id,
        kind: region.kind,
        parentId: region.parent === null ? null : demoRegionId(region.parent),
        path: paths.get(region.id) ?? [],
      })),
    )
    .onConflictDoNothing();
  const persons = [...DEMO_VOLUNTEERS, ...DEMO_RESIDENTS, ...DEMO_STAFF, ...DEMO_MORE_VOLUNTEERS, ...DEMO_HOUSEHOLD_RESIDENTS, ...DEMO_GRID_WORKERS];
  await db
    .insert(personHomes)
    .values(persons.map((person) => ({ personId: person.id, regionId: demoRegionId(person.home) })))
    .onConflictDoNothing();
  await db
    .insert(starThresholds)
    .values({ regionId: DEMO_STAR_THRESHOLDS.region, levelHours: [...DEMO_STAR_THRESHOLDS.levels], setBy: 'demo' })
    .onConflictDoNothing();
}
