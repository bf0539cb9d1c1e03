/**
 * The people subgraph's events, applied to the directory (listed, with
 * their payloads, in docs/events.md). Each handler writes
 * only through the transaction it is given, and each is an upsert or a
 * delete, so an event applied twice (a replayed dead letter) leaves what
 * applying it once did. One aggregate's events arrive in order (a team's
 * creation, members and captains; a region's creation and moves); an event
 * that can never apply because what it names is unknown here goes straight
 * to the dead letters, to be replayed once its predecessor has been.
 */
import { z } from 'zod';
import { UnprocessableEventError, isUuid, withPayload, type EventHandler } from '@lianxin/shared';
import { teamRole } from '../db/schema.js';
import {
  deleteHouseholdMember,
  deleteTeamMember,
  demoteTeamCaptain,
  findDirectoryTeams,
  moveDirectoryRegion,
  upsertBuildingCaptain,
  upsertDirectoryPerson,
  upsertDirectoryRegion,
  upsertDirectoryTeam,
  upsertHouseholdMember,
  upsertTeamMember,
  updateDirectoryGuardianship,
} from './store.js';

// Payloads are read non-strictly: fields the directory does not keep (a team's name, join dates) are ignored.
const id = z.string().refine((value) => isUuid(value), 'must be a UUID');

const instant = z.iso.datetime({ offset: true }).transform((text) => new Date(text));

const personRegistered = z.object({ personId: id, registeredAt: instant, minor: z.boolean().optional() });
const guardianConsentChanged = z.object({ personId: id, minor: z.boolean(), guardianConsent: z.boolean() });
const regionCreated = z.object({ regionId: id, parentId: id.nullable(), kind: z.string().min(1), path: z.array(id) });
const regionMoved = z.object({ regionId: id, parentId: id, path: z.array(id) });
const teamCreated = z.object({ teamId: id, communityId: id });
const teamMemberAdded = z.object({ teamId: id, personId: id, role: z.enum(teamRole.enumValues), communityId: id });
const teamMemberRemoved = z.object({ teamId: id, personId: id });
const teamCaptainChanged = z.object({ teamId: id, captainId: id, previousCaptainId: id.nullable() });
const householdMember = z.object({ householdId: id, personId: id });
const buildingCaptainAssigned = z.object({ buildingId: id, personId: id });

/** Handlers of the people subgraph's events, by type; types not listed are recorded as applied without effect. */
export const directoryHandlers: Record<string, EventHandler> = {
  'person.registered': withPayload(personRegistered, (tx, { payload }) =>
    upsertDirectoryPerson(tx, { id: payload.personId, registeredAt: payload.registeredAt, minor: payload.minor ?? false }),
  ),

  'person.guardian_consent_changed': withPayload(guardianConsentChanged, async (tx, { payload }) => {
    const known = await updateDirectoryGuardianship(tx, { id: payload.personId, minor: payload.minor, guardianConsent: payload.guardianConsent });
    // The person's registration comes first in their order, so only a dead-lettered one leaves them unknown.
    if (!known) throw new UnprocessableEventError(`person ${payload.personId} is not in the directory: replay their person.registered first`);
  }),

  'region.created': withPayload(regionCreated, (tx, { payload }) =>
    upsertDirectoryRegion(tx, { id: payload.regionId, parentId: payload.parentId, kind: payload.kind, path: payload.path }),
  ),

  'region.moved': withPayload(regionMoved, async (tx, { payload }) => {
    const moved = await moveDirectoryRegion(tx, { id: payload.regionId, parentId: payload.parentId, path: payload.path });
    // Its creation comes first in the region's order, so only a dead-lettered creation leaves it unknown; no retry fixes that.
    if (!moved) throw new UnprocessableEventError(`region ${payload.regionId} is not in the directory: replay its region.created first`);
  }),

  'team.created': withPayload(teamCreated, (tx, { payload }) => upsertDirectoryTeam(tx, { id: payload.teamId, communityId: payload.communityId })),

  'team_member.added': withPayload(teamMemberAdded, async (tx, { payload }) => {
    // The payload names the team's community, so a member is applied even when the team's creation was not (it is a dead letter).
    await upsertDirectoryTeam(tx, { id: payload.teamId, communityId: payload.communityId });
    await upsertTeamMember(tx, { teamId: payload.teamId, personId: payload.personId, role: payload.role });
  }),

  'team_member.removed': withPayload(teamMemberRemoved, (tx, { payload }) => deleteTeamMember(tx, payload.teamId, payload.personId)),

  'team.captain_changed': withPayload(teamCaptainChanged, async (tx, { payload }) => {
    const [team] = await findDirectoryTeams(tx, [payload.teamId]);
    if (!team) throw new UnprocessableEventError(`team ${payload.teamId} is not in the directory: replay its team.created first`);
    // People names only current members captain; upserting keeps the captain able to accept work even if their joining was lost.
    await upsertTeamMember(tx, { teamId: payload.teamId, personId: payload.captainId, role: 'captain' });
    if (payload.previousCaptainId !== null) await demoteTeamCaptain(tx, payload.teamId, payload.previousCaptainId, payload.captainId);
  }),

  'household_member.added': withPayload(householdMember, (tx, { payload }) => upsertHouseholdMember(tx, payload)),

  'household_member.removed': withPayload(householdMember, (tx, { payload }) => deleteHouseholdMember(tx, payload.householdId, payload.personId)),

  'building_captain.assigned': withPayload(buildingCaptainAssigned, (tx, { payload }) => upsertBuildingCaptain(tx, payload)),
};
