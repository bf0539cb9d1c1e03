/** The demo's practice centre, institutes and stations. */
import type { Transaction } from '@lianxin/shared';
import { DEMO_STATIONS, demoRegionId } from '@lianxin/shared/demo';
import { stations } from '../schema.js';

export async function seedStations(tx: Transaction): Promise<void> {
  await tx
    .insert(stations)
    .values(
      DEMO_STATIONS.map((station) => ({
        id: station.id,
        kind: station.kind,
        name: station.name,
        regionId: demoRegionId(station.region),
        parentId: station.parent === null ? null : DEMO_STATIONS[station.parent]!.id,
      })),
    )
    .onConflictDoNothing();
}
