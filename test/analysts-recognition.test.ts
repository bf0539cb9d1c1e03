/**
 * The analysts' questions recognition answers, through the gateway with an
 * analyst token, with figures checked against the demo's service records and
 * ratings read straight from the requests tables (the demo's events are
 * applied before these tests, so recognition has counted them): (v) the top
 * 10 volunteers by hours this quarter in one street, each a public person;
 * and service and ratings per street and quarter.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { rowsOf } from '@lianxin/shared';
import { DEMO_REGIONS, demoBeijing } from '@lianxin/shared/demo';
import { sql } from 'drizzle-orm';
import { startTestGraph, type TestGraph } from './support/graph.js';

const LEADERBOARD = `query ($street: ID!, $from: Date!, $to: Date!, $first: Int = 10) {
  volunteerLeaderboard(filter: { region: $street, from: $from, to: $to }, first: $first) {
    rank minutes hours services volunteer { id displayName badges { code } }
  }
}`;
const TALLY_STATS = `query ($street: ID!, $from: Date!, $to: Date!) {
  serviceTallyStats(filter: { region: $street, from: $from, to: $to }, groupBy: { region: STREET, period: QUARTER }) {
    total { minutes hours services volunteers ratings averageRating }
    buckets { region { id name } period { start end } figures { minutes services volunteers ratings averageRating } }
  }
}`;

interface Entry {
  rank: number;
  minutes: number;
  hours: number;
  services: number;
  volunteer: { id: string; displayName: string; badges: { code: string }[] | null };
}

let graph: TestGraph;
let analyst: string;
const STREET = DEMO_REGIONS.xiyilu;

beforeAll(async () => {
  graph = await startTestGraph();
  analyst = await graph.token({ roles: ['analyst'] });
});
afterAll(async () => {
  await graph?.stop();
});

/** The first and last day of the Beijing calendar quarter holding `day`. */
function quarterOf(day: Date): { from: string; to: string } {
  const beijing = new Date(day.getTime() + 8 * 3_600_000);
  const month = beijing.getUTCMonth() - (beijing.getUTCMonth() % 3);
  const first = new Date(Date.UTC(beijing.getUTCFullYear(), month, 1));
  const last = new Date(Date.UTC(beijing.getUTCFullYear(), month + 3, 0));
  return { from: first.toISOString().slice(0, 10), to: last.toISOString().slice(0, 10) };
}

const requestsDb = () => graph.graph.subgraphs.requests.database.db;
const inWindow = (column: string, from: string, to: string) =>
  sql`${sql.raw(column)} >= ${`${from}T00:00:00+08:00`}::timestamptz and ${sql.raw(column)} < (${`${to}T00:00:00+08:00`}::timestamptz + interval '1 day')`;

/** The service records of the street in the window, as an analyst would read them: [volunteer, minutes, kind, id, reverses]. */
async function recordsOf(from: string, to: string) {
  return rowsOf<{ id: string; kind: string; minutes: number; volunteer_id: string; reverses_id: string | null; served_at: unknown }>(
    requestsDb(),
    sql`select r.id, r.kind, r.minutes, r.volunteer_id, r.reverses_id from requests.service_records r
         where ${STREET.id}::uuid = any(r.region_path) and ${inWindow('r.served_at', from, to)}`,
  );
}

/** The leaderboard counted by hand: minutes and services per volunteer with a record that stands, most minutes first. */
async function expectedBoard(from: string, to: string): Promise<{ volunteerId: string; minutes: number; services: number }[]> {
  const records = await recordsOf(from, to);
  const reversed = new Set(records.map((record) => record.reverses_id).filter((id) => id !== null));
  const byVolunteer = new Map<string, { minutes: number; services: number; stands: boolean }>();
  for (const record of records) {
    const figures = byVolunteer.get(record.volunteer_id) ?? { minutes: 0, services: 0, stands: false };
    figures.minutes += record.minutes;
    figures.services += record.kind === 'service' ? 1 : -1;
    figures.stands ||= record.kind === 'service' && !reversed.has(record.id);
    byVolunteer.set(record.volunteer_id, figures);
  }
  return [...byVolunteer]
    .filter(([, figures]) => figures.stands && figures.minutes > 0)
    .map(([volunteerId, { minutes, services }]) => ({ volunteerId, minutes, services }))
    .sort((a, b) => b.minutes - a.minutes || (a.volunteerId < b.volunteerId ? -1 : 1))
    .slice(0, 10);
}

async function leaderboard(window: { from: string; to: string }, first = 10): Promise<Entry[]> {
  const response = await graph.query<{ volunteerLeaderboard: Entry[] }>(LEADERBOARD, { variables: { street: STREET.id, ...window, first }, token: analyst });
  expect(response.errors).toBeUndefined();
  return response.data!.volunteerLeaderboard;
}

describe('(v) top 10 volunteers by hours this quarter in one street', () => {
  it('ranks this quarter’s volunteers of 西一路街道 as the records hold them', async () => {
    const quarter = quarterOf(new Date());
    const board = await leaderboard(quarter);
    const expected = await expectedBoard(quarter.from, quarter.to);
    expect(board.map((entry) => ({ volunteerId: entry.volunteer.id, minutes: entry.minutes, services: entry.services }))).toEqual(expected);
    for (const entry of board) expect(entry.hours).toBe(Math.round((entry.minutes / 60) * 100) / 100);
  });

  it('ranks the quarter of the stories’ late-November repairs, each volunteer a public person: masked name and badges', async () => {
    const quarter = quarterOf(demoBeijing(11, 27, 10));
    const board = await leaderboard(quarter);
    const expected = await expectedBoard(quarter.from, quarter.to);
    expect(expected.length).toBeGreaterThan(0);
    expect(board.map((entry) => ({ volunteerId: entry.volunteer.id, minutes: entry.minutes, services: entry.services }))).toEqual(expected);
    expect(board[0]!.rank).toBe(1);
    for (const [index, entry] of board.entries()) {
      expect(entry.rank).toBe(1 + board.findIndex((other) => other.minutes === entry.minutes));
      expect(entry.rank).toBeLessThanOrEqual(index + 1);
      expect(entry.volunteer.displayName).toMatch(/^.\*\*$/u);
    }
    // Badges are public: each ranked volunteer's resolve (a list, empty for one who has not served with a team they
    // joined), and the volunteers who joined 乐修匠 and served with it hold the team badge. The top 10 of this quarter may
    // all be the gate-scanning roster's 七色光 groups (no team's requests), so the whole board is read for the badge.
    const whole = await leaderboard(quarter, 100);
    expect(whole.slice(0, board.length)).toEqual(board);
    expect(whole.every((entry) => Array.isArray(entry.volunteer.badges))).toBe(true);
    expect(whole.some((entry) => entry.volunteer.badges?.some((badge) => badge.code === 'team_served'))).toBe(true);
  });

  it('never gives an analyst a volunteer’s phone or ID number in full', async () => {
    const quarter = quarterOf(demoBeijing(11, 27, 10));
    const response = await graph.query<{ volunteerLeaderboard: { volunteer: { phone: string | null; idNumber: string | null } }[] }>(
      `query ($street: ID!, $from: Date!, $to: Date!) { volunteerLeaderboard(filter: { region: $street, from: $from, to: $to }) { volunteer { phone idNumber } } }`,
      { variables: { street: STREET.id, ...quarter }, token: analyst },
    );
    for (const { volunteer } of response.data?.volunteerLeaderboard ?? []) {
      if (volunteer.phone !== null) expect(volunteer.phone).toContain('****');
      if (volunteer.idNumber !== null) expect(volunteer.idNumber).toContain('***');
    }
  });

  it('asks an anonymous caller to sign in', async () => {
    const response = await graph.query(LEADERBOARD, { variables: { street: STREET.id, ...quarterOf(new Date()) } });
    expect(response.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  });
});

describe('service and ratings per street and quarter', () => {
  it('counts the street’s quarter as the records and ratings hold it, the street named through the graph', async () => {
    const quarter = quarterOf(demoBeijing(11, 27, 10));
    const response = await graph.query<{
      serviceTallyStats: {
        total: { minutes: number; hours: number; services: number; volunteers: number; ratings: number; averageRating: number | null };
        buckets: { region: { id: string; name: string }; period: { start: string; end: string }; figures: Record<string, unknown> }[];
      };
    }>(TALLY_STATS, { variables: { street: STREET.id, ...quarter }, token: analyst });
    expect(response.errors).toBeUndefined();
    const records = await recordsOf(quarter.from, quarter.to);
    const reversed = new Set(records.map((record) => record.reverses_id).filter((id) => id !== null));
    const [ratings] = await rowsOf<{ count: number; average: number | null }>(
      requestsDb(),
      sql`select count(*)::int as count, round(avg(rating), 2)::float8 as average from requests.service_requests
           where rating is not null and ${STREET.id}::uuid = any(region_path) and ${inWindow('rated_at', quarter.from, quarter.to)}`,
    );
    const minutes = records.reduce((sum, record) => sum + record.minutes, 0);
    const total = {
      minutes,
      hours: Math.round((minutes / 60) * 100) / 100,
      services: records.reduce((sum, record) => sum + (record.kind === 'service' ? 1 : -1), 0),
      volunteers: new Set(records.filter((record) => record.kind === 'service' && !reversed.has(record.id)).map((record) => record.volunteer_id)).size,
      ratings: ratings!.count,
      averageRating: ratings!.average,
    };
    expect(response.data!.serviceTallyStats.total).toEqual(total);
    expect(total.minutes).toBeGreaterThan(0);
    const { hours: _hours, ...figures } = total;
    expect(response.data!.serviceTallyStats.buckets).toEqual([{ region: { id: STREET.id, name: STREET.name }, period: { start: quarter.from, end: quarter.to }, figures }]);
  });

  it('is refused to a volunteer', async () => {
    const volunteer = await graph.token({ roles: ['volunteer'], personId: '00000000-0000-7000-8002-000000000001' });
    const response = await graph.query(TALLY_STATS, { variables: { street: STREET.id, ...quarterOf(new Date()) }, token: volunteer });
    expect(response.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  });
});
