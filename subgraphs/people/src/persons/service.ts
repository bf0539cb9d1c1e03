/**
 * Rules for persons. Who sees a person at all, and which of their data, is
 * privacy/policy.ts's to say. Staff register persons under their real name
 * inside their scope; a person keeps their own phone and home current, and
 * admins of their region may correct the rest.
 */
import { z } from 'zod';
import {
  BadInputError,
  ForbiddenError,
  STAFF_ROLES,
  UNIQUE_VIOLATION,
  hasRole,
  isUuid,
  newId,
  optionalId,
  readPage,
  toConnection,
  userError,
  type Connection,
  type ConnectionArgs,
  type Executor,
  type Result,
  requireRoles,
  requireSignedIn,
  isPlatformAdmin,
  holdsAnyOf,
} from '@lianxin/shared';
import type { PeopleContext } from '../context.js';
import { type PersonRow, type RegionRow, type VolunteerProfileRow, volunteerStatus } from '../db/schema.js';
import { personHomeChanged, personLeaderboardOptOutSet, personRegistered } from '../events/publish.js';
import { idInput, inTransaction, parseInput, refuse, textInput } from '../mutation.js';
import { idNumberLookup, sealIdNumber } from '../privacy/crypto.js';
import { maskIdNumber } from '../privacy/masks.js';
import { requirePersonReader } from '../privacy/policy.js';
import { DWELLING_KINDS } from '../regions/rank.js';
import { findRegionsByIds } from '../regions/store.js';
import { REGION_ADMIN_ROLES, REGISTRAR_ROLES, administers } from '../access.js';
import { MOBILE_PHONE, parseIdNumber } from './id-number.js';
import {
  countPersons,
  findPersonPage,
  insertPerson,
  lockPerson,
  personCursor,
  setLeaderboardOptOut,
  updatePerson,
  upsertVolunteerProfile,
  type PersonListFilter,
} from './store.js';

export async function getPerson(ctx: PeopleContext, id: string): Promise<PersonRow | null> {
  requirePersonReader(ctx);
  if (!isUuid(id)) throw new BadInputError('id is not a person id.', 'id');
  return ctx.loaders.personById.load(id);
}

export interface PersonFilterArgs {
  region?: string | null | undefined;
  skill?: string | null | undefined;
  team?: string | null | undefined;
  partyMember?: boolean | null | undefined;
  status?: VolunteerProfileRow['status'] | null | undefined;
}

export async function listPersons(ctx: PeopleContext, filter: PersonFilterArgs | null | undefined, args: ConnectionArgs): Promise<Connection<PersonRow>> {
  requirePersonReader(ctx);
  if (!hasRole(ctx.viewer, ...STAFF_ROLES)) throw new ForbiddenError('Only staff may list persons.');
  const region = optionalId(filter?.region, 'filter.region', 'a region id');
  const team = optionalId(filter?.team, 'filter.team', 'a team id');
  const page = readPage(args, ['timestamp', 'uuid']);
  const conditions: PersonListFilter = {
    region,
    skill: filter?.skill?.trim().toLowerCase() || undefined,
    team,
    partyMember: filter?.partyMember ?? undefined,
    status: filter?.status ?? undefined,
    // Staff other than platform admins see the persons who live in their scope.
    scope: isPlatformAdmin(ctx.viewer) ? undefined : ctx.viewer.regionIds,
  };
  const rows = await findPersonPage(ctx.db, conditions, page);
  return toConnection(rows, page, personCursor, () => countPersons(ctx.db, conditions));
}

const phoneInput = z.string().trim().regex(MOBILE_PHONE, 'must be a mainland mobile number: 11 digits starting 13 to 19.');
const unitInput = textInput(50);

const personRegisterInput = z.object({
  name: textInput(50),
  idNumber: z.string(),
  phone: phoneInput.nullish(),
  homeRegion: idInput('a region').nullish(),
  homeUnit: unitInput.nullish(),
});

/** Loads a home region and checks it is a dwelling the viewer may place people in. */
async function checkHome(ctx: PeopleContext, tx: Executor, id: string, field: string[]): Promise<RegionRow> {
  const [home] = await findRegionsByIds(tx, [id]);
  if (!home) refuse(field, 'NOT_FOUND', 'There is no such region.');
  if (!administers(ctx.viewer, home, REGISTRAR_ROLES)) refuse(field, 'NOT_ALLOWED', 'The home lies outside your scope.');
  if (!DWELLING_KINDS.includes(home.kind)) refuse(field, 'INVALID', 'A home is a compound or a building.');
  return home;
}

export async function registerPerson(ctx: PeopleContext, input: unknown): Promise<Result<PersonRow>> {
  const subject = requireRoles(ctx.viewer, REGISTRAR_ROLES, 'register persons');
  const parsed = parseInput(personRegisterInput, input);
  if (!parsed.ok) return parsed;
  const { name, phone, homeRegion, homeUnit } = parsed.value;
  const checked = parseIdNumber(parsed.value.idNumber);
  if (!checked.ok) return { ok: false, errors: [userError(['input', 'idNumber'], 'INVALID', checked.reason)] };
  const { idNumber } = checked;
  return inTransaction(
    ctx,
    async (tx) => {
      if (homeRegion) await checkHome(ctx, tx, homeRegion, ['input', 'homeRegion']);
      else if (!isPlatformAdmin(ctx.viewer)) refuse(['input', 'homeRegion'], 'REQUIRED', 'Say where the person lives.');
      const id = newId();
      const person = await insertPerson(tx, {
        id,
        name,
        phone: phone ?? null,
        homeRegionId: homeRegion ?? null,
        homeUnit: homeUnit ?? null,
        idNumberSealed: sealIdNumber(ctx.settings.dataKey, id, idNumber.value),
        idNumberLookup: idNumberLookup(ctx.settings.lookupKey, idNumber.value),
        idNumberMasked: maskIdNumber(idNumber.value),
        gender: idNumber.gender,
        birthDate: idNumber.birthDate,
        registeredBy: subject,
      });
      // In the same transaction: other subgraphs refuse writes for a person until they have heard of them.
      await personRegistered(tx, person);
      return person;
    },
    [
      {
        sqlState: UNIQUE_VIOLATION,
        constraint: 'persons_id_number_lookup_unique',
        error: userError(['input', 'idNumber'], 'ALREADY_EXISTS', 'A person with this ID number is registered already.'),
      },
    ],
  );
}

const personUpdateInput = z.object({
  person: idInput('a person'),
  name: textInput(50).nullish(),
  phone: phoneInput.nullish(),
  homeRegion: idInput('a region').nullish(),
  homeUnit: unitInput.nullish(),
});

/**
 * Whether the viewer is an admin of where `person` lives. Reads through the
 * transaction: the embedded database has one connection, which the
 * transaction holds.
 */
async function administersPerson(ctx: PeopleContext, tx: Executor, person: PersonRow): Promise<boolean> {
  if (isPlatformAdmin(ctx.viewer)) return true;
  if (person.homeRegionId === null) return false;
  const [home] = await findRegionsByIds(tx, [person.homeRegionId]);
  return home !== undefined && administers(ctx.viewer, home);
}

export async function changePerson(ctx: PeopleContext, input: unknown): Promise<Result<PersonRow>> {
  requireSignedIn(ctx.viewer);
  const parsed = parseInput(personUpdateInput, input);
  if (!parsed.ok) return parsed;
  const { person: personId, name, phone, homeRegion, homeUnit } = parsed.value;
  const self = ctx.viewer.personId === personId;
  if (!self && !holdsAnyOf(ctx.viewer, REGION_ADMIN_ROLES)) throw new ForbiddenError('Only the person and admins of their region may change a person.');
  return inTransaction(ctx, async (tx) => {
    const person = await lockPerson(tx, personId);
    if (!person) refuse(['input', 'person'], 'NOT_FOUND', 'There is no such person.');
    const admin = await administersPerson(ctx, tx, person);
    if (!self && !admin) refuse(['input', 'person'], 'NOT_ALLOWED', 'The person lives outside your scope.');
    if (name && !admin) refuse(['input', 'name'], 'NOT_ALLOWED', 'Only admins of the person’s region may correct the registered name.');
    if (homeRegion) {
      const [home] = await findRegionsByIds(tx, [homeRegion]);
      if (!home) refuse(['input', 'homeRegion'], 'NOT_FOUND', 'There is no such region.');
      if (!self && !administers(ctx.viewer, home)) refuse(['input', 'homeRegion'], 'NOT_ALLOWED', 'The new home lies outside your scope.');
      if (!DWELLING_KINDS.includes(home.kind)) refuse(['input', 'homeRegion'], 'INVALID', 'A home is a compound or a building.');
    }
    const updated = await updatePerson(tx, personId, {
      ...(name ? { name } : {}),
      ...(phone ? { phone } : {}),
      ...(homeRegion ? { homeRegionId: homeRegion } : {}),
      ...(homeUnit ? { homeUnit } : {}),
    });
    if (updated.homeRegionId !== person.homeRegionId) await personHomeChanged(tx, updated);
    return updated;
  });
}

const volunteerProfileSetInput = z.object({
  person: idInput('a person'),
  skills: z
    .array(textInput(30).transform((skill) => skill.toLowerCase()))
    .max(20, 'must list at most 20 skills.')
    .nullish(),
  partyMember: z.boolean().nullish(),
  status: z.enum(volunteerStatus.enumValues).nullish(),
});

export async function setVolunteerProfile(ctx: PeopleContext, input: unknown): Promise<Result<PersonRow>> {
  requireSignedIn(ctx.viewer);
  const parsed = parseInput(volunteerProfileSetInput, input);
  if (!parsed.ok) return parsed;
  const { person: personId, skills, partyMember, status } = parsed.value;
  const self = ctx.viewer.personId === personId;
  if (!self && !holdsAnyOf(ctx.viewer, REGION_ADMIN_ROLES)) throw new ForbiddenError('Only the person and admins of their region may set a volunteer profile.');
  return inTransaction(ctx, async (tx) => {
    const person = await lockPerson(tx, personId);
    if (!person) refuse(['input', 'person'], 'NOT_FOUND', 'There is no such person.');
    if (!self && !(await administersPerson(ctx, tx, person))) refuse(['input', 'person'], 'NOT_ALLOWED', 'The person lives outside your scope.');
    await upsertVolunteerProfile(tx, personId, {
      skills: skills ? [...new Set(skills)] : undefined,
      partyMember: partyMember ?? undefined,
      status: status ?? undefined,
    });
    return person;
  });
}

const leaderboardOptOutSetInput = z.object({ optOut: z.boolean() });

/**
 * The viewer's own consent to appear by name on public leaderboards: a
 * choice only the person makes, so it always applies to the viewer, and no
 * one else may make it for them. Recorded with its instant and announced to
 * recognition in the same transaction; setting the same choice again changes
 * nothing and announces nothing.
 */
export async function setOwnLeaderboardOptOut(ctx: PeopleContext, input: unknown): Promise<Result<PersonRow>> {
  requireSignedIn(ctx.viewer);
  const parsed = parseInput(leaderboardOptOutSetInput, input);
  if (!parsed.ok) return parsed;
  const personId = ctx.viewer.personId;
  if (personId === null) throw new ForbiddenError('Only a person may choose whether they appear on leaderboards.');
  return inTransaction(ctx, async (tx) => {
    const person = await lockPerson(tx, personId);
    if (!person) refuse(['input'], 'NOT_FOUND', 'There is no such person.');
    if (person.leaderboardOptOut === parsed.value.optOut) return person;
    const changed = await setLeaderboardOptOut(tx, personId, parsed.value.optOut);
    await personLeaderboardOptOutSet(tx, changed);
    return changed;
  });
}
