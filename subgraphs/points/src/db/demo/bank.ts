/** The district's bank on Yanjiang's three tiers, its clerk and its deposit rules; and Yanjiang's own bank. */
import type { Transaction } from '@lianxin/shared';
import { DEMO_STAFF, DEMO_STATIONS as SHARED_STATIONS, DEMO_YANJIANG_BANK, demoId, demoRegionId, type DemoYanjiangUnit } from '@lianxin/shared/demo';
import { bankClerks, bankUnits, depositRules, officePairings, type BankUnitKind, type RedemptionWindowKind } from '../schema.js';
import { publishBankUnitOpened } from '../../events/publish.js';
import { DEMO_ACTOR } from './base.js';

/** A station of the shared demo cast, by name (the people subgraph owns it). */
function station(name: string): string {
  const found = SHARED_STATIONS.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`the demo cast has no station ${name}`);
  return found.id;
}

/** The practice stations the savings offices sit at. */
export const DEMO_STATIONS = {
  xingle: station('兴乐社区新时代文明实践站'),
  ziming: station('紫铭社区新时代文明实践站'),
  xiangyang: station('向阳社区新时代文明实践站'),
  xiangrong: station('向荣社区新时代文明实践站'),
  baotai: station('宝台村新时代文明实践站'),
} as const;

export interface DemoUnit {
  id: string;
  kind: BankUnitKind;
  name: string;
  parent: string | null;
  regionId: string;
  stationId: string | null;
  redemptionWindow: RedemptionWindowKind | null;
  isDefaultOffice: boolean;
}

const unit = (n: number, kind: BankUnitKind, name: string, parent: number | null, region: string, stationId: string | null = null): DemoUnit => ({
  id: demoId(22, n),
  kind,
  name,
  parent: parent === null ? null : demoId(22, parent),
  regionId: demoRegionId(region),
  stationId,
  redemptionWindow: kind === 'head_bank' ? 'first_weekend_of_month' : null,
  isDefaultOffice: n === 3,
});

/** A unit of Yanjiang's bank (the shared cast names it) as points opens it. */
const yanjiangUnit = (kind: BankUnitKind, shared: DemoYanjiangUnit): DemoUnit => ({
  id: shared.id,
  kind,
  name: shared.name,
  parent: kind === 'head_bank' ? null : (shared.parent ?? DEMO_YANJIANG_BANK.head.id),
  regionId: demoRegionId(shared.region),
  stationId: shared.station ?? null,
  redemptionWindow: kind === 'head_bank' ? 'first_weekend_of_month' : null,
  isDefaultOffice: false,
});

/** 雁江区公益银行's units, parents first: no demo customers bank there; its offices' figures for the last year are recognition's. */
export const DEMO_YANJIANG_UNITS: DemoUnit[] = [
  yanjiangUnit('head_bank', DEMO_YANJIANG_BANK.head),
  ...DEMO_YANJIANG_BANK.branches.map((branch) => yanjiangUnit('branch', branch)),
  ...DEMO_YANJIANG_BANK.offices.map((office) => yanjiangUnit('savings_office', office)),
];

/**
 * The district's bank on Yanjiang's three tiers: a head bank, a branch per
 * street, a savings office at each community's practice station. The ids
 * 22/1–22/3 and the Xingle station also appear in migration 0001, which
 * places accounts opened before offices existed at the Xingle office: keep
 * them in step.
 */
export const DEMO_BANK = {
  head: unit(1, 'head_bank', '新城区公益银行', null, 'xincheng'),
  xiyiluBranch: unit(2, 'branch', '西一路街道分行', 1, 'xiyilu'),
  xingleOffice: unit(3, 'savings_office', '兴乐社区储蓄所', 2, 'xingle', DEMO_STATIONS.xingle),
  changleBranch: unit(4, 'branch', '长乐中路街道分行', 1, 'changleZhonglu'),
  zimingOffice: unit(5, 'savings_office', '紫铭社区储蓄所', 4, 'ziming', DEMO_STATIONS.ziming),
  xiangyangOffice: unit(6, 'savings_office', '向阳社区储蓄所', 4, 'xiangyang', DEMO_STATIONS.xiangyang),
  ziqiangBranch: unit(7, 'branch', '自强路街道分行', 1, 'ziqianglu'),
  xiangrongOffice: unit(8, 'savings_office', '向荣社区储蓄所', 7, 'xiangrong', DEMO_STATIONS.xiangrong),
  /** The rural office paired with Xingle's (城乡结对); in group 27 with the rest of the pairing. */
  baotaiOffice: { ...unit(9, 'savings_office', '宝台村储蓄所', 7, 'baotai', DEMO_STATIONS.baotai), id: demoId(27, 4) },
} as const;

/** The urban–rural pairing (城乡结对): Xingle's office lists the products of the merchants Baotai's office recruited. */
export const DEMO_PAIRING = { id: demoId(27, 5), cityOfficeId: DEMO_BANK.xingleOffice.id, ruralOfficeId: DEMO_BANK.baotaiOffice.id } as const;

/** Points per hour of service, by category, at the demo bank (积分入折 rules). */
export const DEMO_DEPOSIT_RULES: Record<string, number> = {
  buying_daily_necessities: 10,
  hospital_escort: 15,
  urgent_medicine: 12,
  psychological_support: 15,
  home_repair: 20,
  cleaning: 10,
  haircut: 10,
  tutoring: 12,
  companionship: 10,
  other: 5,
};

/** The clerk of the Xingle office: 林晓, who also administers the community. */
export const DEMO_CLERK = { personId: DEMO_STAFF[0]!.id, unitId: DEMO_BANK.xingleOffice.id };

export async function seedBank(tx: Transaction): Promise<void> {
  await openUnits(tx, Object.values(DEMO_BANK));
  await openUnits(tx, DEMO_YANJIANG_UNITS);
  await tx
    .insert(bankClerks)
    .values({ ...DEMO_CLERK, assignedBy: DEMO_ACTOR })
    .onConflictDoNothing();
  await tx
    .insert(depositRules)
    .values(Object.entries(DEMO_DEPOSIT_RULES).map(([categoryCode, pointsPerHour]) => ({ bankId: DEMO_BANK.head.id, categoryCode, pointsPerHour, updatedBy: DEMO_ACTOR })))
    .onConflictDoNothing();
  await tx
    .insert(officePairings)
    .values({ ...DEMO_PAIRING, bankId: DEMO_BANK.head.id, createdBy: DEMO_ACTOR })
    .onConflictDoNothing();
}

/** Opens one bank's units, the head bank first and parents before children, announcing each as bankUnitCreate does. */
async function openUnits(tx: Transaction, units: DemoUnit[]): Promise<void> {
  for (const demoUnit of units) {
    const parent = demoUnit.parent ? units.find((candidate) => candidate.id === demoUnit.parent) : null;
    const opened = await tx
      .insert(bankUnits)
      .values({
        id: demoUnit.id,
        kind: demoUnit.kind,
        name: demoUnit.name,
        parentId: demoUnit.parent,
        parentKind: parent?.kind ?? null,
        bankId: units[0]!.id,
        regionId: demoUnit.regionId,
        stationId: demoUnit.stationId,
        redemptionWindow: demoUnit.redemptionWindow,
        isDefaultOffice: demoUnit.isDefaultOffice,
        createdBy: DEMO_ACTOR,
      })
      .onConflictDoNothing()
      .returning();
    // Announced as bankUnitCreate announces it: recognition learns each office's area.
    for (const unit of opened) await publishBankUnitOpened(tx, unit);
  }
}
