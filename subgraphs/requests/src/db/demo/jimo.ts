/**
 * The Jimo caseload (即墨区): the directory's view of 朝阳社区 and its twelve
 * special-needs households, their assignments to the volunteer as people's
 * `household.caretaker_changed` would have written them, her visits, and the
 * requests two of the visits filed for the needs they found.
 */
import type { Transaction } from '@lianxin/shared';
import { DEMO_JIMO_HOUSEHOLDS, DEMO_JIMO_REGIONS, DEMO_JIMO_VOLUNTEER, DEMO_STAFF, demoId, type DemoJimoRegionKey } from '@lianxin/shared/demo';
import { insertDirectoryHouseholdMembers, insertDirectoryPersons, insertDirectoryRegions } from '../../directory/store.js';
import { caseloadAssignments, caseloadVisitRequests, caseloadVisits, requestTransitions, serviceRequests } from '../schema.js';
import { beijing } from './cast.js';

const pathOf = (key: DemoJimoRegionKey): string[] => {
  const parent = DEMO_JIMO_REGIONS[key].parent;
  return parent ? [...pathOf(parent), DEMO_JIMO_REGIONS[parent].id] : [];
};
const placeOf = (key: DemoJimoRegionKey) => ({ regionId: DEMO_JIMO_REGIONS[key].id, regionPath: [...pathOf(key), DEMO_JIMO_REGIONS[key].id] });
const volunteer = DEMO_JIMO_VOLUNTEER.id;

/** Visits: household, when, what was found, and the needs filed as requests (category, description). */
const VISITS: { household: number; at: Date; note: string; needs: [string, string][] }[] = [
  {
    household: 0,
    at: beijing(11, 18, 9),
    note: '老人独居，精神尚好；厨房水龙头关不严，家里米面快吃完了。',
    needs: [
      ['home_repair', '厨房水龙头关不严，需要换阀芯。'],
      ['buying_daily_necessities', '代买一袋大米和一桶油。'],
    ],
  },
  { household: 3, at: beijing(11, 22, 15), note: '轮椅刹车松了，已约维修；老人想找人聊聊天。', needs: [['companionship', '每周陪老人聊天一次。']] },
  { household: 5, at: beijing(11, 26, 10), note: '血压平稳，按时服药，无其他需要。', needs: [] },
];

export async function seedJimoCaseload(tx: Transaction): Promise<void> {
  await insertDirectoryRegions(
    tx,
    (Object.keys(DEMO_JIMO_REGIONS) as DemoJimoRegionKey[]).map((key) => {
      const region = DEMO_JIMO_REGIONS[key];
      return { id: region.id, parentId: region.parent ? DEMO_JIMO_REGIONS[region.parent].id : null, kind: region.kind, path: pathOf(key) };
    }),
  );
  await insertDirectoryPersons(
    tx,
    [DEMO_JIMO_VOLUNTEER, ...DEMO_JIMO_HOUSEHOLDS.map((household) => household.resident)].map((person) => ({ id: person.id, registeredAt: beijing(1, 1, 9) })),
  );
  await insertDirectoryHouseholdMembers(
    tx,
    DEMO_JIMO_HOUSEHOLDS.map((household) => ({ householdId: household.id, personId: household.resident.id })),
  );
  const assignments = DEMO_JIMO_HOUSEHOLDS.map((household, index) => ({
    id: demoId(81, index + 1),
    householdId: household.id,
    volunteerId: volunteer,
    ...placeOf(household.address),
    assignedById: DEMO_STAFF[0]!.id,
    assignedAt: beijing(3, 1, 9),
  }));
  await tx.insert(caseloadAssignments).values(assignments).onConflictDoNothing();
  await seedJimoVisits(tx, assignments);
}

async function seedJimoVisits(tx: Transaction, assignments: (typeof caseloadAssignments.$inferInsert & { id: string })[]): Promise<void> {
  for (const [v, visit] of VISITS.entries()) {
    const assignment = assignments[visit.household]!;
    const visitId = demoId(81, 0x100 + v);
    await tx
      .insert(caseloadVisits)
      .values({ id: visitId, assignmentId: assignment.id, householdId: assignment.householdId, volunteerId: volunteer, visitedAt: visit.at, note: visit.note, createdAt: visit.at })
      .onConflictDoNothing();
    for (const [n, [categoryCode, description]] of visit.needs.entries()) {
      const requestId = demoId(81, 0x200 + v * 0x10 + n);
      const filed = {
        id: requestId,
        requesterId: DEMO_JIMO_HOUSEHOLDS[visit.household]!.resident.id,
        categoryCode,
        description,
        channel: 'grid_worker' as const,
        filedById: volunteer,
        regionId: assignment.regionId,
        regionPath: assignment.regionPath,
        createdAt: visit.at,
        updatedAt: visit.at,
      };
      await tx.insert(serviceRequests).values(filed).onConflictDoNothing();
      await tx
        .insert(requestTransitions)
        .values({ id: demoId(81, 0x300 + v * 0x10 + n), requestId, fromStatus: null, toStatus: 'submitted', actorKind: 'person', actorId: volunteer, at: visit.at })
        .onConflictDoNothing();
      await tx.insert(caseloadVisitRequests).values({ visitId, requestId }).onConflictDoNothing();
    }
  }
}
