/**
 * The events people publishes (docs/events.md; the payloads are the event
 * contract that requests and recognition read). Every one is appended here,
 * in the transaction of the change it describes, so each type has one shape.
 *
 * Payloads carry ids, kinds and instants only: names, phones, ID numbers
 * and hardship levels stay in people, behind its privacy policy, because an
 * outbox row is published to every consumer and never deleted. The texts
 * are a team's name, which is public and which requests keeps, and a
 * person's masked display name (`王**`), which anyone may see.
 */
import { outboxPublisher, type Transaction } from '@lianxin/shared';
import type { HouseholdRow, PersonRow, RegionRow, TeamMemberRow, TeamRow } from '../db/schema.js';
import { isMinor } from '../guardians/age.js';
import { maskName } from '../privacy/masks.js';

/** Each event type with its aggregate type and payload (type aliases, not interfaces, so they are JSON objects). */
export type PeopleEvents = {
  'person.leaderboard_opt_out_set': { aggregate: 'person'; payload: { personId: string; optedOut: boolean; changedAt: string } };
  'person.registered': { aggregate: 'person'; payload: { personId: string; registeredAt: string; homeRegionId: string | null; displayName: string; minor: boolean } };
  'person.guardian_consent_changed': { aggregate: 'person'; payload: { personId: string; minor: boolean; guardianConsent: boolean } };
  'person.home_changed': { aggregate: 'person'; payload: { personId: string; homeRegionId: string | null } };
  'region.created': { aggregate: 'region'; payload: { regionId: string; parentId: string | null; kind: RegionRow['kind']; path: string[] } };
  'region.moved': { aggregate: 'region'; payload: { regionId: string; parentId: string; path: string[] } };
  'team.created': { aggregate: 'team'; payload: { teamId: string; communityId: string; organizationId: string | null; name: string; kind: TeamRow['kind'] } };
  'team_member.added': {
    aggregate: 'team';
    payload: { teamId: string; personId: string; role: TeamMemberRow['role']; joinedAt: string; communityId: string };
  };
  'team_member.removed': { aggregate: 'team'; payload: { teamId: string; personId: string; leftAt: string } };
  'team.captain_changed': { aggregate: 'team'; payload: { teamId: string; captainId: string; previousCaptainId: string | null } };
  'household_member.added': { aggregate: 'household'; payload: { householdId: string; personId: string } };
  'household_member.removed': { aggregate: 'household'; payload: { householdId: string; personId: string } };
  'building_captain.assigned': { aggregate: 'region'; payload: { buildingId: string; personId: string } };
  'household.caretaker_changed': {
    aggregate: 'household';
    payload: { householdId: string; caretakerId: string | null; regionId: string; changedAt: string; changedById: string | null };
  };
};

/** Appends one of people's events in the caller's transaction. */
const publish = outboxPublisher<PeopleEvents>('people');

/**
 * A person was registered. Only the id, the instant, the home region's id and
 * the masked display name travel: consumers need to know that the person
 * exists (to refuse writes for ids nobody registered), never who they are;
 * recognition needs the region whose star thresholds apply to them, and the
 * name its certificates print, masked as anyone may see it (`王**`, the
 * privacy policy's `displayName`), never the name itself.
 */
export function personRegistered(tx: Transaction, person: PersonRow): Promise<void> {
  return publish(tx, 'person.registered', 'person', person.id, {
    personId: person.id,
    registeredAt: person.registeredAt.toISOString(),
    homeRegionId: person.homeRegionId,
    displayName: maskName(person.name),
    // Whether they are under 18 now; the birth date itself never travels.
    minor: isMinor(person.birthDate, person.registeredAt),
  });
}

/**
 * A guardian's consent for a minor to volunteer was recorded or revoked.
 * Requests refuses minors' sign-ups by these two booleans; neither the birth
 * date nor the guardian travels.
 */
export function personGuardianConsentChanged(tx: Transaction, personId: string, state: { minor: boolean; guardianConsent: boolean }): Promise<void> {
  return publish(tx, 'person.guardian_consent_changed', 'person', personId, { personId, ...state });
}

/** A person's home region changed (a move): recognition's star thresholds follow it. Only the ids travel, never the unit. */
export function personHomeChanged(tx: Transaction, person: PersonRow): Promise<void> {
  return publish(tx, 'person.home_changed', 'person', person.id, { personId: person.id, homeRegionId: person.homeRegionId });
}

/**
 * A person opted out of public leaderboards, or back in. Recognition shows an
 * opted-out person as "a volunteer"; only the choice and its instant travel.
 */
export function personLeaderboardOptOutSet(tx: Transaction, person: PersonRow & { leaderboardOptOutChangedAt: Date }): Promise<void> {
  return publish(tx, 'person.leaderboard_opt_out_set', 'person', person.id, {
    personId: person.id,
    optedOut: person.leaderboardOptOut,
    changedAt: person.leaderboardOptOutChangedAt.toISOString(),
  });
}

/** A region was added to the tree; `path` is its ancestors, root first, as the insert trigger set it. */
export function regionCreated(tx: Transaction, region: RegionRow): Promise<void> {
  return publish(tx, 'region.created', 'region', region.id, { regionId: region.id, parentId: region.parentId, kind: region.kind, path: region.path });
}

/**
 * A region was re-parented. Only the moved region's event is written:
 * its descendants' paths changed by the same prefix, which consumers
 * rewrite themselves (their paths contain the moved region's id).
 */
export function regionMoved(tx: Transaction, region: RegionRow & { parentId: string }): Promise<void> {
  return publish(tx, 'region.moved', 'region', region.id, { regionId: region.id, parentId: region.parentId, path: region.path });
}

/** A new team; its organisation (null for a community's own team) travels so recognition knows whose side a service project or a judge is on. */
export function teamCreated(tx: Transaction, team: TeamRow): Promise<void> {
  return publish(tx, 'team.created', 'team', team.id, {
    teamId: team.id,
    communityId: team.communityId,
    organizationId: team.organizationId,
    name: team.name,
    kind: team.kind,
  });
}

/** A person joined `team` (as its captain when the team was founded with one); the community lets consumers scope it. */
export function teamMemberAdded(tx: Transaction, team: TeamRow, member: TeamMemberRow): Promise<void> {
  return publish(tx, 'team_member.added', 'team', team.id, {
    teamId: team.id,
    personId: member.personId,
    role: member.role,
    joinedAt: member.joinedAt.toISOString(),
    communityId: team.communityId,
  });
}

export function teamMemberRemoved(tx: Transaction, member: TeamMemberRow & { leftAt: Date }): Promise<void> {
  return publish(tx, 'team_member.removed', 'team', member.teamId, {
    teamId: member.teamId,
    personId: member.personId,
    leftAt: member.leftAt.toISOString(),
  });
}

export function teamCaptainChanged(tx: Transaction, change: { teamId: string; captainId: string; previousCaptainId: string | null }): Promise<void> {
  return publish(tx, 'team.captain_changed', 'team', change.teamId, change);
}

/** One event per person, in the order given, so a household registered with its members announces each of them. */
export async function householdMembersAdded(tx: Transaction, householdId: string, personIds: readonly string[]): Promise<void> {
  for (const personId of personIds) await publish(tx, 'household_member.added', 'household', householdId, { householdId, personId });
}

export function householdMemberRemoved(tx: Transaction, householdId: string, personId: string): Promise<void> {
  return publish(tx, 'household_member.removed', 'household', householdId, { householdId, personId });
}

/** The building's aggregate is its region's, so the assignment is ordered after the building's creation. */
export function buildingCaptainAssigned(tx: Transaction, buildingId: string, personId: string): Promise<void> {
  return publish(tx, 'building_captain.assigned', 'region', buildingId, { buildingId, personId });
}

/**
 * A household's caretaker (包干) was assigned, replaced or ended
 * (`caretakerId` null): requests keeps its caseloads by it. Only ids and the
 * instant travel: the address region's id (where the caseload is placed),
 * never the unit, the needs or the hardship level.
 */
export function householdCaretakerChanged(tx: Transaction, household: HouseholdRow, changedAt: Date, changedById: string | null): Promise<void> {
  return publish(tx, 'household.caretaker_changed', 'household', household.id, {
    householdId: household.id,
    caretakerId: household.caretakerId,
    regionId: household.addressRegionId,
    changedAt: changedAt.toISOString(),
    changedById,
  });
}
