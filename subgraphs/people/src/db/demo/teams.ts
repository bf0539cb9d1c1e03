/** The demo's teams: 乐修匠 and the three others, the categories they serve, the regions they cover and their members. */
import { inArray } from 'drizzle-orm';
import type { Transaction } from '@lianxin/shared';
import { DEMO_MORE_TEAMS, DEMO_MORE_VOLUNTEERS, DEMO_ORGANIZATIONS, DEMO_REGIONS, DEMO_TEAM, DEMO_VOLUNTEERS, demoRegionId, type DemoTeamKey } from '@lianxin/shared/demo';
import { teamCategories, teamMembers, teamRegions, teams } from '../schema.js';
import { teamMemberAdded } from '../../events/publish.js';
import { DEMO_START } from './cast.js';

const CATEGORIES: Record<DemoTeamKey, string[]> = {
  lexiujiang: ['home_repair'],
  qiseguang: ['buying_daily_necessities', 'companionship', 'hospital_escort', 'psychological_support'],
  jiankang: ['hospital_escort', 'urgent_medicine', 'psychological_support'],
  shangshan: ['tutoring', 'companionship'],
};

const teamRows = () => [
  {
    id: DEMO_TEAM.id,
    name: DEMO_TEAM.name,
    communityId: DEMO_REGIONS[DEMO_TEAM.community].id,
    kind: 'repair' as const,
    organizationId: null,
    key: 'lexiujiang' as DemoTeamKey,
  },
  ...Object.entries(DEMO_MORE_TEAMS).map(([key, team]) => ({
    id: team.id,
    name: team.name,
    communityId: demoRegionId(team.community),
    kind: team.kind,
    organizationId: key === 'shangshan' ? DEMO_ORGANIZATIONS[0]!.id : key === 'jiankang' ? DEMO_ORGANIZATIONS[1]!.id : null,
    key: key as DemoTeamKey,
  })),
];

export async function seedTeams(tx: Transaction): Promise<void> {
  const rows = teamRows();
  await tx
    .insert(teams)
    .values(rows.map(({ key: _key, ...team }) => team))
    .onConflictDoNothing();
  await tx
    .insert(teamCategories)
    .values(rows.flatMap((team) => CATEGORIES[team.key].map((categoryCode) => ({ teamId: team.id, categoryCode }))))
    .onConflictDoNothing();
  await tx
    .insert(teamRegions)
    .values([
      ...rows.map((team) => ({ teamId: team.id, regionId: team.communityId })),
      ...['zimingGarden', 'zimingNorth'].map((key) => ({ teamId: DEMO_MORE_TEAMS.qiseguang.id, regionId: demoRegionId(key) })),
    ])
    .onConflictDoNothing();
  await seedTeamMembers(tx, (key) => rows.find((team) => team.key === key)!.id);
}

/**
 * Each member joins as `teamMemberAdd` would have them join: the row and its
 * `team_member.added` event, so that what others derive from joining (the
 * team-joined badge, requests' dispatch directory) follows from the event.
 * Only a membership written now is announced; one loaded before stays as it is.
 */
async function seedTeamMembers(tx: Transaction, teamIdOf: (key: DemoTeamKey) => string): Promise<void> {
  const joined = await tx
    .insert(teamMembers)
    .values([
      ...DEMO_VOLUNTEERS.map((volunteer, index) => ({
        teamId: DEMO_TEAM.id,
        personId: volunteer.id,
        role: index === 0 ? ('captain' as const) : ('member' as const),
        joinedAt: new Date(DEMO_START + index * 86_400_000),
      })),
      ...DEMO_MORE_VOLUNTEERS.map((volunteer, index) => ({
        teamId: teamIdOf(volunteer.team),
        personId: volunteer.id,
        // The first recruit of each new team leads it; 乐修匠 keeps its captain.
        role: volunteer.team !== 'lexiujiang' && DEMO_MORE_VOLUNTEERS.findIndex((other) => other.team === volunteer.team) === index ? ('captain' as const) : ('member' as const),
        joinedAt: new Date(DEMO_START + (20 + index) * 86_400_000),
      })),
    ])
    .onConflictDoNothing()
    .returning();
  if (joined.length === 0) return;
  const teamRows = await tx
    .select()
    .from(teams)
    .where(inArray(teams.id, [...new Set(joined.map((member) => member.teamId))]));
  const teamById = new Map(teamRows.map((team) => [team.id, team]));
  // In the order they joined, as the events would have been written.
  for (const member of joined.sort((a, b) => a.joinedAt.getTime() - b.joinedAt.getTime())) await teamMemberAdded(tx, teamById.get(member.teamId)!, member);
}
