/**
 * An honour campaign end to end through the gateway, on the demo: 兴乐社区's
 * admin (林晓) creates a campaign with a category that asks for three stars,
 * opens it, nominates the gate-duty parents (the one with two stars refused
 * as NOT_ELIGIBLE), appoints a grid worker to review, moves it to review;
 * the reviewer scores; the organiser publishes; an anonymous caller reads
 * the winners with their stars and names from recognition and people, and
 * the winner's honours; the nominations stay hidden from them.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_GRID_WORKERS, DEMO_REGIONS, DEMO_STAFF } from '@lianxin/shared/demo';
import { DUTY_VOLUNTEERS } from '../subgraphs/requests/src/db/demo/duty.js';
import { startTestGraph, type TestGraph } from './support/graph.js';

let graph: TestGraph;
let organiser: string;
let reviewer: string;

beforeAll(async () => {
  graph = await startTestGraph();
  organiser = await graph.token({ roles: ['community_admin'], personId: DEMO_STAFF[0]!.id, regionIds: [DEMO_REGIONS.xingle.id] });
  reviewer = await graph.token({ roles: ['grid_worker'], personId: DEMO_GRID_WORKERS[0]!.id, regionIds: [DEMO_REGIONS.xingle.id] });
});
afterAll(async () => {
  await graph?.stop();
});

type UserErrors = { field: string[]; code: string; message: string }[];

async function mutate<T>(name: string, input: Record<string, unknown>, token: string, selection: string): Promise<{ value: T | null; userErrors: UserErrors }> {
  const inputType = `${name[0]!.toUpperCase()}${name.slice(1)}Input`;
  const response = await graph.query<Record<string, Record<string, unknown>>>(
    `mutation ($input: ${inputType}!) { ${name}(input: $input) { ${selection} userErrors { field code message } } }`,
    { token, variables: { input } },
  );
  expect(response.errors).toBeUndefined();
  const payload = response.data![name]!;
  const key = Object.keys(payload).find((candidate) => candidate !== 'userErrors')!;
  return { value: payload[key] as T | null, userErrors: payload['userErrors'] as UserErrors };
}

describe('an honour campaign through the gateway', () => {
  it('is created, nominated, reviewed and published, and anyone then reads its winners', async () => {
    const created = await mutate<{ id: string; categories: { id: string }[] }>(
      'campaignCreate',
      {
        region: DEMO_REGIONS.xingle.id,
        title: '兴乐社区最美卡口志愿者评选',
        description: '表彰坚守卡口的家长志愿者。',
        year: 2025,
        selfApplication: false,
        categories: [{ name: '最美抗疫之星', subjectKind: 'VOLUNTEER', quota: 2, minStarLevel: 3 }],
      },
      organiser,
      'campaign { id categories { id } }',
    );
    expect(created.userErrors).toEqual([]);
    const campaign = created.value!.id;
    const category = created.value!.categories[0]!.id;
    expect((await mutate('campaignAdvance', { campaign, to: 'NOMINATING' }, organiser, 'campaign { stage }')).value).toEqual({ stage: 'NOMINATING' });

    // The gate-duty parents hold 1 to 5 stars, in DUTY_VOLUNTEERS' order.
    const nominate = (index: number) =>
      mutate<{ id: string }>(
        'campaignNominate',
        { category, subject: DUTY_VOLUNTEERS[index]!.id, statement: '坚守卡口。', displayName: `卡口家长${index + 1}` },
        organiser,
        'nomination { id }',
      );
    const refused = await nominate(1);
    expect(refused.userErrors).toEqual([{ field: ['input', 'subject'], code: 'NOT_ELIGIBLE', message: 'Star level: the category needs at least 3 stars; the volunteer holds 2.' }]);
    const nominations = [(await nominate(2)).value!.id, (await nominate(3)).value!.id, (await nominate(4)).value!.id];

    expect((await mutate('campaignReviewerAssign', { campaign, reviewer: DEMO_GRID_WORKERS[0]!.id }, organiser, 'campaign { viewerIsOrganiser }')).value).toEqual({
      viewerIsOrganiser: true,
    });
    await mutate('campaignAdvance', { campaign, to: 'REVIEWING' }, organiser, 'campaign { stage }');
    const scores = [70, 95, 88];
    for (const [index, nomination] of nominations.entries()) {
      const scored = await mutate<{ rank: number; viewerHasScored: boolean }>(
        'campaignScore',
        { nomination, score: scores[index] },
        reviewer,
        'nomination { rank viewerHasScored }',
      );
      expect(scored.userErrors).toEqual([]);
      expect(scored.value!.viewerHasScored).toBe(true);
    }
    const published = await mutate<{ stage: string }>(
      'campaignPublish',
      { campaign, citations: [{ nomination: nominations[1], citation: '六十七天坚守卡口。' }] },
      organiser,
      'campaign { stage }',
    );
    expect(published).toEqual({ value: { stage: 'PUBLISHED' }, userErrors: [] });

    const read = await graph.query<{
      campaign: {
        stage: string;
        categories: { nominations: unknown[]; winners: { slot: number; displayName: string; citation: string; person: { id: string; star: { level: number } } }[] }[];
      };
    }>(`query ($id: ID!) { campaign(id: $id) { stage categories { nominations { id } winners { slot displayName citation person { id star { level } } } } } }`, {
      variables: { id: campaign },
    });
    expect(read.errors).toBeUndefined();
    expect(read.data!.campaign.stage).toBe('PUBLISHED');
    expect(read.data!.campaign.categories[0]!.nominations).toEqual([]);
    expect(read.data!.campaign.categories[0]!.winners).toEqual([
      { slot: 1, displayName: '卡口家长4', citation: '六十七天坚守卡口。', person: { id: DUTY_VOLUNTEERS[3]!.id, star: { level: 4 } } },
      { slot: 2, displayName: '卡口家长5', citation: '荣获兴乐社区最美卡口志愿者评选「最美抗疫之星」称号。', person: { id: DUTY_VOLUNTEERS[4]!.id, star: { level: 5 } } },
    ]);

    const listed = await graph.query<{ campaigns: { edges: { node: { id: string } }[] } }>(
      `query ($region: ID) { campaigns(filter: { region: $region, stage: PUBLISHED }) { edges { node { id } } } }`,
      { variables: { region: DEMO_REGIONS.xingle.id } },
    );
    expect(listed.data!.campaigns.edges.map((edge) => edge.node.id)).toEqual([campaign]);

    const honours = await graph.query<{ person: { honours: { kind: string; title: string; source: string; citation: string | null }[] } }>(
      `query ($id: ID!) { person(id: $id) { honours { kind title source citation } } }`,
      { token: reviewer, variables: { id: DUTY_VOLUNTEERS[3]!.id } },
    );
    expect(honours.errors).toBeUndefined();
    expect(honours.data!.person.honours).toContainEqual({ kind: 'CAMPAIGN', title: '最美抗疫之星', source: '兴乐社区最美卡口志愿者评选', citation: '六十七天坚守卡口。' });

    // The winner received an honour certificate with the publication; anyone holding its number and code verifies it.
    const winner = await graph.token({ roles: ['volunteer'], personId: DUTY_VOLUNTEERS[3]!.id });
    const held = await graph.query<{ me: { person: { certificates: { number: string; code: string; title: string; issuer: string }[] } } }>(
      `{ me { person { certificates { number code title issuer } } } }`,
      { token: winner },
    );
    expect(held.errors).toBeUndefined();
    const certificate = held.data!.me.person.certificates.find((candidate) => candidate.title === '最美抗疫之星')!;
    expect(certificate.issuer).toBe('兴乐社区最美卡口志愿者评选');
    const verified = await graph.query<{ certificateVerify: { kind: string; title: string; holderName: string; citation: string; status: string } | null }>(
      'query ($number: String!, $code: String!) { certificateVerify(number: $number, code: $code) { kind title holderName citation status } }',
      { variables: { number: certificate.number, code: certificate.code } },
    );
    expect(verified.data).toEqual({
      certificateVerify: { kind: 'HONOUR', title: '最美抗疫之星', holderName: expect.stringMatching(/^.\*+$/u), citation: '六十七天坚守卡口。', status: 'VALID' },
    });
  });
});
