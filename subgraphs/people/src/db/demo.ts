/** The people part of the demo data set (see @lianxin/shared demo cast). Idempotent. */
import { DEMO_REGIONS, DEMO_RESIDENTS, DEMO_STAFF, DEMO_TEAM, DEMO_VOLUNTEERS, type Database } from '@lianxin/shared';
import { persons, regions, teamMembers, teams } from './schema.js';

export async function seedPeopleDemo(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    // Parents are listed before children, so foreign keys hold row by row.
    await tx
      .insert(regions)
      .values(
        Object.values(DEMO_REGIONS).map((region) => ({
          id: region.id,
          parentId: region.parent ? DEMO_REGIONS[region.parent].id : null,
          kind: region.kind,
          name: region.name,
          code: region.code,
        })),
      )
      .onConflictDoNothing();
    const everyone = [...DEMO_VOLUNTEERS, ...DEMO_RESIDENTS, ...DEMO_STAFF];
    // Registration times a minute apart keep the demo's listing order stable.
    const base = Date.UTC(2022, 0, 10, 1, 0, 0);
    await tx
      .insert(persons)
      .values(
        everyone.map((person, index) => ({
          id: person.id,
          name: person.name,
          homeRegionId: DEMO_REGIONS[person.home].id,
          registeredAt: new Date(base + index * 60_000),
        })),
      )
      .onConflictDoNothing();
    await tx
      .insert(teams)
      .values({ id: DEMO_TEAM.id, name: DEMO_TEAM.name, communityId: DEMO_REGIONS[DEMO_TEAM.community].id })
      .onConflictDoNothing();
    await tx
      .insert(teamMembers)
      .values(
        DEMO_VOLUNTEERS.map((volunteer, index) => ({
          teamId: DEMO_TEAM.id,
          personId: volunteer.id,
          role: index === 0 ? ('captain' as const) : ('member' as const),
          joinedAt: new Date(base + index * 86_400_000),
        })),
      )
      .onConflictDoNothing();
  });
}
