/** The demo's region trees (Xi'an's and Yanjiang's), and the captains of its buildings. */
import type { Transaction } from '@lianxin/shared';
import { DEMO_BUILDING_CAPTAINS, DEMO_REGIONS, DEMO_XINCHENG_REGIONS, DEMO_YANJIANG_REGIONS, demoRegionId } from '@lianxin/shared/demo';
import { buildingCaptains, regions } from '../schema.js';

export async function seedRegions(tx: Transaction): Promise<void> {
  // Parents are listed before children, so foreign keys and the path trigger hold row by row.
  const regionRows = [
    ...Object.values(DEMO_REGIONS).map((region) => ({
      id: region.id,
      parentId: region.parent ? DEMO_REGIONS[region.parent].id : null,
      kind: region.kind,
      name: region.name,
      code: region.code,
    })),
    ...Object.values(DEMO_XINCHENG_REGIONS).map((region) => ({
      id: region.id,
      parentId: demoRegionId(region.parent),
      kind: region.kind,
      name: region.name,
      code: region.code,
    })),
    ...Object.values(DEMO_YANJIANG_REGIONS).map((region) => ({
      id: region.id,
      parentId: region.parent === null ? null : demoRegionId(region.parent),
      kind: region.kind,
      name: region.name,
      code: region.code,
    })),
  ];
  for (const row of regionRows) await tx.insert(regions).values(row).onConflictDoNothing();
}

export async function seedBuildingCaptains(tx: Transaction): Promise<void> {
  await tx
    .insert(buildingCaptains)
    .values(DEMO_BUILDING_CAPTAINS.map((captain) => ({ buildingId: demoRegionId(captain.building), personId: captain.personId, assignedBy: 'demo' })))
    .onConflictDoNothing();
}
