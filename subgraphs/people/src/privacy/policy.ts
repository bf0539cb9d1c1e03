/**
 * Who sees whose personal data: the one place the rule lives.
 *
 * - ID number: in full to the person and platform admins; masked to everyone else.
 * - Phone, birth date, unit and door ("contact data"): in full to the person,
 *   the captains of the teams they serve in, the grid worker of the grid their
 *   home lies in, and admins of their region; masked (or withheld) otherwise.
 * - A household: only to its members, its caretaker, the grid worker of its
 *   grid and admins of its region.
 *
 * Every unmasked read by someone other than its subject is written to the
 * access log before the value is released.
 */
import { hasRole, isAuthenticated, type Executor } from '@lianxin/shared';
import type { PeopleContext } from '../context.js';
import type { HouseholdRow, PersonRow } from '../db/schema.js';
import { findGridsCoveringRegions } from '../grids/store.js';
import { findCurrentMemberships } from '../households/store.js';
import { findRegionsByIds } from '../regions/store.js';
import { REGION_ADMIN_ROLES, isPlatformAdmin, withinScope } from '../scope.js';
import { openIdNumber } from './crypto.js';
import { maskIdNumber, maskPhone } from './masks.js';
import type { PersonalDataField } from './access-log.js';

/** Whether the viewer is an admin of the region `regionId` lies in (platform admins everywhere). */
async function administersRegion(ctx: PeopleContext, regionId: string | null): Promise<boolean> {
  if (isPlatformAdmin(ctx.viewer)) return true;
  if (regionId === null || !hasRole(ctx.viewer, ...REGION_ADMIN_ROLES)) return false;
  const region = await ctx.loaders.regionById.load(regionId);
  return region !== null && withinScope(ctx.viewer, region);
}

/** Whether the viewer is the grid worker of the grid `regionId` lies in. */
async function isGridWorkerOf(ctx: PeopleContext, regionId: string | null): Promise<boolean> {
  if (regionId === null || ctx.viewer.personId === null) return false;
  const grid = await ctx.loaders.gridOfRegion.load(regionId);
  return grid !== null && grid.workerId === ctx.viewer.personId;
}

/** Whether the viewer may see `person`'s contact data (phone, birth date, unit) in full. */
export async function seesContactOf(ctx: PeopleContext, person: PersonRow): Promise<boolean> {
  const viewer = ctx.viewer;
  if (!isAuthenticated(viewer)) return false;
  if (viewer.personId === person.id) return true;
  const checks: Promise<boolean>[] = [administersRegion(ctx, person.homeRegionId)];
  if (viewer.personId !== null) {
    const me = viewer.personId;
    checks.push(ctx.loaders.captainsOfPerson.load(person.id).then((captains) => captains.includes(me)));
    checks.push(isGridWorkerOf(ctx, person.homeRegionId));
  }
  return (await Promise.all(checks)).some(Boolean);
}

/** Whether the viewer may see `person`'s ID number in full. */
export function seesIdNumberOf(ctx: PeopleContext, person: PersonRow): boolean {
  return isAuthenticated(ctx.viewer) && (ctx.viewer.personId === person.id || isPlatformAdmin(ctx.viewer));
}

/** Whether the viewer may see `household` at all. */
export async function seesHousehold(ctx: PeopleContext, household: HouseholdRow): Promise<boolean> {
  const viewer = ctx.viewer;
  if (!isAuthenticated(viewer)) return false;
  if (isPlatformAdmin(viewer)) return true;
  const checks: Promise<boolean>[] = [administersRegion(ctx, household.addressRegionId)];
  if (viewer.personId !== null) {
    const me = viewer.personId;
    if (household.caretakerId === me) return true;
    checks.push(ctx.loaders.membersOfHousehold.load(household.id).then((members) => members.some((member) => member.personId === me)));
    checks.push(isGridWorkerOf(ctx, household.addressRegionId));
  }
  return (await Promise.all(checks)).some(Boolean);
}

/**
 * The same rule as `seesHousehold`, read through a mutation's transaction
 * (the request's loaders may hold rows from before it, and the embedded
 * database's one connection is the transaction's). Mutations ask it before
 * anything else about the household, so one the viewer may not see is
 * refused exactly as a missing one.
 */
export async function seesHouseholdIn(ctx: PeopleContext, tx: Executor, household: HouseholdRow): Promise<boolean> {
  const viewer = ctx.viewer;
  if (!isAuthenticated(viewer)) return false;
  if (isPlatformAdmin(viewer)) return true;
  const me = viewer.personId;
  if (me !== null && household.caretakerId === me) return true;
  if (hasRole(viewer, ...REGION_ADMIN_ROLES)) {
    const [address] = await findRegionsByIds(tx, [household.addressRegionId]);
    if (address && withinScope(viewer, address)) return true;
  }
  if (me === null) return false;
  const [grid] = await findGridsCoveringRegions(tx, [household.addressRegionId]);
  if (grid?.workerId === me) return true;
  const [membership] = await findCurrentMemberships(tx, [me]);
  return membership?.householdId === household.id;
}

/** Logs an unmasked read of `person`'s data by someone else; resolves once the entry is written. */
async function logPersonRead(ctx: PeopleContext, person: PersonRow, field: PersonalDataField): Promise<void> {
  if (ctx.viewer.personId === person.id) return;
  await ctx.accessLog.load({ subject: { kind: 'person', id: person.id }, field });
}

/** The phone as this viewer may see it. */
export async function phoneFor(ctx: PeopleContext, person: PersonRow): Promise<string | null> {
  if (person.phone === null) return null;
  if (!(await seesContactOf(ctx, person))) return maskPhone(person.phone);
  await logPersonRead(ctx, person, 'phone');
  return person.phone;
}

/** The ID number as this viewer may see it: opened only for those who may see it whole. */
export async function idNumberFor(ctx: PeopleContext, person: PersonRow): Promise<string | null> {
  if (person.idNumberSealed === null || person.idNumberMasked === null) return null;
  if (!seesIdNumberOf(ctx, person)) return person.idNumberMasked;
  await logPersonRead(ctx, person, 'id_number');
  return openIdNumber(ctx.settings.dataKey, person.id, person.idNumberSealed);
}

/** The birth date, for those who see contact data; null for everyone else. */
export async function birthDateFor(ctx: PeopleContext, person: PersonRow): Promise<string | null> {
  if (person.birthDate === null || !(await seesContactOf(ctx, person))) return null;
  await logPersonRead(ctx, person, 'birth_date');
  return person.birthDate;
}

/** The unit and door, for those who see contact data; null for everyone else. */
export async function homeUnitFor(ctx: PeopleContext, person: PersonRow): Promise<string | null> {
  if (person.homeUnit === null || !(await seesContactOf(ctx, person))) return null;
  await logPersonRead(ctx, person, 'home_unit');
  return person.homeUnit;
}

/**
 * Releases a sensitive household field to a viewer who may see the household:
 * logged unless the viewer is a member.
 */
export async function householdFieldFor<T>(ctx: PeopleContext, household: HouseholdRow, field: 'hardship_level' | 'special_needs', value: T): Promise<T> {
  const me = ctx.viewer.personId;
  const members = me === null ? [] : await ctx.loaders.membersOfHousehold.load(household.id);
  if (!members.some((member) => member.personId === me)) {
    await ctx.accessLog.load({ subject: { kind: 'household', id: household.id }, field });
  }
  return value;
}
