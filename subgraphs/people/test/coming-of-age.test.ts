/**
 * Minors who turn 18: people announces them once, as adults, so requests
 * stops applying minors' rules; nobody is announced before the day.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { rowsOf } from '@lianxin/shared';
import { startSubgraphHarness, type SubgraphHarness } from '@lianxin/shared/testing';
import type { PeopleContext } from '../src/context.js';
import { DEMO_MINOR } from '../src/db/demo/breadth.js';
import { announceComingOfAge } from '../src/guardians/service.js';
import { peopleSubgraph } from '../src/index.js';

let people: SubgraphHarness<PeopleContext>;

beforeAll(async () => {
  people = await startSubgraphHarness(peopleSubgraph);
});
afterAll(async () => {
  await people?.stop();
});

/** The consent-state events people has written about `personId`, oldest first. */
async function consentEvents(personId: string): Promise<{ personId: string; minor: boolean; guardianConsent: boolean }[]> {
  const rows = await rowsOf<{ payload: { personId: string; minor: boolean; guardianConsent: boolean } }>(
    people.database.db,
    sql`select payload from people.outbox where type = 'person.guardian_consent_changed' and aggregate_id = ${personId} order by sequence`,
  );
  return rows.map((row) => row.payload);
}

describe('coming of age', () => {
  it('announces a minor as an adult once, on the Beijing day they turn 18, with the consent still in force', async () => {
    // The demo's minor was born on 1 May 2014 and registered as a minor, with her mother's consent.
    expect(DEMO_MINOR.born).toBe('2014-05-01');
    const before = await consentEvents(DEMO_MINOR.id);
    expect(before.some((event) => !event.minor)).toBe(false);

    // 23:59 on 30 April 2032 in Beijing: still 17.
    await announceComingOfAge(people.database.db, new Date('2032-04-30T15:59:00Z'));
    expect(await consentEvents(DEMO_MINOR.id)).toEqual(before);

    // Midnight in Beijing on 1 May 2032: 18.
    await announceComingOfAge(people.database.db, new Date('2032-04-30T16:00:00Z'));
    const after = await consentEvents(DEMO_MINOR.id);
    expect(after.slice(before.length)).toEqual([{ personId: DEMO_MINOR.id, minor: false, guardianConsent: true }]);

    // Running again, that day or any later one (when other children of the demo come of age), announces her no more.
    await announceComingOfAge(people.database.db, new Date('2032-04-30T16:05:00Z'));
    await announceComingOfAge(people.database.db, new Date('2040-01-01T00:00:00Z'));
    expect(await consentEvents(DEMO_MINOR.id)).toEqual(after);
  });

  it('never announces a person who registered as an adult', async () => {
    const adults = await rowsOf<{ id: string }>(
      people.database.db,
      sql`select id from people.persons where birth_date is not null and birth_date <= (registered_at at time zone 'Asia/Shanghai')::date - interval '18 years' limit 3`,
    );
    expect(adults.length).toBeGreaterThan(0);
    for (const adult of adults) expect((await consentEvents(adult.id)).filter((event) => !event.minor)).toEqual([]);
  });
});
