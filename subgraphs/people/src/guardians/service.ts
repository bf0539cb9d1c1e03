/**
 * Guardians' consent for minors to volunteer (未成年人志愿者的监护人同意). A
 * person under 18 (by the birth date read from their ID number) volunteers
 * only while a consent is in force; staff of the minor's home, or the
 * guardian living in the same household, record it, and either revokes it.
 * Requests learns only two booleans, `minor` and `guardianConsent`, through
 * `person.guardian_consent_changed`; the birth date never leaves this
 * subgraph.
 */
import { z } from 'zod';
import { UNIQUE_VIOLATION, holdsAnyOf, refuseUnseen, requireSignedIn, userError, type Database, type Result, type Transaction, type Viewer } from '@lianxin/shared';
import { REGION_ADMIN_ROLES, administers } from '../access.js';
import type { PeopleContext } from '../context.js';
import type { GuardianConsentRow, PersonRow } from '../db/schema.js';
import { personGuardianConsentChanged } from '../events/publish.js';
import { findHouseholdsOfPersons } from '../households/store.js';
import { idInput, inTransaction, parseInput, refuse, textInput } from '../mutation.js';
import { findPersonsByIds } from '../persons/store.js';
import { beijingDate, isMinor } from './age.js';
import { findRegionsByIds } from '../regions/store.js';
import { findComingOfAge, insertConsent, revokeConsent } from './store.js';

/** Whether the viewer is staff of the minor's home region. */
async function staffOf(tx: Transaction, viewer: Viewer, minor: PersonRow): Promise<boolean> {
  if (!holdsAnyOf(viewer, REGION_ADMIN_ROLES) || !minor.homeRegionId) return holdsAnyOf(viewer, ['platform_admin']);
  const [home] = await findRegionsByIds(tx, [minor.homeRegionId]);
  return home !== undefined && administers(viewer, home);
}

/** Whether the viewer lives in the minor's household. */
async function sameHousehold(tx: Transaction, viewer: Viewer, minorId: string): Promise<boolean> {
  if (!viewer.personId || viewer.personId === minorId) return false;
  const rows = await findHouseholdsOfPersons(tx, [viewer.personId, minorId]);
  return rows.length === 2 && rows[0]!.id === rows[1]!.id;
}

/** The minor, locked in sight: FORBIDDEN (as for an unknown id) unless the viewer is staff of their home or of their household. */
async function minorInReach(tx: Transaction, viewer: Viewer, minorId: string): Promise<{ minor: PersonRow; staff: boolean }> {
  const [minor] = await findPersonsByIds(tx, [minorId]);
  if (!minor) refuseUnseen(viewer, ['input', 'minor'], 'person');
  const staff = await staffOf(tx, viewer, minor);
  if (!staff && !(await sameHousehold(tx, viewer, minor.id))) refuseUnseen(viewer, ['input', 'minor'], 'person');
  return { minor, staff };
}

const recordInput = z.object({
  minor: idInput('a person'),
  guardian: idInput('a person').nullish(),
  guardianName: textInput(50).nullish(),
  relationship: textInput(20),
});

export async function recordGuardianConsent(ctx: PeopleContext, input: unknown): Promise<Result<GuardianConsentRow>> {
  const by = requireSignedIn(ctx.viewer, 'record a guardian’s consent');
  const parsed = parseInput(recordInput, input);
  if (!parsed.ok) return parsed;
  const { minor: minorId, guardian, guardianName, relationship } = parsed.value;
  if ((guardian ? 1 : 0) + (guardianName ? 1 : 0) !== 1) {
    return { ok: false, errors: [userError(['input', 'guardian'], 'INVALID', 'Name the guardian: either the registered person or their name, not both.')] };
  }
  return inTransaction(
    ctx,
    async (tx) => {
      const { minor, staff } = await minorInReach(tx, ctx.viewer, minorId);
      // A guardian records their own consent only; staff record anyone's.
      if (!staff && guardian !== ctx.viewer.personId) refuse(['input', 'guardian'], 'NOT_ALLOWED', 'A guardian records only their own consent.');
      if (guardian && (await findPersonsByIds(tx, [guardian])).length === 0) refuse(['input', 'guardian'], 'NOT_FOUND', 'There is no such person.');
      if (guardian === minor.id) refuse(['input', 'guardian'], 'INVALID', 'A minor is not their own guardian.');
      const now = new Date();
      if (!isMinor(minor.birthDate, now)) refuse(['input', 'minor'], 'INVALID_STATE', 'The person is not a minor: no guardian’s consent is needed.');
      const consent = await insertConsent(tx, {
        minorId: minor.id,
        guardianId: guardian ?? null,
        guardianName: guardianName ?? null,
        relationship,
        recordedBy: by,
        recordedAt: now,
      });
      await personGuardianConsentChanged(tx, minor.id, { minor: true, guardianConsent: true });
      return consent;
    },
    [
      {
        sqlState: UNIQUE_VIOLATION,
        constraint: 'guardian_consents_one_in_force',
        error: userError(['input', 'minor'], 'ALREADY_EXISTS', 'A guardian’s consent is in force already; revoke it first.'),
      },
    ],
  );
}

const revokeInput = z.object({ minor: idInput('a person') });

export async function revokeGuardianConsent(ctx: PeopleContext, input: unknown): Promise<Result<GuardianConsentRow>> {
  const by = requireSignedIn(ctx.viewer, 'revoke a guardian’s consent');
  const parsed = parseInput(revokeInput, input);
  if (!parsed.ok) return parsed;
  return inTransaction(ctx, async (tx) => {
    const { minor } = await minorInReach(tx, ctx.viewer, parsed.value.minor);
    const revoked = await revokeConsent(tx, minor.id, by, new Date());
    if (!revoked) refuse(['input', 'minor'], 'NOT_FOUND', 'No guardian’s consent is in force.');
    await personGuardianConsentChanged(tx, minor.id, { minor: isMinor(minor.birthDate, new Date()), guardianConsent: false });
    return revoked;
  });
}

/** The consent in force for `person`: the person themselves and staff of their home see it; null for anyone else. */
export async function consentOf(ctx: PeopleContext, person: PersonRow): Promise<GuardianConsentRow | null> {
  const viewer = ctx.viewer;
  const home = person.homeRegionId ? await ctx.loaders.regionById.load(person.homeRegionId) : null;
  const mayRead = viewer.personId === person.id || holdsAnyOf(viewer, ['platform_admin']) || (home !== null && administers(viewer, home));
  if (!mayRead) return null;
  return ctx.loaders.consentInForceOf.load(person.id);
}

/**
 * Announces everyone who registered as a minor and has turned 18 by `now`
 * (in Beijing days): one `person.guardian_consent_changed` each with `minor`
 * false, so requests stops applying minors' rules to them. Nothing else tells
 * requests, which never learns a birth date. The `coming-of-age` job runs it
 * daily; each person is announced once however often it runs.
 */
export async function announceComingOfAge(db: Database, now: Date): Promise<number> {
  return db.transaction(async (tx) => {
    const adults = await findComingOfAge(tx, beijingDate(now));
    for (const adult of adults) await personGuardianConsentChanged(tx, adult.personId, { minor: false, guardianConsent: adult.guardianConsent });
    return adults.length;
  });
}
