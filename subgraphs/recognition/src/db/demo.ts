/** The recognition part of the demo data set (see @lianxin/shared demo cast). Idempotent. */
import type { Database } from '@lianxin/shared';
import { DEMO_VOLUNTEERS, demoId } from '@lianxin/shared/demo';
import { badgeAwards } from './schema.js';

const DAY = 86_400_000;
/** When the people demo has the first volunteer join the team; each next one joins a day later. */
const FIRST_JOINED = Date.UTC(2022, 0, 10, 1, 0, 0);

/** Volunteers (by index in the cast) who serve often, and who residents rate highly. */
const ACTIVE = [0, 1, 4];
const WELL_RATED = [0, 2];

export async function seedRecognitionDemo(db: Database): Promise<void> {
  const joined = DEMO_VOLUNTEERS.map((volunteer, index) => ({
    id: demoId(30, index + 1),
    badgeCode: 'team_joined',
    holderId: volunteer.id,
    awardedAt: new Date(FIRST_JOINED + (index + 1) * DAY),
  }));
  const active = ACTIVE.map((index, n) => ({
    id: demoId(31, n + 1),
    badgeCode: 'active_volunteer',
    holderId: DEMO_VOLUNTEERS[index]!.id,
    awardedAt: new Date(Date.UTC(2022, 5, 1 + n, 2, 0, 0)),
  }));
  const rated = WELL_RATED.map((index, n) => ({
    id: demoId(31, ACTIVE.length + n + 1),
    badgeCode: 'well_rated',
    holderId: DEMO_VOLUNTEERS[index]!.id,
    awardedAt: new Date(Date.UTC(2022, 8, 15 + n, 2, 0, 0)),
  }));
  await db
    .insert(badgeAwards)
    .values([...joined, ...active, ...rated])
    .onConflictDoNothing();
}
