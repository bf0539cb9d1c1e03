/**
 * The requests seed's reading of the shared demo cast: who is who in the
 * stories, when things happened (Beijing time on the stories' calendar,
 * moved relative to today), where they happened, who looks after each special-needs household, and the fixed ids the
 * stories share (requests in group 10, devices in group 16).
 */
import {
  DEMO_GRIDS,
  DEMO_HOUSEHOLDS,
  DEMO_MORE_VOLUNTEERS,
  DEMO_REGIONS,
  DEMO_RESIDENTS,
  DEMO_STAFF,
  DEMO_VOLUNTEERS,
  DEMO_XINCHENG_REGIONS,
  DEMO_YANJIANG_REGIONS,
  demoBeijing,
  demoId,
  demoRegionId,
} from '@lianxin/shared/demo';
import type { DirectoryRegionRow } from '../schema.js';

/** A moment of the stories as Beijing wall-clock time in 2022, which is how the community would tell it, moved relative to today (see `demoBeijing`). */
export const beijing = demoBeijing;
export const minutesAfter = (at: Date, minutes: number): Date => new Date(at.getTime() + minutes * 60_000);

export const [liuGuifang, heDeshun, zhengXiaohong] = DEMO_RESIDENTS as [(typeof DEMO_RESIDENTS)[number], (typeof DEMO_RESIDENTS)[number], (typeof DEMO_RESIDENTS)[number]];
export const [wangJianguo, zhangXiuying, liuZhiqiang, chenGuilan, yangMing] = DEMO_VOLUNTEERS as [
  (typeof DEMO_VOLUNTEERS)[number],
  (typeof DEMO_VOLUNTEERS)[number],
  (typeof DEMO_VOLUNTEERS)[number],
  (typeof DEMO_VOLUNTEERS)[number],
  (typeof DEMO_VOLUNTEERS)[number],
];
export const linXiao = DEMO_STAFF[0]!;
export const region = (key: string): string => demoRegionId(key);
export const householdOf = (personId: string) => DEMO_HOUSEHOLDS.find((household) => household.members.some((member) => member.personId === personId))!;

/** Every demo region with its ancestors, as the directory keeps them. */
export function directoryRegions(): DirectoryRegionRow[] {
  const all: Record<string, { id: string; kind: string; parent: string | null }> = { ...DEMO_REGIONS, ...DEMO_XINCHENG_REGIONS, ...DEMO_YANJIANG_REGIONS };
  const pathOf = (key: string): string[] => {
    const parent = all[key]!.parent;
    return parent ? [...pathOf(parent), all[parent]!.id] : [];
  };
  return Object.entries(all).map(([key, value]) => ({
    id: value.id,
    parentId: value.parent ? all[value.parent]!.id : null,
    kind: value.kind,
    path: pathOf(key),
  }));
}

/** A region's path as stored on what is placed there: its ancestors, then itself. */
const placePath = (key: string): string[] => {
  const row = directoryRegions().find((candidate) => candidate.id === region(key))!;
  return [...row.path, row.id];
};
export const placed = (key: string) => ({ regionId: region(key), regionPath: placePath(key) });

/**
 * Who looks after a special-needs household: a volunteer living in its
 * building (not of the parents' help group), or else its grid worker. The
 * same rule the people demo uses for `Household.caretaker`.
 */
export function caretakerOf(index: number): string | null {
  const household = DEMO_HOUSEHOLDS[index]!;
  if (household.needs.length === 0) return null;
  const neighbours = DEMO_MORE_VOLUNTEERS.filter((volunteer) => volunteer.home === household.address && volunteer.team !== 'shangshan');
  if (neighbours.length > 0) return neighbours[index % neighbours.length]!.id;
  const compound = (DEMO_XINCHENG_REGIONS[household.address]?.parent ?? (DEMO_REGIONS as Record<string, { parent: string | null }>)[household.address]?.parent) as string;
  return DEMO_GRIDS.find((grid) => grid.coverage.includes(compound))?.workerId ?? null;
}

/** Request ids of the demo stories. */
export const R = {
  leakingTap: demoId(10, 1),
  bloodPressurePills: demoId(10, 2),
  haircut: demoId(10, 3),
  tutoring: demoId(10, 4),
  hospitalEscort: demoId(10, 5),
  companionship: demoId(10, 6),
  stairwell: demoId(10, 7),
  lowIncomeRepair: demoId(10, 8),
  ordinaryRepair: demoId(10, 9),
  quotedRepair: demoId(10, 10),
  groceries: demoId(10, 11),
  callButton: demoId(10, 12),
};

/** The special-needs household the Jimo-style deliveries serve: elderly, living alone, low income. */
export const deliveryHousehold = DEMO_HOUSEHOLDS[4]!;
export const deliveryResident = deliveryHousehold.members[0]!.personId;

/**
 * 刘桂芳 lives alone: her call button and motion sensor notify her caseload
 * volunteer; the delivery household's sensor notifies its own.
 */
export const liuCaretaker = caretakerOf(DEMO_HOUSEHOLDS.indexOf(householdOf(liuGuifang.id))) ?? zhangXiuying.id;
export const deliveryCaretaker = caretakerOf(DEMO_HOUSEHOLDS.indexOf(deliveryHousehold)) ?? chenGuilan.id;
export const liuButton = demoId(16, 1);
export const deliverySensor = demoId(16, 2);
