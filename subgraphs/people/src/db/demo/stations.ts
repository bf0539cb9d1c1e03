/** The demo's practice networks: each district's centre, institutes and stations. */
import type { Transaction } from '@lianxin/shared';
import { DEMO_STATIONS, DEMO_YANJIANG_STATIONS, demoRegionId, type DemoStation } from '@lianxin/shared/demo';
import { stations } from '../schema.js';

export async function seedStations(tx: Transaction): Promise<void> {
  // Each network's parents are indexes into its own list.
  const rows = (network: DemoStation[]) =>
    network.map((station) => ({
      id: station.id,
      kind: station.kind,
      name: station.name,
      regionId: demoRegionId(station.region),
      parentId: station.parent === null ? null : network[station.parent]!.id,
    }));
  await tx
    .insert(stations)
    .values([...rows(DEMO_STATIONS), ...rows(DEMO_YANJIANG_STATIONS)])
    .onConflictDoNothing();
}
