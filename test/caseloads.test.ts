/**
 * Caseloads (包干) end to end through the gateway: an admin assigns a
 * household's caretaker in people, the household appears in the volunteer's
 * caseload in requests (by `household.caretaker_changed`), the volunteer
 * files a request and posts a wish on behalf of a member, logs a visit whose
 * two needs become two requests, and an assignment past the region's cap is
 * refused.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_HOUSEHOLDS, DEMO_REGIONS, DEMO_STAFF, DEMO_VOLUNTEERS } from '@lianxin/shared/demo';
import { startTestGraph, type TestGraph } from './support/graph.js';
import { operationsOn } from './support/operations.js';

let graph: TestGraph;

// Four subgraphs with their demo data take a while to start on a busy machine.
beforeAll(async () => {
  graph = await startTestGraph({ EVENT_POLL_INTERVAL_MS: '50' });
}, 240_000);
afterAll(async () => {
  await graph?.stop();
});

const { ok, must, eventually } = operationsOn(() => graph);
const XINGLE = DEMO_REGIONS.xingle.id;
const volunteer = DEMO_VOLUNTEERS[2]!;
// Two ordinary Xingle households the demo gives no caretaker.
const household = DEMO_HOUSEHOLDS[8]!;
const another = DEMO_HOUSEHOLDS[32]!;

type Caseload = { person: { caseload: { household: { id: string } | null }[] | null } };
const caseloadQuery = `query ($id: ID!) { person(id: $id) { caseload { household { id } } } }`;

describe('a caseload', () => {
  it('assigned in people, worked in requests: filing on behalf, a visit with needs, and the cap', async () => {
    const admin = await graph.token({ roles: ['community_admin'], personId: DEMO_STAFF[0]!.id, regionIds: [XINGLE] });
    const token = await graph.token({ roles: ['volunteer'], personId: volunteer.id });
    const member = household.members[0]!.personId;

    const assigned = await must<{ household: { caretaker: { id: string } | null } }>(
      'householdCaretakerAssign',
      'household { caretaker { id } }',
      { household: household.id, caretaker: volunteer.id },
      admin,
    );
    expect(assigned.household.caretaker).toEqual({ id: volunteer.id });
    await eventually<Caseload>('the household in the caseload', caseloadQuery, token, { id: volunteer.id }, (data) =>
      (data.person.caseload ?? []).some((entry) => entry.household?.id === household.id),
    );

    const filed = await must<{ serviceRequest: { requester: { id: string } | null; filedBy: { id: string } | null } }>(
      'serviceRequestCreate',
      'serviceRequest { requester { id } filedBy { id } }',
      { requester: member, category: 'cleaning', description: '帮老人打扫卫生间。' },
      token,
    );
    expect(filed.serviceRequest).toEqual({ requester: { id: member }, filedBy: { id: volunteer.id } });
    const wish = await must<{ microWish: { id: string } }>(
      'microWishPost',
      'microWish { id }',
      { wisher: member, title: '一副老花镜', story: '看报纸费劲。', place: DEMO_REGIONS.eastBuilding1.id },
      token,
    );
    expect(wish.microWish.id).toEqual(expect.any(String));
    // A household outside the caseload: refused before anything is looked at.
    const stranger = another.members[0]!.personId;
    const refused = await graph.query(`mutation ($input: ServiceRequestCreateInput!) { serviceRequestCreate(input: $input) { serviceRequest { id } } }`, {
      variables: { input: { requester: stranger, category: 'cleaning', description: '代为点单。' } },
      token,
    });
    expect(refused.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');

    const visit = await must<{ visit: { requests: { id: string }[] }; requests: { category: { code: string }; requester: { id: string } | null }[] }>(
      'caseloadVisitLog',
      'visit { requests { id } } requests { category { code } requester { id } }',
      {
        household: household.id,
        note: '上门探访：厨房水管滴水，冰箱里缺菜。',
        needs: [
          { person: member, category: 'home_repair', description: '厨房水管滴水。' },
          { person: member, category: 'buying_daily_necessities', description: '帮忙买一周的菜。', urgency: 'URGENT' },
        ],
      },
      token,
    );
    expect(visit.requests).toEqual([
      { category: { code: 'home_repair' }, requester: { id: member } },
      { category: { code: 'buying_daily_necessities' }, requester: { id: member } },
    ]);
    expect(visit.visit.requests).toHaveLength(2);

    // The cap: one household per caretaker where the other household lives, which the volunteer already exceeds.
    const address = await ok<{ household: { address: { id: string } } }>(`query ($id: ID!) { household(id: $id) { address { id } } }`, admin, { id: another.id });
    await must('regionCaseloadCapSet', 'region { caseloadCap }', { region: address.household.address.id, cap: 1 }, admin);
    const full = await ok<{ householdCaretakerAssign: { household: { caretaker: { id: string } | null } | null; userErrors: { field: string[]; code: string }[] } }>(
      `mutation ($input: HouseholdCaretakerAssignInput!) { householdCaretakerAssign(input: $input) { household { caretaker { id } } userErrors { field code } } }`,
      admin,
      { input: { household: another.id, caretaker: volunteer.id } },
    );
    expect(full.householdCaretakerAssign).toEqual({ household: { caretaker: null }, userErrors: [{ field: ['input', 'caretaker'], code: 'CASELOAD_FULL' }] });
  });
});
