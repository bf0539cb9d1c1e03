/**
 * Leaderboards through the gateway on real Postgres, with the event runners
 * of `npm start`: entries resolve their Person, Team and BankUnit in their
 * own subgraphs (a person by the masked `displayName`), and a person's
 * opt-out, made in people, reaches recognition by its event alone and shows
 * them as "a volunteer" in the same rank.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { desc, sql } from 'drizzle-orm';
import { newId } from '@lianxin/shared';
import { DEMO_BANK } from '../subgraphs/points/src/db/demo.js';
import { personMonthTallies } from '../subgraphs/recognition/src/db/schema.js';
import { startTestGraph, type TestGraph } from './support/graph.js';
import { operationsOn } from './support/operations.js';

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph({ EVENT_POLL_INTERVAL_MS: '50' });
});
afterAll(async () => {
  await graph?.stop();
});

const { ok, must, eventually } = operationsOn(() => graph);

const BOARD = `query ($kind: LeaderboardKind!, $subject: LeaderboardSubject!, $period: LeaderboardPeriodInput!, $scope: LeaderboardScopeInput) {
  leaderboard(kind: $kind, subject: $subject, period: $period, scope: $scope) {
    entries { rank anonymous value person { id displayName } team { id name } office { id } }
  }
}`;

interface Entry {
  rank: number;
  anonymous: boolean;
  value: number;
  person: { id: string; displayName: string } | null;
  team: { id: string; name: string } | null;
  office: { id: string } | null;
}
type Board = { leaderboard: { entries: Entry[] } };

describe('leaderboards through the gateway', () => {
  it('names persons by their masked display name and teams by name, and hides a person who opts out, in their rank', async () => {
    // The busiest month of the demo's services, as recognition counted them from requests' events.
    const [busiest] = await graph.graph.subgraphs.recognition.database.db
      .select({ month: personMonthTallies.month, services: sql<number>`sum(${personMonthTallies.services})::int` })
      .from(personMonthTallies)
      .groupBy(personMonthTallies.month)
      .orderBy(desc(sql`sum(${personMonthTallies.services})`))
      .limit(1);
    expect(busiest?.services).toBeGreaterThan(0);
    const period = { bucket: 'MONTH', start: busiest!.month };
    const reader = await graph.token({ roles: ['resident'], personId: newId() });

    const persons = await ok<Board>(BOARD, reader, { kind: 'HOURS', subject: 'PERSON', period });
    const [top] = persons.leaderboard.entries;
    expect(top).toMatchObject({ rank: 1, anonymous: false, team: null, office: null });
    expect(top!.person!.displayName).toMatch(/^.\*\*$/u);

    const teams = await ok<Board>(BOARD, reader, { kind: 'SERVICES', subject: 'TEAM', period });
    for (const entry of teams.leaderboard.entries) expect(entry.team?.name).toEqual(expect.any(String));

    // The head bank is known to recognition from points' bank_unit.opened: its offices rank by year.
    const year = { bucket: 'YEAR', start: `${busiest!.month.slice(0, 4)}-01-01` };
    const offices = await ok<Board>(BOARD, reader, { kind: 'HOURS', subject: 'OFFICE', period: year, scope: { bank: DEMO_BANK.head.id } });
    for (const entry of offices.leaderboard.entries) expect(entry.office?.id).toEqual(expect.any(String));

    // The top volunteer opts out in people; recognition learns it from the event and keeps their rank without a name.
    const self = await graph.token({ roles: ['volunteer'], personId: top!.person!.id });
    await must('leaderboardOptOutSet', 'person { id leaderboardOptOut }', { optOut: true }, self);
    const hidden = await eventually<Board>('the opt-out to reach recognition', BOARD, reader, { kind: 'HOURS', subject: 'PERSON', period }, (data) =>
      data.leaderboard.entries.some((entry) => entry.anonymous),
    );
    expect(hidden.leaderboard.entries[0]).toEqual({ rank: 1, anonymous: true, value: top!.value, person: null, team: null, office: null });
    expect(hidden.leaderboard.entries.map((entry) => entry.person?.id)).not.toContain(top!.person!.id);
    expect(hidden.leaderboard.entries.slice(1)).toEqual(persons.leaderboard.entries.slice(1));
  });
});
