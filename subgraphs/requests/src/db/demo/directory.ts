/** The directory (the read model of people facts) for the whole cast, as the people subgraph's events would have written it. */
import type { Transaction } from '@lianxin/shared';
import {
  DEMO_BUILDING_CAPTAINS,
  DEMO_GRID_WORKERS,
  DEMO_HOUSEHOLD_RESIDENTS,
  DEMO_HOUSEHOLDS,
  DEMO_MORE_TEAMS,
  DEMO_MORE_VOLUNTEERS,
  DEMO_RESIDENTS,
  DEMO_STAFF,
  DEMO_TEAM,
  DEMO_VOLUNTEERS,
} from '@lianxin/shared/demo';
import {
  insertDirectoryBuildingCaptains,
  insertDirectoryHouseholdMembers,
  insertDirectoryPersons,
  insertDirectoryRegions,
  insertDirectoryTeams,
  type DirectoryTeamInput,
} from '../../directory/store.js';
import { beijing, directoryRegions, region } from './cast.js';

/**
 * Every person people's seed registers, as `person.registered` would have
 * announced them (the seeds write no events); the instant is the demo
 * year's first morning.
 */
function demoPersons(): { id: string; registeredAt: Date }[] {
  const everyone = [...DEMO_VOLUNTEERS, ...DEMO_RESIDENTS, ...DEMO_STAFF, ...DEMO_MORE_VOLUNTEERS, ...DEMO_HOUSEHOLD_RESIDENTS, ...DEMO_GRID_WORKERS];
  return everyone.map((person) => ({ id: person.id, registeredAt: beijing(1, 1, 9) }));
}

/** Teams and their current members: the 乐修匠 twelve with their recruits, and the seed's other teams. */
function directoryTeams(): DirectoryTeamInput[] {
  const recruitsOf = (team: string) => DEMO_MORE_VOLUNTEERS.filter((volunteer) => volunteer.team === team);
  const lexiujiang: DirectoryTeamInput = {
    id: DEMO_TEAM.id,
    communityId: region(DEMO_TEAM.community),
    members: [
      ...DEMO_VOLUNTEERS.map((volunteer, index) => ({ personId: volunteer.id, role: index === 0 ? ('captain' as const) : ('member' as const) })),
      ...recruitsOf('lexiujiang').map((volunteer) => ({ personId: volunteer.id, role: 'member' as const })),
    ],
  };
  const others = Object.entries(DEMO_MORE_TEAMS).map(([key, team]) => ({
    id: team.id,
    communityId: region(team.community),
    members: recruitsOf(key).map((volunteer, index) => ({ personId: volunteer.id, role: index === 0 ? ('captain' as const) : ('member' as const) })),
  }));
  return [lexiujiang, ...others];
}

/** Persons, regions, teams and households as the people subgraph has them. */
export async function seedDirectory(tx: Transaction): Promise<void> {
  await insertDirectoryPersons(tx, demoPersons());
  await insertDirectoryRegions(tx, directoryRegions());
  await insertDirectoryTeams(tx, directoryTeams());
  await insertDirectoryHouseholdMembers(
    tx,
    DEMO_HOUSEHOLDS.flatMap((household) => household.members.map((member) => ({ householdId: household.id, personId: member.personId }))),
  );
  await insertDirectoryBuildingCaptains(
    tx,
    DEMO_BUILDING_CAPTAINS.map((captain) => ({ buildingId: region(captain.building), personId: captain.personId })),
  );
}
