/**
 * Certificates on real Postgres: a volunteer's service in March 2025 (Beijing
 * days, with services a minute either side of the period and a reversal
 * inside it) applied for, accepted and frozen with figures worked out by
 * hand; refusals and who may; anonymous verification, where a wrong number
 * and a wrong code answer alike; a reversal of a counted record flagging the
 * certificate and one outside the period not; clearing, revoking; the
 * database refusing edits; honour certificates issued once per source,
 * holder and title; two admins accepting one application at once.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { newId, rowsOf, type NewEvent } from '@lianxin/shared';
import { countStatements, viewerOf, type SubgraphHarness } from '@lianxin/shared/testing';
import {
  EAST,
  STREET,
  WEST,
  consumeAll as consumeEvents,
  publish as publishEvents,
  serviceCreated,
  serviceReversed,
  startRecognition,
  type Source,
  regionTree,
} from './support.js';
import type { RecognitionContext } from '../src/context.js';
import { issueHonourCertificate } from '../src/index.js';
import { beijingYearOf } from '../src/periods/store.js';

let recognition: SubgraphHarness<RecognitionContext>;
const db = () => recognition.database.db;
const publish = (source: Source, ...events: NewEvent[]): Promise<void> => publishEvents(db(), source, events);

async function consumeAll(): Promise<void> {
  const total = await consumeEvents(db());
  expect(total.deadLettered).toBe(0);
}

const [V1, V2] = [newId(), newId()];
const ACT1 = newId();
const [S_FIRST, S_LAST, S_AFTER, S_MID, S_REV] = [newId(), newId(), newId(), newId(), newId()];

function personRegistered(personId: string, homeRegionId: string, displayName: string): NewEvent {
  return { type: 'person.registered', aggregateType: 'person', aggregateId: personId, payload: { personId, registeredAt: '2024-01-01T00:00:00.000Z', homeRegionId, displayName } };
}

const volunteer = viewerOf({ roles: ['volunteer'], personId: V1 });
const otherVolunteer = viewerOf({ roles: ['volunteer'], personId: V2 });
const eastAdmin = viewerOf({ roles: ['station_admin'], regionIds: [EAST] });
const streetAdmin = viewerOf({ roles: ['community_admin'], regionIds: [STREET] });
const westAdmin = viewerOf({ roles: ['station_admin'], regionIds: [WEST] });
const platformAdmin = viewerOf({ roles: ['platform_admin'] });

beforeAll(async () => {
  recognition = await startRecognition();
  await publish('people', ...regionTree(), personRegistered(V1, EAST, '张**'), personRegistered(V2, WEST, '李**'));
  // March 2025 in Beijing is 2025-02-28T16:00Z to 2025-03-31T16:00Z. Served: a minute before it (30 minutes), its
  // first minute (60, repair), 15 March (120, repair, at ACT1), 10 March (50, reversed before the application), its
  // last minute (90, cleaning, at ACT1) and the first minute after it (45).
  await publish(
    'requests',
    serviceCreated(V1, 30, '2025-02-28T15:59:00.000Z', { region: EAST }),
    serviceCreated(V1, 60, '2025-02-28T16:00:00.000Z', { region: EAST, recordId: S_FIRST }),
    serviceCreated(V1, 120, '2025-03-15T02:00:00.000Z', { region: EAST, activityId: ACT1, recordId: S_MID }),
    serviceCreated(V1, 50, '2025-03-10T02:00:00.000Z', { region: EAST, recordId: S_REV }),
    serviceCreated(V1, 90, '2025-03-31T15:59:00.000Z', { region: EAST, category: 'cleaning', activityId: ACT1, recordId: S_LAST }),
    serviceCreated(V1, 45, '2025-03-31T16:00:00.000Z', { region: EAST, recordId: S_AFTER }),
    serviceCreated(V2, 100, '2025-03-05T02:00:00.000Z', { region: WEST }),
  );
  await publish('requests', serviceReversed(V1, S_REV, 50, EAST, '2025-03-20T02:00:00.000Z'));
  await consumeAll();
});

afterAll(async () => {
  await recognition?.stop();
});

const APPLICATION = 'id status from to purpose refusalReason decidedAt certificate { id number code }';
const CERTIFICATE = `id number code kind subjectKind holder { id } holderName title citation issuer periodFrom periodTo minutes hours services
  categories { category minutes hours services } activities { activity { id } minutes hours services } status revokedAt revocationReason application { id }`;

const APPLY = `mutation($input: CertificateApplyInput!) { certificateApply(input: $input) { application { ${APPLICATION} } userErrors { field code } } }`;
const DECIDE = `mutation($input: CertificateApplicationDecideInput!) { certificateApplicationDecide(input: $input) { application { ${APPLICATION} } userErrors { field code } } }`;
const REVOKE = `mutation($input: CertificateRevokeInput!) { certificateRevoke(input: $input) { certificate { status revokedAt revocationReason } userErrors { field code } } }`;
const CLEAR = `mutation($input: CertificateReviewClearInput!) { certificateReviewClear(input: $input) { certificate { status } userErrors { field code } } }`;
const READ = `query($id: ID!) { certificate(id: $id) { ${CERTIFICATE} } }`;
const VERIFY = `query($number: String!, $code: String!) { certificateVerify(number: $number, code: $code) {
  number kind subjectKind holderName title citation issuer periodFrom periodTo hours services issuedAt status revokedAt } }`;

type Viewer = ReturnType<typeof viewerOf>;
type Payload = { application: Record<string, unknown> | null; userErrors: { field: string[]; code: string }[] };

async function apply(input: Record<string, unknown>, viewer: Viewer = volunteer): Promise<Payload> {
  const result = await recognition.execute(APPLY, { variables: { input }, viewer });
  expect(result.errors).toBeUndefined();
  return (result.data as { certificateApply: Payload }).certificateApply;
}

async function decide(input: Record<string, unknown>, viewer: Viewer = eastAdmin) {
  return recognition.execute(DECIDE, { variables: { input }, viewer });
}

async function decided(input: Record<string, unknown>, viewer: Viewer = eastAdmin): Promise<Payload> {
  const result = await decide(input, viewer);
  expect(result.errors).toBeUndefined();
  return (result.data as { certificateApplicationDecide: Payload }).certificateApplicationDecide;
}

async function read(id: string, viewer: Viewer = volunteer): Promise<Record<string, unknown> | null> {
  const result = await recognition.execute(READ, { variables: { id }, viewer });
  expect(result.errors).toBeUndefined();
  return (result.data as { certificate: Record<string, unknown> | null }).certificate;
}

async function verify(number: string, code: string) {
  return recognition.execute(VERIFY, { variables: { number, code } });
}

const count = async (table: string): Promise<number> => {
  const [row] = await rowsOf<{ n: string }>(db(), sql`select count(*)::text as n from ${sql.raw(`recognition.${table}`)}`);
  return Number(row!.n);
};

const MARCH = { from: '2025-03-01', to: '2025-03-31' };
let issued: { id: string; number: string; code: string };
let applicationId: string;

describe('a service-record certificate', () => {
  it('is applied for by the volunteer and pending until an admin decides', async () => {
    const payload = await apply({ ...MARCH, purpose: ' 学校社会实践 ' });
    expect(payload.userErrors).toEqual([]);
    expect(payload.application).toMatchObject({ status: 'PENDING', from: '2025-03-01', to: '2025-03-31', purpose: '学校社会实践', decidedAt: null, certificate: null });
    applicationId = payload.application!['id'] as string;
  });

  it('is issued on acceptance with the figures of the period, each boundary minute counted once', async () => {
    const payload = await decided({ application: applicationId, decision: 'ACCEPT', issuer: '东社区志愿服务站' });
    expect(payload.userErrors).toEqual([]);
    expect(payload.application).toMatchObject({ status: 'ACCEPTED', refusalReason: null });
    issued = payload.application!['certificate'] as typeof issued;
    const year = beijingYearOf(new Date());
    expect(issued.number).toMatch(new RegExp(`^LX-${year}-\\d{6}$`));
    expect(issued.code).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$/);
    // 60 + 120 + 90 (the 50 reversed nets out; 30 and 45 fall outside): 270 minutes in three services.
    expect(await read(issued.id)).toEqual({
      ...issued,
      kind: 'SERVICE_RECORD',
      subjectKind: 'PERSON',
      holder: { id: V1 },
      holderName: '张**',
      title: '志愿服务记录证明',
      citation: null,
      issuer: '东社区志愿服务站',
      periodFrom: '2025-03-01',
      periodTo: '2025-03-31',
      minutes: 270,
      hours: 4.5,
      services: 3,
      categories: [
        { category: 'cleaning', minutes: 90, hours: 1.5, services: 1 },
        { category: 'repair', minutes: 180, hours: 3, services: 2 },
      ],
      activities: [{ activity: { id: ACT1 }, minutes: 210, hours: 3.5, services: 2 }],
      status: 'VALID',
      revokedAt: null,
      revocationReason: null,
      application: { id: applicationId },
    });
  });

  it('keeps its figures when service in its period is counted later', async () => {
    await publish('requests', serviceCreated(V1, 600, '2025-03-20T02:00:00.000Z', { region: EAST }));
    await consumeAll();
    expect(await read(issued.id)).toMatchObject({ minutes: 270, services: 3, status: 'VALID' });
  });

  it('is refused with a reason, once', async () => {
    const { application } = await apply({ from: '2025-01-01', to: '2025-01-31' });
    const id = application!['id'] as string;
    expect(await decided({ application: id, decision: 'REFUSE' })).toEqual({ application: null, userErrors: [{ field: ['input', 'reason'], code: 'REQUIRED' }] });
    expect(await decided({ application: id, decision: 'ACCEPT', issuer: '  ' })).toEqual({ application: null, userErrors: [{ field: ['input', 'issuer'], code: 'REQUIRED' }] });
    const refused = await decided({ application: id, decision: 'REFUSE', reason: '该期间没有服务记录' });
    expect(refused).toMatchObject({ application: { status: 'REFUSED', refusalReason: '该期间没有服务记录', certificate: null }, userErrors: [] });
    expect(await decided({ application: id, decision: 'ACCEPT', issuer: '东社区志愿服务站' })).toEqual({
      application: null,
      userErrors: [{ field: ['input', 'application'], code: 'INVALID_STATE' }],
    });
  });

  it('refuses periods that are backwards or not over, and applicants who are not volunteers', async () => {
    expect(await apply({ from: '2025-03-02', to: '2025-03-01' })).toEqual({ application: null, userErrors: [{ field: ['input', 'to'], code: 'INVALID' }] });
    expect(await apply({ from: '2025-03-01', to: '2999-12-31' })).toEqual({ application: null, userErrors: [{ field: ['input', 'to'], code: 'INVALID' }] });
    const anonymous = await recognition.execute(APPLY, { variables: { input: MARCH } });
    expect(anonymous.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    const admin = await recognition.execute(APPLY, { variables: { input: MARCH }, viewer: eastAdmin });
    expect(admin.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  });

  it("refuses someone else's application before telling anything about it", async () => {
    const { application } = await apply(MARCH);
    const pending = application!['id'] as string;
    const before = await count('certificate_decisions');
    // An admin of another community gets the same answer for a pending, a decided and an unknown application.
    for (const id of [pending, applicationId, newId()]) {
      const result = await decide({ application: id, decision: 'ACCEPT', issuer: '西社区' }, westAdmin);
      expect(result.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
      expect(result.errors?.[0]?.message).toBe('There is no such certificate application, or you may not see it.');
    }
    const role = await decide({ application: pending, decision: 'ACCEPT', issuer: 'x' }, otherVolunteer);
    expect(role.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    expect(await decided({ application: newId(), decision: 'ACCEPT', issuer: 'x' }, platformAdmin)).toEqual({
      application: null,
      userErrors: [{ field: ['input', 'application'], code: 'NOT_FOUND' }],
    });
    expect(await decided({ application: 'not-an-id', decision: 'ACCEPT', issuer: 'x' })).toEqual({
      application: null,
      userErrors: [{ field: ['input', 'application'], code: 'INVALID' }],
    });
    expect(await count('certificate_decisions')).toBe(before);
    // The street's admin holds the east community: theirs to decide.
    expect((await decided({ application: pending, decision: 'REFUSE', reason: '重复申请' }, streetAdmin)).userErrors).toEqual([]);
  });

  it('lists applications to their volunteer and to the admins of where they live', async () => {
    const LIST = `query($status: CertificateApplicationStatus) { certificateApplications(status: $status, first: 10) { edges { node { id status volunteer { id } } } pageInfo { hasNextPage } } }`;
    const list = async (viewer: Viewer, status?: string) => {
      const result = await recognition.execute(LIST, { variables: { status }, viewer });
      expect(result.errors).toBeUndefined();
      return (result.data as { certificateApplications: { edges: { node: { id: string; status: string } }[] } }).certificateApplications.edges.map((edge) => edge.node);
    };
    expect((await list(volunteer)).map((node) => node.status)).toEqual(['REFUSED', 'REFUSED', 'ACCEPTED']);
    expect(await list(volunteer, 'ACCEPTED')).toEqual([{ id: applicationId, status: 'ACCEPTED', volunteer: { id: V1 } }]);
    expect(await list(eastAdmin)).toHaveLength(3);
    expect(await list(otherVolunteer)).toEqual([]);
    expect(await list(westAdmin)).toEqual([]);
    expect(await list(platformAdmin)).toHaveLength(3);
  });

  it('is read by its holder and the admins of where they live, and no one else', async () => {
    expect(await read(issued.id, eastAdmin)).toMatchObject({ id: issued.id });
    for (const viewer of [otherVolunteer, westAdmin]) {
      const result = await recognition.execute(READ, { variables: { id: issued.id }, viewer });
      expect(result.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    }
    expect(await read(newId(), platformAdmin)).toBeNull();
    const PERSON = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person { certificates { id } } } }`;
    const of = async (viewer: Viewer) =>
      ((await recognition.execute(PERSON, { variables: { reps: [{ __typename: 'Person', id: V1 }] }, viewer })).data as { _entities: unknown[] })._entities;
    expect(await of(volunteer)).toEqual([{ certificates: [{ id: issued.id }] }]);
    expect(await of(streetAdmin)).toEqual([{ certificates: [{ id: issued.id }] }]);
    expect(await of(otherVolunteer)).toEqual([{ certificates: null }]);
  });

  it("costs an admin the same statements for one person's certificates as for many", async () => {
    const PERSONS = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person { certificates { id status } } } }`;
    const reps = (ids: string[]) => ({ reps: ids.map((id) => ({ __typename: 'Person', id })) });
    const one = await countStatements(recognition.database, () => recognition.execute(PERSONS, { variables: reps([V1]), viewer: streetAdmin }));
    const many = await countStatements(recognition.database, () => recognition.execute(PERSONS, { variables: reps([V1, V2, newId(), newId()]), viewer: streetAdmin }));
    expect(many.result.errors).toBeUndefined();
    // The homes of the persons in one statement, their certificates with their status in another.
    expect([one.count, many.count]).toEqual([2, 2]);
  });
});

describe('verification', () => {
  it('tells an anonymous caller what the certificate states, and nothing for a wrong number or code', async () => {
    const result = await verify(issued.number, issued.code.toLowerCase());
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      certificateVerify: {
        number: issued.number,
        kind: 'SERVICE_RECORD',
        subjectKind: 'PERSON',
        holderName: '张**',
        title: '志愿服务记录证明',
        citation: null,
        issuer: '东社区志愿服务站',
        periodFrom: '2025-03-01',
        periodTo: '2025-03-31',
        hours: 4.5,
        services: 3,
        issuedAt: expect.any(Date),
        status: 'VALID',
        revokedAt: null,
      },
    });
    const wrongCode = issued.code.startsWith('2') ? `3${issued.code.slice(1)}` : `2${issued.code.slice(1)}`;
    expect((await verify(issued.number, wrongCode)).data).toEqual({ certificateVerify: null });
    expect((await verify('LX-2020-999999', issued.code)).data).toEqual({ certificateVerify: null });
    for (const [number, code] of [
      ['LX-20-1', issued.code],
      [issued.number, 'O0I1'],
      ["'; drop table x", issued.code],
    ]) {
      const malformed = await verify(number!, code!);
      expect(malformed.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    }
  });
});

describe('review and revocation', () => {
  const FLAGS = 'certificate_review_flags';

  it('puts a certificate under review when a record it counted is reversed, not for a record outside its period', async () => {
    await publish('requests', serviceReversed(V1, S_AFTER, 45, EAST, '2025-04-02T02:00:00.000Z'));
    await consumeAll();
    expect(await count(FLAGS)).toBe(0);
    await publish('requests', serviceReversed(V1, S_FIRST, 60, EAST, '2025-04-02T02:00:00.000Z'));
    await consumeAll();
    expect(await count(FLAGS)).toBe(1);
    expect(await read(issued.id)).toMatchObject({ status: 'UNDER_REVIEW', minutes: 270 });
    expect((await verify(issued.number, issued.code)).data).toMatchObject({ certificateVerify: { status: 'UNDER_REVIEW', hours: 4.5 } });
    const REVIEW = `{ certificatesUnderReview(first: 5) { edges { node { id status } } } }`;
    expect((await recognition.execute(REVIEW, { viewer: eastAdmin })).data).toEqual({ certificatesUnderReview: { edges: [{ node: { id: issued.id, status: 'UNDER_REVIEW' } }] } });
    expect((await recognition.execute(REVIEW, { viewer: westAdmin })).data).toEqual({ certificatesUnderReview: { edges: [] } });
    expect((await recognition.execute(REVIEW, { viewer: volunteer })).errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  });

  it('is cleared by an admin of the holder, once', async () => {
    const clear = async (viewer: Viewer) => recognition.execute(CLEAR, { variables: { input: { certificate: issued.id, note: '已核实，更正不影响证明' } }, viewer });
    expect((await clear(westAdmin)).errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    expect((await clear(eastAdmin)).data).toEqual({ certificateReviewClear: { certificate: { status: 'VALID' }, userErrors: [] } });
    expect((await clear(eastAdmin)).data).toEqual({ certificateReviewClear: { certificate: null, userErrors: [{ field: ['input', 'certificate'], code: 'INVALID_STATE' }] } });
  });

  it('is revoked once, and says so to whoever verifies it', async () => {
    const revoke = async (viewer: Viewer, reason = '证明所载服务记录有误') => recognition.execute(REVOKE, { variables: { input: { certificate: issued.id, reason } }, viewer });
    expect((await revoke(westAdmin)).errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    expect((await revoke(volunteer)).errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    expect((await revoke(eastAdmin, '')).data).toEqual({ certificateRevoke: { certificate: null, userErrors: [{ field: ['input', 'reason'], code: 'REQUIRED' }] } });
    const revoked = (await revoke(eastAdmin)).data as { certificateRevoke: { certificate: { status: string; revokedAt: string } } };
    expect(revoked.certificateRevoke).toEqual({ certificate: { status: 'REVOKED', revokedAt: expect.any(Date), revocationReason: '证明所载服务记录有误' }, userErrors: [] });
    expect((await revoke(eastAdmin)).data).toEqual({ certificateRevoke: { certificate: null, userErrors: [{ field: ['input', 'certificate'], code: 'INVALID_STATE' }] } });
    expect((await verify(issued.number, issued.code)).data).toMatchObject({
      certificateVerify: { status: 'REVOKED', revokedAt: revoked.certificateRevoke.certificate.revokedAt, hours: 4.5 },
    });
  });

  it('is refused any edit by the database', async () => {
    const causeOf = async (work: Promise<unknown>): Promise<string> => {
      try {
        await work;
        return 'no error';
      } catch (error) {
        return String((error as { cause?: unknown }).cause ?? error);
      }
    };
    expect(await causeOf(db().execute(sql`update recognition.certificates set minutes = 9999`))).toContain('recognition.certificates is append-only: UPDATE refused');
    expect(await causeOf(db().execute(sql`delete from recognition.certificate_revocations`))).toContain('recognition.certificate_revocations is append-only: DELETE refused');
    expect(await causeOf(db().execute(sql`insert into recognition.certificate_revocations (certificate_id, reason, revoked_by) values (${issued.id}, 'again', 'x')`))).toContain(
      'certificate_revocations_pkey',
    );
    expect(
      await causeOf(db().execute(sql`insert into recognition.certificate_decisions (application_id, outcome, reason, decided_by) values (${applicationId}, 'refused', 'x', 'x')`)),
    ).toContain('certificate_decisions_pkey');
    expect(await causeOf(db().execute(sql`truncate recognition.certificate_review_flags cascade`))).toContain('append-only: TRUNCATE refused');
  });
});

describe('honour certificates', () => {
  const CAMPAIGN = newId();
  const TEAM = newId();

  it('are issued once per source, holder and title, in the caller transaction', async () => {
    const honour = {
      subject: { kind: 'PERSON' as const, id: V2 },
      displayName: 'ignored for a known person',
      title: '最美志愿者',
      citation: '常年坚持为老服务',
      issuer: '鼓楼区志愿服务联合会',
      source: { kind: 'CAMPAIGN' as const, id: CAMPAIGN },
      issuedAt: new Date('2026-03-05T02:00:00.000Z'),
    };
    const first = await db().transaction((tx) => issueHonourCertificate(tx, honour));
    const again = await db().transaction((tx) => issueHonourCertificate(tx, { ...honour, citation: 'changed' }));
    expect(again).toEqual(first);
    expect(first).toMatchObject({
      kind: 'honour',
      subjectKind: 'person',
      subjectId: V2,
      holderName: '李**',
      title: '最美志愿者',
      sourceKind: 'campaign',
      periodFrom: null,
      minutes: null,
    });
    expect(first.number).toMatch(/^LX-2026-\d{6}$/);
    const team = await db().transaction((tx) =>
      issueHonourCertificate(tx, { ...honour, subject: { kind: 'TEAM', id: TEAM }, displayName: '红马甲服务队', title: '优秀志愿服务组织' }),
    );
    expect(team).toMatchObject({ holderName: '红马甲服务队', subjectKind: 'team' });
    expect(team.number).not.toBe(first.number);
    const verified = await verify(first.number, first.code);
    expect(verified.data).toMatchObject({
      certificateVerify: { kind: 'HONOUR', holderName: '李**', title: '最美志愿者', citation: '常年坚持为老服务', periodFrom: null, hours: null, status: 'VALID' },
    });
    // Rolled back with its caller: nothing stays of an honour whose transaction fails.
    const before = await count('certificates');
    await expect(
      db().transaction(async (tx) => {
        await issueHonourCertificate(tx, { ...honour, title: '另一荣誉' });
        throw new Error('the campaign failed');
      }),
    ).rejects.toThrow('the campaign failed');
    expect(await count('certificates')).toBe(before);
  });
});

describe('two admins accepting one application at once', () => {
  it('make one certificate', async () => {
    const { application } = await apply({ from: '2025-03-01', to: '2025-03-15' });
    const id = application!['id'] as string;
    const before = await count('certificates');
    const answers = await Promise.all([
      decided({ application: id, decision: 'ACCEPT', issuer: '东社区志愿服务站' }, eastAdmin),
      decided({ application: id, decision: 'ACCEPT', issuer: '街道志愿服务中心' }, streetAdmin),
    ]);
    expect(answers.filter((answer) => answer.userErrors.length === 0)).toHaveLength(1);
    expect(answers.flatMap((answer) => answer.userErrors)).toEqual([{ field: ['input', 'application'], code: 'INVALID_STATE' }]);
    expect(await count('certificates')).toBe(before + 1);
  });
});
