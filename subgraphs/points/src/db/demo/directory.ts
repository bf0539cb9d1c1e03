/** The demo cast in the directory of persons the bank acts for. */
import type { Transaction } from '@lianxin/shared';
import { DEMO_GRID_WORKERS, DEMO_HOUSEHOLD_RESIDENTS, DEMO_MORE_VOLUNTEERS, DEMO_RESIDENTS, DEMO_STAFF, DEMO_VOLUNTEERS, demoTime } from '@lianxin/shared/demo';
import { insertKnownPersons } from '../../directory/store.js';

/**
 * Every person of the demo cast, in the order the people subgraph's demo
 * data registers them: seeded without events, so the directory gets them
 * here rather than from `person.registered`.
 */
export const DEMO_KNOWN_PERSONS = [...DEMO_VOLUNTEERS, ...DEMO_RESIDENTS, ...DEMO_STAFF, ...DEMO_MORE_VOLUNTEERS, ...DEMO_HOUSEHOLD_RESIDENTS, ...DEMO_GRID_WORKERS].map(
  (person) => person.id,
);

export async function seedDirectory(tx: Transaction): Promise<void> {
  // Registered a minute apart from the stories' 10 January, as people's demo data registers them.
  const base = demoTime(Date.UTC(2022, 0, 10, 1, 0, 0)).getTime();
  await insertKnownPersons(
    tx,
    DEMO_KNOWN_PERSONS.map((personId, index) => ({ personId, registeredAt: new Date(base + index * 60_000) })),
  );
}
