/** The demo's households, their members, who looks after the special-needs ones, and their hardship decisions. */
import type { Transaction } from '@lianxin/shared';
import { DEMO_GRIDS, DEMO_HOUSEHOLDS, DEMO_MORE_VOLUNTEERS, DEMO_REGIONS, DEMO_XINCHENG_REGIONS, demoId, demoRegionId } from '@lianxin/shared/demo';
import { hardshipChanges, householdMembers, households } from '../schema.js';
import { DEMO_START } from './cast.js';

/** Special-needs households are each looked after by a volunteer of their community, or else its grid worker. */
function caretakerOf(index: number, address: string): string | null {
  const household = DEMO_HOUSEHOLDS[index]!;
  if (household.needs.length === 0) return null;
  const neighbour = DEMO_MORE_VOLUNTEERS.filter((volunteer) => volunteer.home === address && volunteer.team !== 'shangshan');
  if (neighbour.length > 0) return neighbour[index % neighbour.length]!.id;
  return (
    DEMO_GRIDS.find((grid) =>
      grid.coverage.some((key) => DEMO_XINCHENG_REGIONS[address]?.parent === key || (DEMO_REGIONS as Record<string, { parent: string | null }>)[address]?.parent === key),
    )?.workerId ?? null
  );
}

export async function seedHouseholds(tx: Transaction): Promise<void> {
  await tx
    .insert(households)
    .values(
      DEMO_HOUSEHOLDS.map((household, index) => ({
        id: household.id,
        addressRegionId: demoRegionId(household.address),
        unit: household.unit,
        hardshipLevel: household.hardship,
        specialNeeds: household.needs,
        consents: household.needs.includes('living_alone')
          ? (['contact_by_volunteers', 'home_visits', 'device_monitoring'] as const).slice()
          : (['contact_by_volunteers'] as const).slice(),
        caretakerId: caretakerOf(index, household.address),
        registeredAt: new Date(DEMO_START + index * 600_000),
        registeredBy: 'demo',
      })),
    )
    .onConflictDoNothing();
  await tx
    .insert(householdMembers)
    .values(
      DEMO_HOUSEHOLDS.flatMap((household, index) =>
        household.members.map((member) => ({ householdId: household.id, personId: member.personId, relation: member.relation, joinedAt: new Date(DEMO_START + index * 600_000) })),
      ),
    )
    .onConflictDoNothing();
  await seedHardshipChanges(tx);
}

async function seedHardshipChanges(tx: Transaction): Promise<void> {
  await tx
    .insert(hardshipChanges)
    .values(
      DEMO_HOUSEHOLDS.flatMap((household, index) =>
        household.hardship === 'ordinary'
          ? []
          : [
              {
                id: demoId(49, index + 1),
                householdId: household.id,
                level: household.hardship,
                reason: '民政部门认定（演示数据）',
                changedBy: 'demo',
                changedAt: new Date(DEMO_START + index * 600_000),
              },
            ],
      ),
    )
    .onConflictDoNothing();
}
