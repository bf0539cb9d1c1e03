/** Minors as volunteers: only with a guardian's consent, as people reports it, and only in categories marked suitable for minors; adults unaffected. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { count, eq } from 'drizzle-orm';
import { newId, type Viewer } from '@lianxin/shared';
import { viewerOf } from '@lianxin/shared/testing';
import { activitySignups, directoryPersons } from '../src/db/schema.js';
import { directoryHandlers } from '../src/directory/events.js';
import { XINGLE, act, fileRequest, knowPersons, must, run, startRequests, viewers, type RequestsTestBed, type UserErrorShape } from './support.js';

let bed: RequestsTestBed;
const minorId = newId();
const minor: Viewer = viewerOf({ roles: ['volunteer'], personId: minorId });
const HOUR = 3600_000;

beforeAll(async () => {
  bed = await startRequests();
  await knowPersons(bed, [minorId]);
});
afterAll(async () => {
  await bed?.stop();
});

/** Applies people's `person.guardian_consent_changed` to the directory, as the event runner would. */
async function guardianship(minorFlag: boolean, guardianConsent: boolean): Promise<void> {
  const handler = directoryHandlers['person.guardian_consent_changed']!;
  await bed.requests.database.db.transaction((tx) =>
    handler(tx, {
      id: newId(),
      source: 'people',
      type: 'person.guardian_consent_changed',
      aggregateType: 'person',
      aggregateId: minorId,
      sequence: 1,
      payload: { personId: minorId, minor: minorFlag, guardianConsent },
      occurredAt: new Date(),
    } as unknown as Parameters<typeof handler>[1]),
  );
}

async function markForMinors(code: string, suitableForMinors: boolean, viewer: Viewer = viewers.platform) {
  const data = await run<{ serviceCategoryMinorsSet: { category: { code: string; suitableForMinors: boolean } | null; userErrors: UserErrorShape[] } }>(
    bed,
    `mutation ($input: ServiceCategoryMinorsSetInput!) { serviceCategoryMinorsSet(input: $input) { category { code suitableForMinors } userErrors { field code message } } }`,
    viewer,
    { input: { code, suitableForMinors } },
  );
  return data.serviceCategoryMinorsSet;
}

async function newActivity(category: string): Promise<string> {
  const startsAt = new Date(bed.clock.now().getTime() + 48 * HOUR);
  const data = await run<{ activityCreate: { activity: { id: string } | null; userErrors: UserErrorShape[] } }>(
    bed,
    `mutation ($input: ActivityCreateInput!) { activityCreate(input: $input) { activity { id } userErrors { field code message } } }`,
    viewers.lin,
    { input: { title: '清理小广告', category, place: XINGLE, startsAt, endsAt: new Date(startsAt.getTime() + 2 * HOUR), capacity: 10 } },
  );
  if (!data.activityCreate.activity) throw new Error(JSON.stringify(data.activityCreate.userErrors));
  return data.activityCreate.activity.id;
}

async function signUp(activity: string, viewer: Viewer) {
  const data = await run<{ activitySignUp: { signup: { status: string } | null; userErrors: UserErrorShape[] } }>(
    bed,
    `mutation ($input: ActivitySignUpInput!) { activitySignUp(input: $input) { signup { status } userErrors { field code message } } }`,
    viewer,
    { input: { activity } },
  );
  return data.activitySignUp;
}

const errorsOf = (payload: { userErrors: UserErrorShape[] }) => payload.userErrors.map((error) => [error.field, error.code]);

describe('categories suitable for minors', () => {
  it('are marked by platform admins only; unknown codes are NOT_FOUND', async () => {
    expect(await markForMinors('cleaning', true)).toEqual({ category: { code: 'cleaning', suitableForMinors: true }, userErrors: [] });
    expect(errorsOf(await markForMinors('no_such_code', true))).toEqual([[['input', 'code'], 'NOT_FOUND']]);
    const refused = await bed.requests.execute(`mutation { serviceCategoryMinorsSet(input: { code: "cleaning", suitableForMinors: false }) { userErrors { code } } }`, {
      viewer: viewers.lin,
    });
    expect(refused.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    const listed = await run<{ categories: { code: string; suitableForMinors: boolean }[] }>(bed, `{ categories { code suitableForMinors } }`, viewers.stranger);
    expect(listed.categories.filter((category) => category.suitableForMinors).map((category) => category.code)).toEqual(['cleaning']);
  });
});

describe('a minor', () => {
  it('without a guardian’s consent is refused an activity even in a suitable category, and nothing is written', async () => {
    await guardianship(true, false);
    const activity = await newActivity('cleaning');
    expect(errorsOf(await signUp(activity, minor))).toEqual([[['input', 'activity'], 'NOT_ALLOWED']]);
    const [row] = await bed.requests.database.db.select({ n: count() }).from(activitySignups).where(eq(activitySignups.personId, minorId));
    expect(row?.n).toBe(0);
  });

  it('with consent signs up in a suitable category, and is refused in another', async () => {
    await guardianship(true, true);
    expect(await signUp(await newActivity('cleaning'), minor)).toEqual({ signup: { status: 'CONFIRMED' }, userErrors: [] });
    expect(errorsOf(await signUp(await newActivity('home_repair'), minor))).toEqual([[['input', 'activity'], 'NOT_ALLOWED']]);
  });

  it('is dispatched and accepts requests only in suitable categories, and only while the consent stands', async () => {
    await guardianship(true, true);
    const repair = await fileRequest(bed, { category: 'home_repair' });
    await must(bed, 'serviceRequestApprove', { request: repair }, viewers.station);
    expect(errorsOf(await act(bed, 'serviceRequestDispatch', { request: repair, person: minorId }, viewers.station))).toEqual([[['input', 'person'], 'NOT_ALLOWED']]);

    const cleaning = await fileRequest(bed, { category: 'cleaning' });
    await must(bed, 'serviceRequestApprove', { request: cleaning }, viewers.station);
    await must(bed, 'serviceRequestDispatch', { request: cleaning, person: minorId }, viewers.station);
    // Consent revoked between dispatch and acceptance: the acceptance is refused.
    await guardianship(true, false);
    expect(errorsOf(await act(bed, 'serviceRequestAccept', { request: cleaning }, minor))).toEqual([[['input', 'request'], 'NOT_ALLOWED']]);
    await guardianship(true, true);
    expect((await must(bed, 'serviceRequestAccept', { request: cleaning }, minor)).status).toBe('ACCEPTED');
  });

  it('who turns out an adult, as people reports, is unaffected; so are adults everywhere', async () => {
    await guardianship(false, false);
    expect(await signUp(await newActivity('home_repair'), minor)).toEqual({ signup: { status: 'CONFIRMED' }, userErrors: [] });
    expect(await signUp(await newActivity('home_repair'), viewers.zhang)).toEqual({ signup: { status: 'CONFIRMED' }, userErrors: [] });
    const [row] = await bed.requests.database.db.select().from(directoryPersons).where(eq(directoryPersons.id, minorId));
    expect(row).toMatchObject({ minor: false, guardianConsent: false });
  });

  it('takes a duty shift only at a post of a suitable category', async () => {
    await guardianship(true, true);
    const shiftAt = async (category: string): Promise<string> => {
      const post = await run<{ dutyPostCreate: { post: { id: string } | null } }>(
        bed,
        `mutation ($input: DutyPostCreateInput!) { dutyPostCreate(input: $input) { post { id } } }`,
        viewers.lin,
        { input: { name: `${category}岗`, kind: 'HOTLINE', place: XINGLE, category } },
      );
      const startsAt = new Date(bed.clock.now().getTime() + 72 * HOUR);
      const shifts = await run<{ dutyShiftsCreate: { shifts: { id: string }[] } }>(
        bed,
        `mutation ($input: DutyShiftsCreateInput!) { dutyShiftsCreate(input: $input) { shifts { id } } }`,
        viewers.lin,
        { input: { post: post.dutyPostCreate.post!.id, shifts: [{ startsAt, endsAt: new Date(startsAt.getTime() + 2 * HOUR), places: 3 }] } },
      );
      return shifts.dutyShiftsCreate.shifts[0]!.id;
    };
    const take = async (shift: string) =>
      (
        await run<{ dutyShiftSignUp: { signup: { status: string } | null; userErrors: UserErrorShape[] } }>(
          bed,
          `mutation ($input: DutyShiftSignUpInput!) { dutyShiftSignUp(input: $input) { signup { status } userErrors { field code message } } }`,
          minor,
          { input: { shift } },
        )
      ).dutyShiftSignUp;
    expect(errorsOf(await take(await shiftAt('other')))).toEqual([[['input', 'shift'], 'NOT_ALLOWED']]);
    expect(await take(await shiftAt('cleaning'))).toEqual({ signup: { status: 'CONFIRMED' }, userErrors: [] });
  });
});
