/**
 * The demo data tells one story: the sample volunteer's hours, service
 * records, passbook, tallies and badges agree because the seeds announce
 * their facts as events and the graph applies them (deposits, tallies,
 * badges, the inbox) before it answers; and the stories happen relative to
 * today, so the latest of them are days old and the planned one is ahead.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { rowsOf } from '@lianxin/shared';
import { DEMO_LAST_YEAR, DEMO_REGIONS, DEMO_SAMPLE_PERSON_ID, DEMO_SHIFT_DAYS, DEMO_YANJIANG_BANK, demoBeijing, demoShiftDays } from '@lianxin/shared/demo';
import { sql } from 'drizzle-orm';
import { DEMO_COMPETITION_ID } from '../subgraphs/recognition/src/db/demo/competitions.js';
import { DUTY_DAYS, DUTY_VOLUNTEERS } from '../subgraphs/requests/src/db/demo/duty.js';
import { DEMO_CAMPAIGN_CATEGORIES, DEMO_CAMPAIGN_ID } from '../subgraphs/recognition/src/db/demo/campaigns.js';
import { startTestGraph, type TestGraph } from './support/graph.js';

const DAY_MS = 86_400_000;

const STORY = `{ me { person {
  serviceHours { minutes records }
  serviceRecords(first: 50) { edges { node { id minutes servedAt depositOutcome { status } } } }
  serviceTally { minutes services ratings averageRating lastServedAt }
  star { level minutes minutesToNext thresholds { region { id } levels } }
  badges { code awardedAt }
  account { balance transfers(first: 50) { edges { node { cause amount balanceAfter serviceRecord { id } } } } }
  requests(first: 50) { edges { node { id } } }
} notifications(first: 50) { edges { node { kind } } } unreadCount } }`;

interface Story {
  me: {
    person: {
      serviceHours: { minutes: number; records: number };
      serviceRecords: { edges: { node: { id: string; minutes: number; servedAt: string; depositOutcome: { status: string } | null } }[] };
      serviceTally: { minutes: number; services: number; ratings: number; averageRating: number | null; lastServedAt: string | null };
      star: { level: number; minutes: number; minutesToNext: number; thresholds: { region: { id: string } | null; levels: number[] } };
      badges: { code: string; awardedAt: string }[];
      account: {
        balance: number;
        transfers: { edges: { node: { cause: string; amount: number; balanceAfter: number; serviceRecord: { id: string } | null } }[] };
      };
    };
    notifications: { edges: { node: { kind: string } }[] };
    unreadCount: number;
  };
}

let graph: TestGraph;
let story: Story['me'];

beforeAll(async () => {
  graph = await startTestGraph();
  const token = await graph.token({ roles: ['volunteer'], personId: DEMO_SAMPLE_PERSON_ID });
  const response = await graph.query<Story>(STORY, { token });
  expect(response.errors).toBeUndefined();
  story = response.data!.me;
});
afterAll(async () => {
  await graph?.stop();
});

const db = () => graph.graph.subgraphs.people.database.db;

describe('the demo, told through its events', () => {
  it('gives 王建国 the hours his service records add up to, and tallies that count the same services', () => {
    const records = story.person.serviceRecords.edges.map((edge) => edge.node);
    const minutes = records.reduce((sum, record) => sum + record.minutes, 0);
    expect(records.length).toBeGreaterThanOrEqual(3);
    expect(story.person.serviceHours).toEqual({ minutes, records: records.length });
    expect(story.person.serviceTally).toMatchObject({ minutes, services: records.length });
    const latest = Math.max(...records.map((record) => new Date(record.servedAt).getTime()));
    expect(new Date(story.person.serviceTally.lastServedAt!).getTime()).toBe(latest);
  });

  it('measures his star by the same minutes, under 西一路街道’s own thresholds (Beijing’s), which his home inherits', () => {
    const { minutes } = story.person.serviceTally;
    expect(story.person.star).toEqual({
      level: 0,
      minutes,
      minutesToNext: 6000 - minutes,
      thresholds: { region: { id: DEMO_REGIONS.xiyilu.id }, levels: [100, 200, 500, 800, 1000] },
    });
  });

  it('deposits points for each of his service records once, and his balance is what his passbook lines add up to', () => {
    const lines = story.person.account.transfers.edges.map((edge) => edge.node);
    const deposits = lines.filter((line) => line.cause === 'SERVICE_RECORD');
    expect(deposits.map((line) => line.serviceRecord?.id).sort()).toEqual(story.person.serviceRecords.edges.map((edge) => edge.node.id).sort());
    expect(deposits.every((line) => line.amount > 0)).toBe(true);
    expect(story.person.serviceRecords.edges.map((edge) => edge.node.depositOutcome?.status)).toEqual(deposits.map(() => 'DEPOSITED'));
    expect(lines.filter((line) => line.cause === 'OPENING')).toHaveLength(1);
    expect(lines.reduce((sum, line) => sum + line.amount, 0)).toBe(story.person.account.balance);
    expect(lines[0]!.balanceAfter).toBe(story.person.account.balance);
  });

  it('counts the ratings residents gave his requests', async () => {
    const rated = await rowsOf<{ ratings: string; average: string | null }>(
      db(),
      sql`select count(*) as ratings, round(avg(rating), 2) as average from requests.service_requests where assignee_id = ${DEMO_SAMPLE_PERSON_ID} and rating is not null`,
    );
    expect(story.person.serviceTally.ratings).toBe(Number(rated[0]!.ratings));
    expect(story.person.serviceTally.ratings).toBeGreaterThan(0);
    expect(story.person.serviceTally.averageRating).toBe(Number(rated[0]!.average));
  });

  it('awards only the badges something caused: joining 乐修匠 and serving with it, when the second of the two happened', async () => {
    const joined = await rowsOf<{ joined_at: Date }>(db(), sql`select joined_at from people.team_members where person_id = ${DEMO_SAMPLE_PERSON_ID}`);
    expect(story.person.badges.map((badge) => badge.code)).toEqual(['team_served']);
    // Awarded as of the event that completed the rule: his joining, or one of his services.
    const moments = [...joined.map((row) => new Date(row.joined_at).getTime()), ...story.person.serviceRecords.edges.map((edge) => new Date(edge.node.servedAt).getTime())];
    expect(moments).toContain(new Date(story.person.badges[0]!.awardedAt).getTime());
  });

  it('fills his inbox from the same events: the requests dispatched to his team, the points deposited, the badge', () => {
    const kinds = new Set(story.notifications.edges.map((edge) => edge.node.kind));
    for (const kind of ['REQUEST_DISPATCHED', 'POINTS_DEPOSITED', 'BADGE_AWARDED']) expect(kinds).toContain(kind);
    expect(story.unreadCount).toBe(story.notifications.edges.length);
  });

  it('pays the charity fund’s share of the repair it covers from the requests’ event, once', async () => {
    const charges = await rowsOf<{ request_id: string; amount_fen: number }>(db(), sql`select request_id, amount_fen from requests.fund_charges`);
    expect(charges.length).toBeGreaterThan(0);
    for (const charge of charges) {
      const paid = await rowsOf<{ amount: string }>(db(), sql`select amount from points.fund_entries where kind = 'disbursement' and service_request_id = ${charge.request_id}`);
      expect(paid.map((row) => Number(row.amount))).toEqual([charge.amount_fen]);
    }
  });

  it('leaves nothing behind: every event of the demo applied, none dead-lettered', async () => {
    for (const schema of ['people', 'requests', 'points', 'recognition']) {
      const [waiting] = await rowsOf<{ pending: string; dead: string }>(
        db(),
        sql.raw(`select (select count(*) from ${schema}.inbox where status <> 'applied') as pending, (select count(*) from ${schema}.dead_letters) as dead`),
      );
      expect({ schema, pending: Number(waiting!.pending), dead: Number(waiting!.dead) }).toEqual({ schema, pending: 0, dead: 0 });
    }
  });
});

describe('the demo’s recognition', () => {
  it('ran a project competition to its final: gold to 尚善学苑’s gate duty, whose results are measured from the duty’s records', async () => {
    const token = await graph.token({ roles: ['volunteer'], personId: DEMO_SAMPLE_PERSON_ID });
    const response = await graph.query<{
      competition: {
        status: string;
        title: string;
        awards: { award: string; position: number; project: { name: string; results: { minutes: number; services: number; volunteers: number; activities: number } } }[];
      };
    }>(`query ($id: ID!) { competition(id: $id) { status title awards { award position project { name results { minutes services volunteers activities } } } } }`, {
      token,
      variables: { id: DEMO_COMPETITION_ID },
    });
    expect(response.errors).toBeUndefined();
    const { competition } = response.data!;
    expect(competition.status).toBe('AWARDED');
    expect(competition.awards.map((award) => [award.position, award.award, award.project.name])).toEqual([
      [1, 'GOLD', '尚善学苑家长卡口守护行动'],
      [2, 'SILVER', '乐修匠上门维修'],
      [3, 'BRONZE', '健康有约社区义诊'],
    ]);
    const days = DUTY_DAYS.reduce((sum, n) => sum + n, 0);
    expect(competition.awards[0]!.project.results).toEqual({ minutes: days * 12 * 60, services: days, volunteers: DUTY_DAYS.length, activities: Math.max(...DUTY_DAYS) });

    // Each award came with its honour certificate, issued when the final closed.
    const admin = await graph.token({ roles: ['platform_admin'] });
    const honours = await graph.query<{ competition: { awards: { project: { certificates: { title: string; issuer: string; status: string }[] } }[] } }>(
      `query ($id: ID!) { competition(id: $id) { awards { project { certificates { title issuer status } } } } }`,
      { token: admin, variables: { id: DEMO_COMPETITION_ID } },
    );
    expect(honours.errors).toBeUndefined();
    expect(honours.data!.competition.awards.map((award) => award.project.certificates)).toEqual(
      ['金奖', '银奖', '铜奖'].map((title) => [{ title, issuer: competition.title, status: 'VALID' }]),
    );
  });

  it('has a volunteer at each star under 西一路街道’s thresholds, from the gate duty’s hours, just past each threshold', async () => {
    const stars = [];
    for (const volunteer of DUTY_VOLUNTEERS) {
      const token = await graph.token({ roles: ['volunteer'], personId: volunteer.id });
      const response = await graph.query<{ me: { person: { star: { level: number; minutes: number }; serviceHours: { minutes: number } } } }>(
        `{ me { person { star { level minutes } serviceHours { minutes } } } }`,
        { token },
      );
      expect(response.errors).toBeUndefined();
      const { star, serviceHours } = response.data!.me.person;
      expect(star.minutes).toBe(serviceHours.minutes);
      stars.push(star);
    }
    expect(stars.map((star) => star.level)).toEqual([1, 2, 3, 4, 5]);
    const thresholds = [100, 200, 500, 800, 1000];
    for (const [index, star] of stars.entries()) {
      expect(star.minutes).toBeGreaterThanOrEqual(thresholds[index]! * 60);
      if (index < 4) expect(star.minutes).toBeLessThan(thresholds[index + 1]! * 60);
    }
  });

  it('closed the last quarter and year of 雁江区公益银行, freezing 3 five-star and 9 four-star offices, the fourth best kept by the quota', async () => {
    const token = await graph.token({ roles: ['volunteer'], personId: DEMO_SAMPLE_PERSON_ID });
    const response = await graph.query<{
      reviews: { period: { bucket: string } }[];
      bankUnit: { officeRatingScheme: { isDefault: boolean } };
    }>(`query ($bank: ID!) { reviews(bank: $bank) { period { bucket } } bankUnit(id: $bank) { officeRatingScheme { isDefault } } }`, {
      token,
      variables: { bank: DEMO_YANJIANG_BANK.head.id },
    });
    expect(response.errors).toBeUndefined();
    expect(response.data!.reviews.map((review) => review.period.bucket).sort()).toEqual(['QUARTER', 'YEAR']);
    expect(response.data!.bankUnit.officeRatingScheme.isDefault).toBe(false);
    const ratings = [];
    for (const office of DEMO_YANJIANG_BANK.offices) {
      const rated = await graph.query<{ bankUnit: { rating: { stars: number; rank: number; provisional: boolean; explanation: string } } }>(
        `query ($id: ID!, $year: Int!) { bankUnit(id: $id) { rating(year: $year) { stars rank provisional explanation } } }`,
        { token, variables: { id: office.id, year: DEMO_LAST_YEAR } },
      );
      expect(rated.errors).toBeUndefined();
      ratings.push(rated.data!.bankUnit.rating);
    }
    expect(ratings.every((rating) => !rating.provisional)).toBe(true);
    expect(ratings.filter((rating) => rating.stars === 5)).toHaveLength(3);
    expect(ratings.filter((rating) => rating.stars === 4)).toHaveLength(9);
    const fourth = ratings.find((rating) => rating.rank === 4)!;
    expect(fourth.stars).toBe(4);
    expect(fourth.explanation).toContain('quota of 3 offices at that level is full');
  });
});

describe('the demo’s honour campaign', () => {
  it('published 新城区’s campaign for anyone to read: each category’s winners up to its quota, the anti-epidemic stars holding the star it asks for', async () => {
    const response = await graph.query<{
      campaign: {
        stage: string;
        year: number;
        categories: {
          name: string;
          quota: number;
          minStarLevel: number | null;
          nominations: unknown[];
          winners: { slot: number; displayName: string; citation: string; person: { id: string; star: { level: number } } | null; organization: { name: string } | null }[];
        }[];
      };
    }>(
      `query ($id: ID!) { campaign(id: $id) { stage year categories { name quota minStarLevel nominations { id }
         winners { slot displayName citation person { id star { level } } organization { name } } } } }`,
      { variables: { id: DEMO_CAMPAIGN_ID } },
    );
    expect(response.errors).toBeUndefined();
    const campaign = response.data!.campaign;
    expect(campaign.stage).toBe('PUBLISHED');
    expect(campaign.year).toBe(DEMO_LAST_YEAR);
    expect(campaign.categories.map((category) => [category.name, category.winners.length])).toEqual(DEMO_CAMPAIGN_CATEGORIES.map((category) => [category.name, category.quota]));
    expect(campaign.categories.every((category) => category.nominations.length === 0)).toBe(true);
    const [epidemic] = campaign.categories;
    expect(epidemic!.winners.map((winner) => winner.person!.id)).toEqual(
      DUTY_VOLUNTEERS.slice(-3)
        .reverse()
        .map((volunteer) => volunteer.id),
    );
    expect(epidemic!.winners.map((winner) => winner.person!.star.level)).toEqual([5, 4, 3]);
    expect(epidemic!.winners[0]!.citation).toBe('连续八十四天坚守小区卡口，守护邻里平安。');
    expect(campaign.categories.at(-1)!.winners.map((winner) => winner.organization?.name)).toEqual(['尚善学苑']);
  });

  it('shows 王建国’s honours: the organiser’s category he won and the title recorded from outside', async () => {
    const response = await graph.query<{ person: { honours: { kind: string; title: string }[] } }>(`query ($id: ID!) { person(id: $id) { honours { kind title } } }`, {
      token: await graph.token({ roles: ['volunteer'], personId: DEMO_SAMPLE_PERSON_ID }),
      variables: { id: DEMO_SAMPLE_PERSON_ID },
    });
    expect(response.errors).toBeUndefined();
    expect(response.data!.person.honours).toEqual(
      expect.arrayContaining([
        { kind: 'CAMPAIGN', title: '最美志愿服务组织者' },
        { kind: 'TITLE', title: '中国好人' },
      ]),
    );
  });
});

describe('the demo’s dates, relative to today', () => {
  it("moves every story by the whole days between its today and the day it is loaded (today in Beijing, or this run's DEMO_TODAY)", () => {
    const loaded = process.env['DEMO_TODAY'] || new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    expect(demoBeijing(12, 3, 12).toISOString().slice(0, 10)).toBe(loaded);
    expect(demoBeijing(12, 3, 12).getTime() - Date.UTC(2022, 11, 3, 4)).toBe(DEMO_SHIFT_DAYS * DAY_MS);
    expect(demoShiftDays(Date.parse(`${loaded}T00:30:00+08:00`))).toBe(DEMO_SHIFT_DAYS);
    expect(demoShiftDays(Date.parse(`${loaded}T23:30:00+08:00`))).toBe(DEMO_SHIFT_DAYS);
  });

  it('puts the latest services in the days just before today, so this week and this month have data', async () => {
    const [latest] = await rowsOf<{ served_at: Date; created_at: Date }>(
      db(),
      sql`select max(served_at) as served_at, max(created_at) as created_at from requests.service_records`,
    );
    const age = Date.now() - new Date(latest!.served_at).getTime();
    expect(age).toBeGreaterThan(0);
    expect(age).toBeLessThan(4 * DAY_MS);
    expect(new Date(latest!.created_at).getTime()).toBeLessThan(Date.now());
  });

  it('keeps the planned activity day ahead', async () => {
    const [planned] = await rowsOf<{ starts_at: Date }>(db(), sql`select max(starts_at) as starts_at from requests.activities`);
    expect(new Date(planned!.starts_at).getTime()).toBeGreaterThan(Date.now());
  });
});
