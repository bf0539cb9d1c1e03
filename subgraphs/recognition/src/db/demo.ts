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
 *
 * One part has no events behind it: 雁江区公益银行's figures for the year
 * before the demo's, as the bank carried them over from the books it kept
 * before joining the graph (no service of the demo happened there). On them
 * its last quarter and its year are closed, as the nightly close would have
 * closed them, so the year's office ratings are frozen: 3 five-star offices
 * and 9 four-star, the fourth best kept to four stars by the five-star quota.
 */
import type { Database, Transaction } from '@lianxin/shared';
import {
  DEMO_GRID_WORKERS,
  DEMO_HOUSEHOLD_RESIDENTS,
  DEMO_MORE_VOLUNTEERS,
  DEMO_REGIONS,
  DEMO_RESIDENTS,
  DEMO_STAFF,
  DEMO_VOLUNTEERS,
  DEMO_LAST_YEAR,
  DEMO_XINCHENG_REGIONS,
  DEMO_YANJIANG_BANK,
  DEMO_YANJIANG_REGIONS,
  demoRegionId,
} from '@lianxin/shared/demo';
import { calendarPeriodOf } from '../periods/calendar.js';
import { seedCertificates } from './demo/certificates.js';
import { seedCampaigns } from './demo/campaigns.js';
import { recordBankUnit } from '../periods/store.js';
import { closeReview } from '../reviews/service.js';
import { seedCompetitions } from './demo/competitions.js';
import { findHeadBanks } from '../reviews/store.js';
import { officeRatingSchemes, officeYearTallies, personHomes, regionLevels, starThresholds } from './schema.js';

/**
 * 西一路街道 sets its own thresholds, Beijing's 100 / 200 / 500 / 800 /
 * 1,000 hours (docs/domain.md, "Volunteer stars"), for the volunteers living
 * in 兴乐社区 below it; the rest of 新城区 follows the national practice.
 */
export const DEMO_STAR_THRESHOLDS = { region: DEMO_REGIONS.xiyilu.id, levels: [100, 200, 500, 800, 1000] } as const;

export async function seedRecognitionDemo(db: Database): Promise<void> {
  const regions: { id: string; kind: string; parent: string | null }[] = [
    ...Object.values(DEMO_REGIONS),
    ...Object.values(DEMO_XINCHENG_REGIONS),
    ...Object.values(DEMO_YANJIANG_REGIONS),
  ];
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
  await db.transaction((tx) => seedYanjiangYear(tx));
  await db.transaction((tx) => seedCertificates(tx));
  await db.transaction((tx) => seedCampaigns(tx));
  await db.transaction((tx) => seedCompetitions(tx));
}

/**
 * How 雁江区公益银行 rates its offices: service hours weigh most, stars at
 * 20 / 40 / 60 / 75 / 90 points, at most 9 four-star and 3 five-star offices.
 */
export const DEMO_YANJIANG_SCHEME = {
  weights: { accounts: 20, hours: 30, projects: 20, redeemed: 20, merchants: 10 },
  thresholds: [20, 40, 60, 75, 90],
  quotas: [null, null, null, 9, 3],
} as const;

/**
 * Each office's last year, in the order of DEMO_YANJIANG_BANK.offices:
 * accounts opened, service hours, projects, points redeemed, merchants
 * recruited. Four offices score 90 or more; the quota keeps the fourth at
 * four stars.
 */
const YANJIANG_FIGURES: [number, number, number, number, number][] = [
  [412, 5200, 18, 38600, 9],
  [398, 5050, 17, 37200, 8],
  [405, 4900, 16, 36100, 9],
  [380, 4850, 17, 35500, 8],
  [350, 4400, 15, 33000, 7],
  [342, 4300, 15, 32500, 7],
  [336, 4250, 14, 32000, 7],
  [330, 4200, 14, 31000, 7],
  [325, 4150, 14, 30800, 6],
  [318, 4100, 13, 30500, 7],
  [312, 4000, 14, 30100, 6],
  [305, 3950, 13, 29800, 7],
  [260, 3300, 11, 24000, 5],
  [210, 2800, 9, 19500, 4],
];

/** Yanjiang's carried-over year, its rating scheme, and its closed last quarter and year (each once: a closed period stays closed). */
async function seedYanjiangYear(tx: Transaction): Promise<void> {
  const bankId = DEMO_YANJIANG_BANK.head.id;
  // The units as points announces them (`bank_unit.opened`, applied later as a no-op): the close needs them now.
  await recordBankUnit(tx, { unitId: bankId, kind: 'head_bank', bankId, parentId: null, regionId: demoRegionId(DEMO_YANJIANG_BANK.head.region) });
  for (const branch of DEMO_YANJIANG_BANK.branches) {
    await recordBankUnit(tx, { unitId: branch.id, kind: 'branch', bankId, parentId: bankId, regionId: demoRegionId(branch.region) });
  }
  for (const office of DEMO_YANJIANG_BANK.offices) {
    await recordBankUnit(tx, { unitId: office.id, kind: 'savings_office', bankId, parentId: office.parent ?? bankId, regionId: demoRegionId(office.region) });
  }
  await tx
    .insert(officeYearTallies)
    .values(
      DEMO_YANJIANG_BANK.offices.map((office, index) => {
        const [accountsOpened, hours, projects, pointsRedeemed, merchantsJoined] = YANJIANG_FIGURES[index]!;
        return { officeId: office.id, year: DEMO_LAST_YEAR, bankId, accountsOpened, serviceMinutes: hours * 60, projects, pointsRedeemed, merchantsJoined };
      }),
    )
    .onConflictDoNothing();
  const { weights, thresholds, quotas } = DEMO_YANJIANG_SCHEME;
  // Left as it is when the demo is loaded again: an admin may have changed it since.
  await tx
    .insert(officeRatingSchemes)
    .values({
      bankId,
      weightAccounts: weights.accounts,
      weightHours: weights.hours,
      weightProjects: weights.projects,
      weightRedeemed: weights.redeemed,
      weightMerchants: weights.merchants,
      thresholds: [...thresholds],
      quota1: quotas[0],
      quota2: quotas[1],
      quota3: quotas[2],
      quota4: quotas[3],
      quota5: quotas[4],
      setBy: 'demo',
    })
    .onConflictDoNothing();
  const [bank] = await findHeadBanks(tx, [bankId]);
  if (!bank) throw new Error('the demo has no Yanjiang head bank');
  await closeReview(tx, bank, calendarPeriodOf({ bucket: 'QUARTER', start: `${DEMO_LAST_YEAR}-10-01` }), 'demo');
  await closeReview(tx, bank, calendarPeriodOf({ bucket: 'YEAR', start: `${DEMO_LAST_YEAR}-01-01` }), 'demo');
}
