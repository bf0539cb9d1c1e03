/**
 * The demo's honour campaign and honour titles (docs/recognition.md,
 * "Campaigns and honour titles"). The seed article's Gulou district honoured
 * 120 volunteers in six categories and 80 organisations; the demo has no
 * Gulou, so its own district, 新城区, runs that campaign for the year before
 * the demo's: six volunteer categories and one for organisations, each with
 * a quota, one nominee more than the quota, two reviewers' scores, and the
 * winners published by the same function `campaignPublish` uses (so the
 * quota, the ranking and the `campaign.published` event are the real ones).
 * A few honour titles from outside are recorded on demo volunteers.
 *
 * Rows have fixed ids in groups 60 (campaign, categories), 63 (nominations)
 * and 62 (titles); a second start finds the campaign and writes nothing.
 */
import type { Transaction } from '@lianxin/shared';
import { DEMO_GRID_WORKERS, DEMO_LAST_YEAR, DEMO_MORE_VOLUNTEERS, DEMO_ORGANIZATIONS, DEMO_REGIONS, DEMO_STAFF, DEMO_VOLUNTEERS, demoId } from '@lianxin/shared/demo';
import { publishWinners } from '../../campaigns/service.js';
import { insertCategories, insertReviewer, insertScore, insertStageChange, setCampaignStage } from '../../campaigns/store.js';
import type { CampaignSubjectKind } from '../schema.js';
import { campaignNominations, campaigns, honourTitles } from '../schema.js';

const ACTOR = 'demo';

export const DEMO_CAMPAIGN_ID = demoId(60, 1);

/** When the campaign is published, with its winners' certificates: International Volunteer Day (12月5日) of last year, 10:00 in Beijing. */
const VOLUNTEER_DAY = new Date(`${DEMO_LAST_YEAR}-12-05T02:00:00.000Z`);

const shangshan = DEMO_MORE_VOLUNTEERS.filter((volunteer) => volunteer.team === 'shangshan');
const qiseguang = DEMO_MORE_VOLUNTEERS.filter((volunteer) => volunteer.team === 'qiseguang');
const jiankang = DEMO_MORE_VOLUNTEERS.filter((volunteer) => volunteer.team === 'jiankang');
const elders = DEMO_MORE_VOLUNTEERS.filter((volunteer) => volunteer.born < '1965');

interface DemoCategory {
  name: string;
  subjectKind: CampaignSubjectKind;
  quota: number;
  minStarLevel?: number;
  /** Nominees, best first (their scores fall in this order); the last one does not win. */
  nominees: { id: string; name: string }[];
}

/**
 * The categories. 最美抗疫之星 needs a star: its nominees are the parents
 * of the spring's gate duty, who hold one to five (the best ranked first).
 */
const CATEGORIES: (Omit<DemoCategory, 'nominees'> & { nominees: readonly { id: string; name: string }[] })[] = [
  { name: '最美抗疫之星', subjectKind: 'volunteer', quota: 3, minStarLevel: 1, nominees: shangshan.slice(-4).reverse() },
  { name: '最美银龄之星', subjectKind: 'volunteer', quota: 2, nominees: elders.slice(0, 3) },
  { name: '最美巾帼志愿者', subjectKind: 'volunteer', quota: 2, nominees: [DEMO_VOLUNTEERS[1]!, DEMO_VOLUNTEERS[3]!, DEMO_VOLUNTEERS[9]!] },
  { name: '最美青年志愿者', subjectKind: 'volunteer', quota: 2, nominees: jiankang.slice(1, 4) },
  { name: '最美志愿服务组织者', subjectKind: 'volunteer', quota: 1, nominees: [DEMO_VOLUNTEERS[0]!, qiseguang[0]!] },
  { name: '最美助残志愿者', subjectKind: 'volunteer', quota: 2, nominees: qiseguang.slice(1, 4) },
  { name: '优秀志愿服务组织', subjectKind: 'organization', quota: 1, nominees: [DEMO_ORGANIZATIONS[0]!, DEMO_ORGANIZATIONS[1]!] },
];
export const DEMO_CAMPAIGN_CATEGORIES: DemoCategory[] = CATEGORIES.map((category) => ({
  ...category,
  nominees: category.nominees.map((nominee) => ({ id: nominee.id, name: nominee.name })),
}));

const REVIEWERS = [DEMO_STAFF[0]!.id, DEMO_GRID_WORKERS[0]!.id];

/** Honour titles from outside on demo volunteers. */
const DEMO_TITLES = [
  { id: demoId(62, 1), personId: DEMO_VOLUNTEERS[0]!.id, title: '中国好人', source: '中央文明办', awardedOn: `${DEMO_LAST_YEAR}-06-28` },
  { id: demoId(62, 2), personId: shangshan.at(-1)!.id, title: '最美志愿者', source: '陕西省文明办', awardedOn: `${DEMO_LAST_YEAR}-12-05` },
  { id: demoId(62, 3), personId: elders[0]!.id, title: '道德模范', source: '西安市文明委', awardedOn: `${DEMO_LAST_YEAR - 1}-09-20` },
];

async function moveTo(tx: Transaction, from: 'draft' | 'nominating', to: 'nominating' | 'reviewing'): Promise<void> {
  await setCampaignStage(tx, DEMO_CAMPAIGN_ID, to);
  await insertStageChange(tx, { campaignId: DEMO_CAMPAIGN_ID, fromStage: from, toStage: to, changedBy: ACTOR });
}

/** The nominations (by 林晓, the community admin) and, once in review, the two reviewers' scores: 95, 92, 89 … down each category. */
async function nominateAndScore(tx: Transaction): Promise<void> {
  const nominations = DEMO_CAMPAIGN_CATEGORIES.flatMap((category, c) =>
    category.nominees.map((nominee, k) => ({
      id: demoId(63, c * 10 + k + 1),
      campaignId: DEMO_CAMPAIGN_ID,
      categoryId: demoId(60, 11 + c),
      subjectKind: category.subjectKind,
      subjectId: nominee.id,
      nominatorKind: 'admin' as const,
      nominatorPersonId: DEMO_STAFF[0]!.id,
      nominatedBy: ACTOR,
      statement: `${nominee.name}在${DEMO_LAST_YEAR}年的志愿服务中表现突出。`,
      displayName: nominee.name,
      score: 95 - 3 * k,
    })),
  );
  await tx.insert(campaignNominations).values(nominations.map(({ score: _score, ...row }) => row));
  for (const reviewer of REVIEWERS) await insertReviewer(tx, { campaignId: DEMO_CAMPAIGN_ID, personId: reviewer, assignedBy: ACTOR });
  await moveTo(tx, 'nominating', 'reviewing');
  for (const nomination of nominations) {
    for (const reviewer of REVIEWERS) await insertScore(tx, { nominationId: nomination.id, reviewerId: reviewer, campaignId: DEMO_CAMPAIGN_ID, score: nomination.score });
  }
}

/** 新城区's campaign, published, and the honour titles. */
export async function seedCampaigns(tx: Transaction): Promise<void> {
  await tx
    .insert(honourTitles)
    .values(DEMO_TITLES.map((title) => ({ ...title, recordedBy: ACTOR })))
    .onConflictDoNothing();
  const region = DEMO_REGIONS.xincheng;
  const [campaign] = await tx
    .insert(campaigns)
    .values({
      id: DEMO_CAMPAIGN_ID,
      regionId: region.id,
      regionChain: [DEMO_REGIONS.shaanxi.id, DEMO_REGIONS.xian.id, region.id],
      title: `新城区${DEMO_LAST_YEAR}年度最美志愿者评选`,
      description: '表彰一年来在疫情防控、助老助残、社区治理中表现突出的志愿者和志愿服务组织。',
      year: DEMO_LAST_YEAR,
      periodStart: `${DEMO_LAST_YEAR}-01-01`,
      periodEnd: `${DEMO_LAST_YEAR + 1}-01-01`,
      selfApplication: true,
      createdBy: ACTOR,
    })
    .onConflictDoNothing()
    .returning();
  if (!campaign) return;
  await insertStageChange(tx, { campaignId: DEMO_CAMPAIGN_ID, fromStage: null, toStage: 'draft', changedBy: ACTOR });
  await insertCategories(
    tx,
    DEMO_CAMPAIGN_CATEGORIES.map((category, c) => ({
      id: demoId(60, 11 + c),
      campaignId: DEMO_CAMPAIGN_ID,
      position: c + 1,
      name: category.name,
      subjectKind: category.subjectKind,
      quota: category.quota,
      minStarLevel: category.minStarLevel ?? null,
    })),
  );
  await moveTo(tx, 'draft', 'nominating');
  await nominateAndScore(tx);
  await publishWinners(tx, { ...campaign, stage: 'reviewing' }, new Map([[demoId(63, 1), '连续八十四天坚守小区卡口，守护邻里平安。']]), ACTOR, VOLUNTEER_DAY);
}
