/**
 * Rules for households. A household is visible only as privacy/policy.ts
 * allows (members, caretaker, grid worker of its grid, admins of its region).
 * Those who may manage it: admins of its region and the grid worker of its
 * grid. Hardship levels, which prices depend on, are set by community admins
 * only, with a reason kept in the household's history. Every write that adds
 * a household or changes its level (or, in future, its address or its
 * removal) rewrites the BI tools' household cells in its own transaction.
 */
import { z } from 'zod';
import {
  BadInputError,
  CHECK_VIOLATION,
  ForbiddenError,
  UNIQUE_VIOLATION,
  UnauthenticatedError,
  isAuthenticated,
  isUuid,
  optionalId,
  readPage,
  toConnection,
  userError,
  type Connection,
  type ConnectionArgs,
  type Executor,
  type Result,
  type Role,
  requireRoles,
  holdsAnyOf,
  isPlatformAdmin,
  refuseUnseen,
} from '@lianxin/shared';
import type { PeopleContext } from '../context.js';
import { userError as peopleUserError } from '../errors.js';
import { consent, hardshipLevel, householdRelation, specialNeed, type HouseholdRow, type RegionRow } from '../db/schema.js';
import { householdCaretakerChanged, householdMemberRemoved, householdMembersAdded } from '../events/publish.js';
import { findGridsCoveringRegions, findGridWorkersAmong } from '../grids/store.js';
import { idInput, inTransaction, parseInput, refuse, textInput } from '../mutation.js';
import { findPersonsByIds, findVolunteerProfiles } from '../persons/store.js';
import { seesHousehold, seesHouseholdIn } from '../privacy/policy.js';
import { DWELLING_KINDS } from '../regions/rank.js';
import { findRegionsByIds } from '../regions/store.js';
import { rewriteHouseholdCells } from '../stats/service.js';
import { REGION_ADMIN_ROLES, REGISTRAR_ROLES, administers } from '../access.js';
import {
  countHouseholds,
  DEFAULT_CASELOAD_CAP,
  endHouseholdMembership,
  findCurrentMemberships,
  findHouseholdPage,
  householdCursor,
  insertHousehold,
  insertHouseholdMembers,
  lockHousehold,
  setCaretaker,
  setHardship,
  transactionTime,
  upsertCaseloadCap,
  type HouseholdListFilter,
} from './store.js';

/** A household the viewer may see, or null (unknown and hidden look the same). */
export async function visibleHousehold(ctx: PeopleContext, household: HouseholdRow | null): Promise<HouseholdRow | null> {
  if (!household) return null;
  return (await seesHousehold(ctx, household)) ? household : null;
}

export async function getHousehold(ctx: PeopleContext, id: string): Promise<HouseholdRow | null> {
  if (!isAuthenticated(ctx.viewer)) throw new UnauthenticatedError();
  if (!isUuid(id)) throw new BadInputError('id is not a household id.', 'id');
  return visibleHousehold(ctx, await ctx.loaders.householdById.load(id));
}

export interface HouseholdFilterArgs {
  region?: string | null | undefined;
  specialNeed?: HouseholdRow['specialNeeds'][number] | null | undefined;
  hardshipLevel?: HouseholdRow['hardshipLevel'] | null | undefined;
}

export async function listHouseholds(ctx: PeopleContext, filter: HouseholdFilterArgs | null | undefined, args: ConnectionArgs): Promise<Connection<HouseholdRow>> {
  if (!isAuthenticated(ctx.viewer)) throw new UnauthenticatedError();
  if (!holdsAnyOf(ctx.viewer, REGION_ADMIN_ROLES)) throw new ForbiddenError('Only admins may list households.');
  const regionId = optionalId(filter?.region, 'filter.region', 'a region id');
  const page = readPage(args, ['timestamp', 'uuid']);
  const conditions: HouseholdListFilter = {
    region: regionId,
    specialNeed: filter?.specialNeed ?? undefined,
    hardshipLevel: filter?.hardshipLevel ?? undefined,
    scope: isPlatformAdmin(ctx.viewer) ? undefined : ctx.viewer.regionIds,
  };
  const rows = await findHouseholdPage(ctx.db, conditions, page);
  return toConnection(rows, page, householdCursor, () => countHouseholds(ctx.db, conditions));
}

/** Whether the viewer manages households at `address`: an admin of the region or the grid worker of its grid. */
async function managesAddress(ctx: PeopleContext, tx: Executor, address: RegionRow, roles: readonly Role[] = REGION_ADMIN_ROLES): Promise<boolean> {
  if (administers(ctx.viewer, address, roles)) return true;
  if (ctx.viewer.personId === null) return false;
  const [grid] = await findGridsCoveringRegions(tx, [address.id]);
  return grid !== undefined && grid.workerId === ctx.viewer.personId;
}

/**
 * Locks a household for a change and checks the viewer's authority over it
 * before anything about its state: one the viewer may not see is FORBIDDEN
 * in the words used for an id that names none (`refuseUnseen`); one they
 * see but may not change (`manages` says who may) is NOT_ALLOWED, whatever
 * its members or level.
 */
async function lockHouseholdFor(ctx: PeopleContext, tx: Executor, id: string, manages: (address: RegionRow) => Promise<boolean> | boolean): Promise<HouseholdRow> {
  const household = await lockHousehold(tx, id);
  if (!household || !(await seesHouseholdIn(ctx, tx, household))) refuseUnseen(ctx.viewer, ['input', 'household'], 'household');
  const [address] = await findRegionsByIds(tx, [household.addressRegionId]);
  if (!address || !(await manages(address))) refuse(['input', 'household'], 'NOT_ALLOWED', 'The household lies outside your scope.');
  return household;
}

/** Locks a household the viewer manages (admins of its address, the grid worker of its grid). */
function lockManagedHousehold(ctx: PeopleContext, tx: Executor, id: string): Promise<HouseholdRow> {
  return lockHouseholdFor(ctx, tx, id, (address) => managesAddress(ctx, tx, address));
}

const relationInput = z.enum(householdRelation.enumValues);

const householdRegisterInput = z.object({
  address: idInput('a region'),
  unit: textInput(50).nullish(),
  members: z
    .array(z.object({ person: idInput('a person'), relation: relationInput }))
    .min(1, 'must not be empty.')
    .max(20),
  hardshipLevel: z.enum(hardshipLevel.enumValues).nullish(),
  specialNeeds: z.array(z.enum(specialNeed.enumValues)).nullish(),
  consents: z.array(z.enum(consent.enumValues)).nullish(),
});

const alreadyInHousehold = userError(['input', 'person'], 'ALREADY_EXISTS', 'The person belongs to a household already.');

export async function registerHousehold(ctx: PeopleContext, input: unknown): Promise<Result<HouseholdRow>> {
  const subject = requireRoles(ctx.viewer, REGISTRAR_ROLES, 'register households');
  const parsed = parseInput(householdRegisterInput, input);
  if (!parsed.ok) return parsed;
  const { address: addressId, unit, members, hardshipLevel: level, specialNeeds, consents } = parsed.value;
  if (members.filter((member) => member.relation === 'head').length > 1) {
    return { ok: false, errors: [userError(['input', 'members'], 'INVALID', 'A household has one head at most.')] };
  }
  const duplicate = members.findIndex((member, index) => members.findIndex((other) => other.person === member.person) !== index);
  if (duplicate >= 0) return { ok: false, errors: [userError(['input', 'members', String(duplicate), 'person'], 'INVALID', 'The person is listed twice.')] };
  return inTransaction(
    ctx,
    async (tx) => {
      const [address] = await findRegionsByIds(tx, [addressId]);
      if (!address) refuse(['input', 'address'], 'NOT_FOUND', 'There is no such region.');
      if (!(await managesAddress(ctx, tx, address))) refuse(['input', 'address'], 'NOT_ALLOWED', 'The address lies outside your scope.');
      if (!DWELLING_KINDS.includes(address.kind)) refuse(['input', 'address'], 'INVALID', 'A household lives in a compound or a building.');
      const personIds = members.map((member) => member.person);
      const found = new Set((await findPersonsByIds(tx, personIds)).map((person) => person.id));
      const placed = new Set((await findCurrentMemberships(tx, personIds)).map((membership) => membership.personId));
      members.forEach((member, index) => {
        if (!found.has(member.person)) refuse(['input', 'members', String(index), 'person'], 'NOT_FOUND', 'There is no such person.');
        if (placed.has(member.person)) refuse(['input', 'members', String(index), 'person'], alreadyInHousehold.code, alreadyInHousehold.message);
      });
      const household = await insertHousehold(tx, {
        addressRegionId: address.id,
        unit: unit ?? null,
        hardshipLevel: level ?? 'ordinary',
        specialNeeds: [...new Set(specialNeeds ?? [])],
        consents: [...new Set(consents ?? [])],
        registeredBy: subject,
      });
      await insertHouseholdMembers(
        tx,
        household.id,
        members.map((member) => ({ personId: member.person, relation: member.relation })),
      );
      // Only who lives together travels: the address, unit, hardship and needs stay here.
      await householdMembersAdded(tx, household.id, personIds);
      await rewriteHouseholdCells(tx, ctx.settings.analyticsMinCell);
      return household;
    },
    [{ sqlState: UNIQUE_VIOLATION, constraint: 'household_members_one_household', error: { ...alreadyInHousehold, field: ['input', 'members'] } }],
  );
}

const householdMemberAddInput = z.object({ household: idInput('a household'), person: idInput('a person'), relation: relationInput });

export async function addHouseholdMember(ctx: PeopleContext, input: unknown): Promise<Result<HouseholdRow>> {
  requireRoles(ctx.viewer, REGISTRAR_ROLES, 'change households');
  const parsed = parseInput(householdMemberAddInput, input);
  if (!parsed.ok) return parsed;
  const { household: householdId, person: personId, relation } = parsed.value;
  return inTransaction(
    ctx,
    async (tx) => {
      const household = await lockManagedHousehold(ctx, tx, householdId);
      if ((await findPersonsByIds(tx, [personId])).length === 0) refuse(['input', 'person'], 'NOT_FOUND', 'There is no such person.');
      const [membership] = await findCurrentMemberships(tx, [personId]);
      if (membership?.householdId === household.id) refuse(['input', 'person'], 'ALREADY_EXISTS', 'The person is a member of this household already.');
      if (membership) refuse(alreadyInHousehold.field, alreadyInHousehold.code, alreadyInHousehold.message);
      await insertHouseholdMembers(tx, household.id, [{ personId, relation }]);
      await householdMembersAdded(tx, household.id, [personId]);
      return household;
    },
    [
      { sqlState: UNIQUE_VIOLATION, constraint: 'household_members_one_household', error: alreadyInHousehold },
      { sqlState: UNIQUE_VIOLATION, constraint: 'household_members_one_head', error: userError(['input', 'relation'], 'INVALID_STATE', 'The household has a head already.') },
    ],
  );
}

const householdMemberRemoveInput = z.object({ household: idInput('a household'), person: idInput('a person') });

export async function removeHouseholdMember(ctx: PeopleContext, input: unknown): Promise<Result<HouseholdRow>> {
  requireRoles(ctx.viewer, REGISTRAR_ROLES, 'change households');
  const parsed = parseInput(householdMemberRemoveInput, input);
  if (!parsed.ok) return parsed;
  const { household: householdId, person: personId } = parsed.value;
  return inTransaction(ctx, async (tx) => {
    const household = await lockManagedHousehold(ctx, tx, householdId);
    const [membership] = await findCurrentMemberships(tx, [personId]);
    if (membership?.householdId !== household.id) refuse(['input', 'person'], 'NOT_FOUND', 'The person is not a current member of this household.');
    await endHouseholdMembership(tx, household.id, personId);
    await householdMemberRemoved(tx, household.id, personId);
    return household;
  });
}

/** Hardship levels are decided by the community, not by grid workers. */
const HARDSHIP_ROLES: readonly Role[] = ['community_admin'];

const householdHardshipSetInput = z.object({
  household: idInput('a household'),
  hardshipLevel: z.enum(hardshipLevel.enumValues),
  reason: textInput(500),
});

export async function setHouseholdHardship(ctx: PeopleContext, input: unknown): Promise<Result<HouseholdRow>> {
  const subject = requireRoles(ctx.viewer, HARDSHIP_ROLES, 'set hardship levels');
  const parsed = parseInput(householdHardshipSetInput, input);
  if (!parsed.ok) return parsed;
  const { household: householdId, hardshipLevel: level, reason } = parsed.value;
  return inTransaction(ctx, async (tx) => {
    await lockHouseholdFor(ctx, tx, householdId, (address) => administers(ctx.viewer, address, HARDSHIP_ROLES));
    const household = await setHardship(tx, { householdId, level, reason, changedBy: subject });
    await rewriteHouseholdCells(tx, ctx.settings.analyticsMinCell);
    return household;
  });
}

const householdCaretakerAssignInput = z.object({ household: idInput('a household'), caretaker: idInput('a person') });

const caseloadFull = peopleUserError(['input', 'caretaker'], 'CASELOAD_FULL', 'The caretaker’s caseload is full: they hold as many households as their region allows.');

/**
 * Assigns a household to a caretaker (包干), replacing any earlier one, and
 * publishes `household.caretaker_changed`, by which requests keeps its
 * caseloads: this is the one place a caseload is assigned. Refused past the
 * caretaker's cap, which the database holds (`households_caseload_cap`).
 */
export async function assignHouseholdCaretaker(ctx: PeopleContext, input: unknown): Promise<Result<HouseholdRow>> {
  requireRoles(ctx.viewer, REGION_ADMIN_ROLES, 'assign caretakers');
  const parsed = parseInput(householdCaretakerAssignInput, input);
  if (!parsed.ok) return parsed;
  const { household: householdId, caretaker } = parsed.value;
  return inTransaction(
    ctx,
    async (tx) => {
      const household = await lockHouseholdFor(ctx, tx, householdId, (address) => administers(ctx.viewer, address));
      if ((await findPersonsByIds(tx, [caretaker])).length === 0) refuse(['input', 'caretaker'], 'NOT_FOUND', 'There is no such person.');
      const [profile] = await findVolunteerProfiles(tx, [caretaker]);
      const gridWorker = (await findGridWorkersAmong(tx, [caretaker])).length > 0;
      if (profile?.status !== 'active' && !gridWorker) {
        refuse(['input', 'caretaker'], 'INVALID_STATE', 'A caretaker is an active volunteer or a grid worker.');
      }
      if (household.caretakerId === caretaker) refuse(['input', 'caretaker'], 'ALREADY_EXISTS', 'The household is in this caretaker’s caseload already.');
      const changed = await setCaretaker(tx, household.id, caretaker);
      await householdCaretakerChanged(tx, changed, await transactionTime(tx, changed.id), ctx.viewer.personId);
      return changed;
    },
    [{ sqlState: CHECK_VIOLATION, constraint: 'households_caseload_cap', error: caseloadFull }],
  );
}

const householdCaretakerEndInput = z.object({ household: idInput('a household') });

/** Ends a household's caretaker assignment (the household leaves the caseload); requests hears of it by the same event. */
export async function endHouseholdCaretaker(ctx: PeopleContext, input: unknown): Promise<Result<HouseholdRow>> {
  requireRoles(ctx.viewer, REGION_ADMIN_ROLES, 'end caretaker assignments');
  const parsed = parseInput(householdCaretakerEndInput, input);
  if (!parsed.ok) return parsed;
  return inTransaction(ctx, async (tx) => {
    const household = await lockHouseholdFor(ctx, tx, parsed.value.household, (address) => administers(ctx.viewer, address));
    if (household.caretakerId === null) refuse(['input', 'household'], 'INVALID_STATE', 'The household has no caretaker.');
    const changed = await setCaretaker(tx, household.id, null);
    await householdCaretakerChanged(tx, changed, await transactionTime(tx, changed.id), ctx.viewer.personId);
    return changed;
  });
}

const caseloadCapSetInput = z.object({ region: idInput('a region'), cap: z.number().int('must be a whole number.').min(1).max(100) });

/** Sets how many households one caretaker may hold in a region and below it. Community admins of the region. */
export async function setCaseloadCap(ctx: PeopleContext, input: unknown): Promise<Result<RegionRow>> {
  const subject = requireRoles(ctx.viewer, HARDSHIP_ROLES, 'set caseload caps');
  const parsed = parseInput(caseloadCapSetInput, input);
  if (!parsed.ok) return parsed;
  const { region: regionId, cap } = parsed.value;
  return inTransaction(ctx, async (tx) => {
    const [region] = await findRegionsByIds(tx, [regionId]);
    if (!region) refuse(['input', 'region'], 'NOT_FOUND', 'There is no such region.');
    if (!administers(ctx.viewer, region, HARDSHIP_ROLES)) refuse(['input', 'region'], 'NOT_ALLOWED', 'The region lies outside your scope.');
    await upsertCaseloadCap(tx, { regionId: region.id, cap, setBy: subject });
    return region;
  });
}

/** The cap that applies to households addressed in `region`. */
export async function caseloadCapOf(ctx: PeopleContext, region: RegionRow): Promise<number> {
  // Batched: a list of regions asking for their caps costs one statement.
  const row = await ctx.loaders.caseloadCapOfRegion.load(region.id);
  return row?.cap ?? DEFAULT_CASELOAD_CAP;
}
