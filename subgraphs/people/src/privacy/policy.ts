/**
 * Who sees whose personal data: the one place the rule lives.
 *
 * Who may see a person at all (decided before anything is loaded, so a
 * refusal never tells whether the person exists):
 *
 * - Anonymous viewers reach a person only as a team's captain
 *   (`Team.captain`), and of the captain see the id and the public display
 *   name (`displayName`, `王**`: see maskName) only. Every other way to a
 *   person (`person`, `persons`, `Team.members`, `Grid.worker`,
 *   `Region.buildingCaptain`, a reference from another subgraph such as
 *   `Badge.holder` or `MicroWish.wisher`) and every other field of a person
 *   is UNAUTHENTICATED. A team's size (`Team.memberCount`) is public.
 * - Merchants (a till's client-credential token: the merchant role with a
 *   merchant id and no person) see no person and no field of one: every way
 *   to a person, `Team.captain` included, is FORBIDDEN. A till tells
 *   returning customers apart by the pseudonymous member id the points
 *   subgraph puts on redemptions.
 * - Every other signed-in viewer sees a person's name, display name, home
 *   region, gender, teams and volunteer profile, and their personal data as
 *   below.
 *
 * Personal data, for those who see the person:
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
import { ForbiddenError, UnauthenticatedError, hasRole, isAuthenticated, isMerchantClient, type Executor, type Viewer, isPlatformAdmin } from '@lianxin/shared';
import type { PeopleContext } from '../context.js';
import type { HouseholdRow, PersonRow } from '../db/schema.js';
import { findGridsCoveringRegions } from '../grids/store.js';
import { findCurrentMemberships } from '../households/store.js';
import { findRegionsByIds } from '../regions/store.js';
import { REGION_ADMIN_ROLES, withinScope } from '../access.js';
import { openIdNumber, openIdNumberWithAny } from './crypto.js';
import { maskPhone } from './masks.js';
import type { PersonalDataField } from './access-log.js';

/** How much of persons a viewer may see at all. */
export type PersonReader = 'anonymous' | 'merchant' | 'signed-in';

export { isMerchantClient };

export function personReaderOf(viewer: Viewer): PersonReader {
  if (!isAuthenticated(viewer)) return 'anonymous';
  return isMerchantClient(viewer) ? 'merchant' : 'signed-in';
}

/** The fields of a person anonymous viewers may read, of the persons they may reach (team captains). */
const PUBLIC_PERSON_FIELDS: ReadonlySet<string> = new Set(['id', 'displayName']);

const anonymousRefusal = (): UnauthenticatedError =>
  new UnauthenticatedError('Sign in to see persons: anonymous viewers see a team’s member count and its captain’s display name only.');
const merchantRefusal = (): ForbiddenError => new ForbiddenError('Merchants see no persons: a redemption’s memberId tells returning customers apart.');

/**
 * Refuses a viewer who may not see persons: for every way to a person but a
 * team's captain, and for a reference from another subgraph. Call it before
 * loading anything.
 */
export function requirePersonReader(ctx: PeopleContext): void {
  const reader = personReaderOf(ctx.viewer);
  if (reader === 'anonymous') throw anonymousRefusal();
  if (reader === 'merchant') throw merchantRefusal();
}

/** Refuses a viewer who may not see even a team's captain: merchants. */
export function requireCaptainReader(ctx: PeopleContext): void {
  if (personReaderOf(ctx.viewer) === 'merchant') throw merchantRefusal();
}

/** Refuses a viewer who may not read `field` of a person they reached. */
export function requirePersonField(ctx: PeopleContext, field: string): void {
  const reader = personReaderOf(ctx.viewer);
  if (reader === 'merchant') throw merchantRefusal();
  if (reader === 'anonymous' && !PUBLIC_PERSON_FIELDS.has(field)) throw anonymousRefusal();
}

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
  // During a key rotation, a value not yet re-sealed opens with the previous key.
  if (ctx.settings.previousDataKey === null) return openIdNumber(ctx.settings.dataKey, person.id, person.idNumberSealed);
  const opened = openIdNumberWithAny([ctx.settings.dataKey, ctx.settings.previousDataKey], person.id, person.idNumberSealed);
  if (opened === null) throw new Error('sealed ID number opens with neither PEOPLE_DATA_KEY nor PEOPLE_DATA_KEY_OLD');
  return opened.idNumber;
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
