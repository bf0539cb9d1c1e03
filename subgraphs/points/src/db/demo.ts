/**
 * The points part of the demo data set (see @lianxin/shared demo cast): a
 * public welfare bank for the demo district on Yanjiang's three-tier model
 * (head bank → a branch per street → a savings office at each community's
 * practice station), its deposit rules, love-alliance merchants (Yonghui, a
 * happy supermarket and a charity supermarket) with catalogues and the
 * central exchange, a passbook for every demo volunteer and resident with
 * opening points issued from the issuance account, the community charity
 * fund, and the demo cast in the directory of persons the bank acts for. Idempotent: rows
 * that exist are skipped, and an account that exists is skipped together
 * with its opening transfer, so points are never issued twice.
 */
import type { Database, Transaction } from '@lianxin/shared';
import {
  DEMO_GRID_WORKERS,
  DEMO_HOUSEHOLD_RESIDENTS,
  DEMO_MORE_VOLUNTEERS,
  DEMO_ORGANIZATIONS as SHARED_ORGANIZATIONS,
  DEMO_REGIONS,
  DEMO_RESIDENTS,
  DEMO_STAFF,
  DEMO_STATIONS as SHARED_STATIONS,
  DEMO_VOLUNTEERS,
  DEMO_XINCHENG_REGIONS,
  demoId,
  demoRegionId,
} from '@lianxin/shared/demo';
import { passbookNumber } from '../accounts/passbook.js';
import { insertKnownPersons } from '../directory/store.js';
import { postFundEntry } from '../fund/store.js';
import { transfer } from '../ledger/store.js';
import type { PointsSettings } from '../settings.js';
import {
  ISSUANCE_ACCOUNT_ID,
  accounts,
  bankClerks,
  bankUnits,
  catalogItems,
  depositRules,
  funds,
  merchants,
  type BankUnitKind,
  type ContributionSource,
  type RedemptionWindowKind,
} from './schema.js';

/** Demo passbooks use the 9xxxxxxxxxx serial block, which the passbook sequence never reaches. */
const DEMO_SERIAL_BASE = 90_000_000_000;

const DEMO_ACTOR = 'demo-data';

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
} as const;

interface DemoUnit {
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
} as const;

/** The savings office of each demo community. */
const OFFICE_OF_COMMUNITY: Record<string, DemoUnit> = {
  xingle: DEMO_BANK.xingleOffice,
  ziming: DEMO_BANK.zimingOffice,
  xiangyang: DEMO_BANK.xiangyangOffice,
  xiangrong: DEMO_BANK.xiangrongOffice,
};

/** The community a demo building (or compound) lies in. */
function communityOf(key: string): string {
  const regions: Record<string, { kind: string; parent: string | null }> = { ...DEMO_REGIONS, ...DEMO_XINCHENG_REGIONS };
  for (let current: string | null = key; current !== null; current = regions[current]?.parent ?? null) {
    if (regions[current]?.kind === 'community') return current;
  }
  throw new Error(`demo region ${key} lies in no community`);
}

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

/** An organisation of the shared demo cast, by name (the people subgraph owns it). */
function organization(name: string): string {
  const found = SHARED_ORGANIZATIONS.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`the demo cast has no organisation ${name}`);
  return found.id;
}

/** The organisations behind the alliance merchants, from the shared demo cast. */
export const DEMO_ORGANIZATIONS = {
  yonghui: organization('永辉超市新城店'),
  happySupermarket: organization('兴乐幸福超市'),
  charitySupermarket: organization('紫铭爱心超市'),
} as const;

interface DemoItem {
  id: string;
  name: string;
  description: string | null;
  pricePoints: number;
  stock: number;
}

interface DemoMerchant {
  id: string;
  accountId: string;
  serial: number;
  kind: 'alliance' | 'central_exchange';
  name: string;
  organizationId: string | null;
  alwaysOpen: boolean;
  minimumBalance: number;
  items: DemoItem[];
}

export const DEMO_MERCHANTS = {
  yonghui: {
    id: demoId(23, 1),
    accountId: demoId(21, 0x101),
    serial: DEMO_SERIAL_BASE + 101,
    kind: 'alliance',
    name: '永辉超市新城店',
    organizationId: DEMO_ORGANIZATIONS.yonghui,
    alwaysOpen: true,
    minimumBalance: 0,
    items: [
      { id: demoId(24, 1), name: '东北大米 5kg', description: '五常稻花香', pricePoints: 100, stock: 200 },
      { id: demoId(24, 2), name: '金龙鱼花生油 1.8L', description: null, pricePoints: 80, stock: 150 },
      { id: demoId(24, 3), name: '挂面 1kg', description: null, pricePoints: 20, stock: 300 },
      { id: demoId(24, 4), name: '洗衣液 2kg', description: null, pricePoints: 40, stock: 120 },
    ],
  },
  charitySupermarket: {
    id: demoId(23, 2),
    accountId: demoId(21, 0x102),
    serial: DEMO_SERIAL_BASE + 102,
    kind: 'alliance',
    name: '紫铭爱心超市',
    organizationId: DEMO_ORGANIZATIONS.charitySupermarket,
    alwaysOpen: false,
    minimumBalance: 0,
    items: [
      { id: demoId(24, 11), name: '大米 2.5kg', description: null, pricePoints: 50, stock: 100 },
      { id: demoId(24, 12), name: '菜籽油 1L', description: null, pricePoints: 45, stock: 80 },
      { id: demoId(24, 13), name: '牙膏牙刷套装', description: null, pricePoints: 15, stock: 200 },
      { id: demoId(24, 14), name: '毛巾', description: null, pricePoints: 10, stock: 200 },
      { id: demoId(24, 15), name: '肥皂', description: null, pricePoints: 5, stock: 300 },
    ],
  },
  happySupermarket: {
    id: demoId(23, 3),
    accountId: demoId(21, 0x103),
    serial: DEMO_SERIAL_BASE + 103,
    kind: 'alliance',
    name: '兴乐幸福超市',
    organizationId: DEMO_ORGANIZATIONS.happySupermarket,
    alwaysOpen: false,
    minimumBalance: 0,
    items: [
      { id: demoId(24, 21), name: '鸡蛋 30枚', description: null, pricePoints: 30, stock: 60 },
      { id: demoId(24, 22), name: '食盐 500g', description: null, pricePoints: 5, stock: 150 },
      { id: demoId(24, 23), name: '酱油 500ml', description: null, pricePoints: 10, stock: 100 },
    ],
  },
  exchange: {
    id: demoId(23, 10),
    accountId: demoId(21, 0x110),
    serial: DEMO_SERIAL_BASE + 110,
    kind: 'central_exchange',
    name: '新城区公益银行集中兑换点',
    organizationId: null,
    alwaysOpen: false,
    minimumBalance: 200,
    items: [
      { id: demoId(24, 31), name: '电饭煲', description: '高积分客户总行集中兑换', pricePoints: 300, stock: 10 },
      { id: demoId(24, 32), name: '床上四件套', description: '高积分客户总行集中兑换', pricePoints: 250, stock: 10 },
    ],
  },
} as const satisfies Record<string, DemoMerchant>;

/** Opening points: the captain 王建国 (the start banner's sample person) has the most. */
const OPENING_POINTS = [360, 280, 240, 300, 180, 150, 120, 200, 90, 60, 45, 20, 30, 20, 50];

/** Passbooks of the first cast (the 乐修匠 volunteers and the three residents), all at the Xingle office. */
export const DEMO_ACCOUNTS = [...DEMO_VOLUNTEERS, ...DEMO_RESIDENTS].map((person, index) => ({
  id: demoId(21, index + 1),
  holderId: person.id,
  officeId: DEMO_BANK.xingleOffice.id,
  passbookNumber: passbookNumber(DEMO_SERIAL_BASE + index + 1),
  openingPoints: OPENING_POINTS[index] ?? 20,
  // demoId(20, 1) is left unused, so opening transfers start at 2.
  openingTransferId: demoId(20, index + 2),
}));

/** Passbooks of the district's other volunteers, each at the office of the community they live in. */
export const DEMO_MORE_ACCOUNTS = DEMO_MORE_VOLUNTEERS.map((person, index) => ({
  id: demoId(21, 0x200 + index),
  holderId: person.id,
  officeId: (OFFICE_OF_COMMUNITY[communityOf(person.home)] ?? DEMO_BANK.xingleOffice).id,
  passbookNumber: passbookNumber(DEMO_SERIAL_BASE + 0x200 + index),
  openingPoints: 20 + ((index * 37) % 180),
  openingTransferId: demoId(20, 0x200 + index),
}));

/** The community charity fund (尚善公益基金) and its first entries: money in fen. */
export const DEMO_FUND = {
  id: demoId(25, 1),
  name: '尚善公益基金',
  entries: [
    { id: demoId(25, 0x101), kind: 'contribution', amount: 500_000, source: 'sponsoring_unit', contributor: '新城区文明办', serviceRequestId: null, memo: '包联单位支持一点' },
    { id: demoId(25, 0x102), kind: 'contribution', amount: 2_000_000, source: 'company', contributor: '永辉超市', serviceRequestId: null, memo: '辖区企业共建一点' },
    { id: demoId(25, 0x103), kind: 'contribution', amount: 86_000, source: 'public', contributor: null, serviceRequestId: null, memo: '社会资助一点' },
    { id: demoId(25, 0x104), kind: 'contribution', amount: 32_000, source: 'residents', contributor: '兴乐社区居民', serviceRequestId: null, memo: '居民自筹一点' },
    // 刘桂芳's leaking tap (a requests demo request): materials paid by the fund.
    { id: demoId(25, 0x105), kind: 'disbursement', amount: 3_500, source: null, contributor: null, serviceRequestId: demoId(10, 1), memo: '水龙头阀芯材料费' },
  ],
} as const satisfies {
  id: string;
  name: string;
  entries: readonly {
    id: string;
    kind: 'contribution' | 'disbursement';
    amount: number;
    source: ContributionSource | null;
    contributor: string | null;
    serviceRequestId: string | null;
    memo: string;
  }[];
};

async function seedBank(tx: Transaction): Promise<void> {
  const units: DemoUnit[] = Object.values(DEMO_BANK);
  for (const demoUnit of units) {
    const parent = demoUnit.parent ? units.find((candidate) => candidate.id === demoUnit.parent) : null;
    await tx
      .insert(bankUnits)
      .values({
        id: demoUnit.id,
        kind: demoUnit.kind,
        name: demoUnit.name,
        parentId: demoUnit.parent,
        parentKind: parent?.kind ?? null,
        bankId: DEMO_BANK.head.id,
        regionId: demoUnit.regionId,
        stationId: demoUnit.stationId,
        redemptionWindow: demoUnit.redemptionWindow,
        isDefaultOffice: demoUnit.isDefaultOffice,
        createdBy: DEMO_ACTOR,
      })
      .onConflictDoNothing();
  }
  await tx
    .insert(bankClerks)
    .values({ ...DEMO_CLERK, assignedBy: DEMO_ACTOR })
    .onConflictDoNothing();
  await tx
    .insert(depositRules)
    .values(Object.entries(DEMO_DEPOSIT_RULES).map(([categoryCode, pointsPerHour]) => ({ bankId: DEMO_BANK.head.id, categoryCode, pointsPerHour, updatedBy: DEMO_ACTOR })))
    .onConflictDoNothing();
}

async function seedMerchants(tx: Transaction): Promise<void> {
  for (const merchant of Object.values(DEMO_MERCHANTS) as DemoMerchant[]) {
    const inserted = await tx
      .insert(merchants)
      .values({
        id: merchant.id,
        kind: merchant.kind,
        name: merchant.name,
        organizationId: merchant.organizationId,
        bankId: DEMO_BANK.head.id,
        alwaysOpen: merchant.alwaysOpen,
        minimumBalance: merchant.minimumBalance,
        createdBy: DEMO_ACTOR,
      })
      .onConflictDoNothing()
      .returning({ id: merchants.id });
    if (inserted.length === 0) continue;
    await tx.insert(accounts).values({
      id: merchant.accountId,
      kind: merchant.kind === 'central_exchange' ? 'exchange' : 'merchant',
      merchantId: merchant.id,
      passbookNumber: passbookNumber(merchant.serial),
      openedBy: DEMO_ACTOR,
    });
    await tx.insert(catalogItems).values(merchant.items.map((item) => ({ ...item, merchantId: merchant.id })));
  }
}

async function seedCustomers(tx: Transaction): Promise<void> {
  // Accounts opened a minute apart on 学雷锋纪念日 2022 keep the demo's order stable.
  const base = Date.UTC(2022, 2, 5, 1, 0, 0);
  for (const [index, account] of [...DEMO_ACCOUNTS, ...DEMO_MORE_ACCOUNTS].entries()) {
    const openedAt = new Date(base + index * 60_000);
    const inserted = await tx
      .insert(accounts)
      .values({
        id: account.id,
        kind: 'customer',
        holderId: account.holderId,
        officeId: account.officeId,
        passbookNumber: account.passbookNumber,
        openedAt,
        openedBy: DEMO_ACTOR,
      })
      .onConflictDoNothing()
      .returning({ id: accounts.id });
    if (inserted.length === 0) continue;
    await transfer(tx, {
      id: account.openingTransferId,
      debit: ISSUANCE_ACCOUNT_ID,
      credit: account.id,
      amount: account.openingPoints,
      cause: 'opening',
      createdBy: DEMO_ACTOR,
      createdAt: openedAt,
    });
  }
}

async function seedFund(tx: Transaction): Promise<void> {
  const inserted = await tx
    .insert(funds)
    .values({ id: DEMO_FUND.id, name: DEMO_FUND.name, bankId: DEMO_BANK.head.id, createdBy: DEMO_ACTOR })
    .onConflictDoNothing()
    .returning({ id: funds.id });
  if (inserted.length === 0) return;
  const base = Date.UTC(2022, 2, 1, 2, 0, 0);
  for (const [index, entry] of DEMO_FUND.entries.entries()) {
    await postFundEntry(tx, { ...entry, fundId: DEMO_FUND.id, createdBy: DEMO_ACTOR, createdAt: new Date(base + index * 86_400_000) });
  }
}

/**
 * Every person of the demo cast, in the order the people subgraph's demo
 * data registers them: seeded without events, so the directory gets them
 * here rather than from `person.registered`.
 */
export const DEMO_KNOWN_PERSONS = [...DEMO_VOLUNTEERS, ...DEMO_RESIDENTS, ...DEMO_STAFF, ...DEMO_MORE_VOLUNTEERS, ...DEMO_HOUSEHOLD_RESIDENTS, ...DEMO_GRID_WORKERS].map(
  (person) => person.id,
);

async function seedDirectory(tx: Transaction): Promise<void> {
  // Registered a minute apart from 10 January 2022, as people's demo data registers them.
  const base = Date.UTC(2022, 0, 10, 1, 0, 0);
  await insertKnownPersons(
    tx,
    DEMO_KNOWN_PERSONS.map((personId, index) => ({ personId, registeredAt: new Date(base + index * 60_000) })),
  );
}

export async function seedPointsDemo(db: Database, _settings?: PointsSettings): Promise<void> {
  await db.transaction(async (tx) => {
    await seedDirectory(tx);
    await seedBank(tx);
    await seedMerchants(tx);
    await seedCustomers(tx);
    await seedFund(tx);
  });
}
