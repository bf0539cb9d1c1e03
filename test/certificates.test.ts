/**
 * Certificates through the gateway, on the demo: a volunteer applies for a
 * certificate of all their service, the admin of where they live accepts it,
 * its figures are the volunteer's tally as recognition counted the demo's
 * service records, its holder's name is the one people shows; anyone
 * verifies it without signing in; the printable page is served on the
 * graph's own origin (200 with its content and QR code under a strict
 * policy, 404 for a number or code that names no certificate, 400 for a
 * malformed one, 503 while recognition is down), and the demo's honour
 * certificate verifies too.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eq } from 'drizzle-orm';
import { CERTIFICATE_PAGE_CONTENT_SECURITY_POLICY } from '@lianxin/gateway';
import { DEMO_LAST_YEAR, DEMO_VOLUNTEERS, demoRegionId } from '@lianxin/shared/demo';
import { DEMO_CAMPAIGN_ID } from '../subgraphs/recognition/src/db/demo/campaigns.js';
import { certificates } from '../subgraphs/recognition/src/db/schema.js';
import { startTestGraph, type TestGraph } from './support/graph.js';
import { operationsOn } from './support/operations.js';

let graph: TestGraph;
let origin: string;
beforeAll(async () => {
  graph = await startTestGraph();
  origin = new URL(graph.url).origin;
}, 300_000);
afterAll(async () => {
  await graph?.stop();
});

const { ok, must } = operationsOn(() => graph);

const VOLUNTEER = DEMO_VOLUNTEERS[0]!;
const today = (): string => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

const VERIFY = `query ($number: String!, $code: String!) { certificateVerify(number: $number, code: $code) {
  number kind holderName title issuer periodFrom periodTo hours services status revokedAt } }`;

interface Issued {
  id: string;
  number: string;
  code: string;
  minutes: number;
  services: number;
  hours: number;
  holderName: string;
}

let issued: Issued;

describe('a service-record certificate through the gateway', () => {
  it('is applied for, accepted and frozen with the figures recognition counted', async () => {
    const volunteer = await graph.token({ roles: ['volunteer'], personId: VOLUNTEER.id });
    const admin = await graph.token({ roles: ['community_admin'], regionIds: [demoRegionId(VOLUNTEER.home)] });
    const { application } = await must<{ application: { id: string; status: string } }>(
      'certificateApply',
      'application { id status }',
      { from: '2000-01-01', to: today(), purpose: '求职' },
      volunteer,
    );
    expect(application.status).toBe('PENDING');
    const decided = await must<{ application: { status: string; certificate: Issued } }>(
      'certificateApplicationDecide',
      'application { status certificate { id number code minutes services hours holderName } }',
      { application: application.id, decision: 'ACCEPT', issuer: '兴乐社区志愿服务站' },
      admin,
    );
    expect(decided.application.status).toBe('ACCEPTED');
    issued = decided.application.certificate;
    const { person } = await ok<{ person: { displayName: string; serviceTally: { minutes: number; services: number } } }>(
      `query ($id: ID!) { person(id: $id) { displayName serviceTally { minutes services } } }`,
      admin,
      { id: VOLUNTEER.id },
    );
    // Every service the volunteer has is in the period: the certificate states their lifetime tally, under people's masked name.
    expect(person.serviceTally.minutes).toBeGreaterThan(0);
    expect(issued).toMatchObject({ minutes: person.serviceTally.minutes, services: person.serviceTally.services, holderName: person.displayName });
    expect(issued.number).toMatch(/^LX-\d{4}-\d{6}$/);
  });

  it('is verified by anyone, and a wrong code is no certificate', async () => {
    const response = await graph.query(VERIFY, { variables: { number: issued.number, code: issued.code } });
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({
      certificateVerify: {
        number: issued.number,
        kind: 'SERVICE_RECORD',
        holderName: issued.holderName,
        title: '志愿服务记录证明',
        issuer: '兴乐社区志愿服务站',
        periodFrom: '2000-01-01',
        periodTo: today(),
        hours: issued.hours,
        services: issued.services,
        status: 'VALID',
        revokedAt: null,
      },
    });
    const wrong = issued.code.startsWith('Z') ? `Y${issued.code.slice(1)}` : `Z${issued.code.slice(1)}`;
    expect((await graph.query(VERIFY, { variables: { number: issued.number, code: wrong } })).data).toEqual({ certificateVerify: null });
  });
});

describe('the printable page', () => {
  const page = (path: string) => fetch(`${origin}${path}`);

  it('shows the certificate in Chinese with a QR code of its own address, under a strict policy', async () => {
    const response = await page(`/certificates/${issued.number}?code=${issued.code.toLowerCase()}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CERTIFICATE_PAGE_CONTENT_SECURITY_POLICY);
    expect(CERTIFICATE_PAGE_CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    const html = await response.text();
    for (const text of ['志愿服务记录证明', issued.number, issued.holderName, '兴乐社区志愿服务站', `${issued.hours} 小时`, `${issued.services} 次`, '有效', '<svg'])
      expect(html).toContain(text);
    expect(html).toContain(`${origin}/certificates/${issued.number}?code=${issued.code}`);
    expect(html).not.toContain('<script');
  });

  it('answers 404 for a number or code that names no certificate, the same page for both', async () => {
    const wrong = issued.code.startsWith('Z') ? `Y${issued.code.slice(1)}` : `Z${issued.code.slice(1)}`;
    const byCode = await page(`/certificates/${issued.number}?code=${wrong}`);
    const byNumber = await page(`/certificates/LX-1999-000001?code=${issued.code}`);
    expect([byCode.status, byNumber.status]).toEqual([404, 404]);
    expect(await byCode.text()).toBe(await byNumber.text());
  });

  it('answers 400 for malformed input, never a 500', async () => {
    for (const path of [
      `/certificates/${issued.number}`,
      `/certificates/${issued.number}?code=short`,
      `/certificates/${issued.number}?code=O0I1L0O0`,
      `/certificates/${issued.number}?code=${issued.code}&code=${issued.code}`,
      `/certificates/not-a-number?code=${issued.code}`,
      `/certificates/%E0%A4%A?code=${issued.code}`,
      `/certificates/${issued.number}/more?code=${issued.code}`,
      '/certificates/',
    ]) {
      const response = await page(path);
      expect([path, response.status]).toEqual([path, 400]);
      expect(response.headers.get('content-security-policy')).toBe(CERTIFICATE_PAGE_CONTENT_SECURITY_POLICY);
    }
  });

  it('answers 503 while recognition is down, never a 500', async () => {
    const recognition = graph.graph.subgraphs.recognition;
    await recognition.stop();
    try {
      const response = await page(`/certificates/${issued.number}?code=${issued.code}`);
      expect(response.status).toBe(503);
      expect(await response.text()).toContain('暂时无法核验');
    } finally {
      await recognition.restart();
    }
    expect((await page(`/certificates/${issued.number}?code=${issued.code}`)).status).toBe(200);
  });

  it("shows the demo's honour certificate", async () => {
    // The sample person's 最美志愿服务组织者, issued when the demo's campaign was published on last year's International Volunteer Day.
    const [honour] = await graph.graph.subgraphs.recognition.database.db.select().from(certificates).where(eq(certificates.title, '最美志愿服务组织者'));
    expect(honour).toMatchObject({ kind: 'honour', subjectId: VOLUNTEER.id, sourceId: DEMO_CAMPAIGN_ID, issuedAt: new Date(`${DEMO_LAST_YEAR}-12-05T02:00:00.000Z`) });
    const response = await page(`/certificates/${honour!.number}?code=${honour!.code}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    for (const text of ['最美志愿服务组织者', '荣誉证书', `新城区${DEMO_LAST_YEAR}年度最美志愿者评选`, `${DEMO_LAST_YEAR}年12月5日`, issued.holderName])
      expect(html).toContain(text);
  });
});
