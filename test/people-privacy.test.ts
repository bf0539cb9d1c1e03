/**
 * End to end through the gateway: masking per viewer, the access log, a
 * mutation, household visibility, and every way to a person for every kind
 * of viewer (anonymous, a merchant's till, strangers, staff).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newId } from '@lianxin/shared';
import {
  DEMO_GRID_WORKERS,
  DEMO_GRIDS,
  DEMO_HOUSEHOLD_RESIDENTS,
  DEMO_HOUSEHOLDS,
  DEMO_MORE_VOLUNTEERS,
  DEMO_REGIONS,
  DEMO_RESIDENTS,
  DEMO_STAFF,
  DEMO_TEAM,
  DEMO_VOLUNTEERS,
  DEMO_XINCHENG_REGIONS,
  demoId,
} from '@lianxin/shared/demo';
import { startTestGraph, type GraphQLResponse, type TestGraph } from './support/graph.js';
import { paymentCodeFor } from './support/points.js';

let graph: TestGraph;

const wang = DEMO_VOLUNTEERS[0]!; // captain of 乐修匠
const zhang = DEMO_VOLUNTEERS[1]!; // a member of 乐修匠

beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(async () => {
  await graph?.stop();
});

const PERSON = `query ($id: ID!) { person(id: $id) { name phone idNumber teams { name captain { name } } } }`;
type PersonData = { person: { name: string; phone: string; idNumber: string; teams: { name: string; captain: { name: string } }[] } };

describe('masking through the gateway', () => {
  it('shows a volunteer’s phone in full to her captain, masked to a stranger, and her ID number only to herself and platform admins', async () => {
    const captain = await graph.token({ roles: ['volunteer', 'team_captain'], personId: wang.id });
    const stranger = await graph.token({ roles: ['volunteer'], personId: DEMO_MORE_VOLUNTEERS[30]!.id });
    const herself = await graph.token({ roles: ['volunteer'], personId: zhang.id });
    const admin = await graph.token({ roles: ['platform_admin'] });

    const read = async (token: string) => {
      const response = await graph.query<PersonData>(PERSON, { variables: { id: zhang.id }, token });
      expect(response.errors).toBeUndefined();
      return response.data!.person;
    };
    const byCaptain = await read(captain);
    const byStranger = await read(stranger);
    const byHerself = await read(herself);
    const byAdmin = await read(admin);

    expect(byCaptain.teams).toEqual([{ name: '乐修匠服务队', captain: { name: wang.name } }]);
    expect(byCaptain.phone).toMatch(/^1[3-9]\d{9}$/);
    expect(byStranger.phone).toBe(`${byCaptain.phone.slice(0, 3)}****${byCaptain.phone.slice(-4)}`);
    expect(byCaptain.idNumber).toMatch(/^\d{3}\*{11}[\dX]{4}$/);
    expect(byStranger.idNumber).toBe(byCaptain.idNumber);
    expect(byHerself.idNumber).toMatch(/^\d{17}[\dX]$/);
    expect(byAdmin.idNumber).toBe(byHerself.idNumber);
    expect(byHerself.idNumber.slice(-4)).toBe(byCaptain.idNumber.slice(-4));
  });

  it('lists the captain’s and the admin’s reads in the access log, and not the stranger’s or her own', async () => {
    const admin = await graph.token({ roles: ['platform_admin'] });
    const response = await graph.query<{ personalDataAccesses: { edges: { node: { viewerSubject: string; viewer: { name: string } | null; fields: string[] } }[] } }>(
      `query ($subject: ID) { personalDataAccesses(filter: { subject: $subject }, first: 20) { edges { node { viewerSubject viewer { name } fields } } } }`,
      { variables: { subject: zhang.id }, token: admin },
    );
    expect(response.errors).toBeUndefined();
    const nodes = response.data!.personalDataAccesses.edges.map((edge) => edge.node);
    expect(nodes).toEqual(
      expect.arrayContaining([
        { viewerSubject: wang.id, viewer: { name: wang.name }, fields: ['PHONE'] },
        { viewerSubject: 'dev-platform_admin', viewer: null, fields: ['ID_NUMBER', 'PHONE'] },
      ]),
    );
    expect(nodes.map((node) => node.viewerSubject)).not.toContain(zhang.id);
    expect(nodes.map((node) => node.viewerSubject)).not.toContain(DEMO_MORE_VOLUNTEERS[30]!.id);

    const captain = await graph.token({ roles: ['volunteer', 'team_captain'], personId: wang.id });
    const refused = await graph.query(`{ personalDataAccesses { edges { cursor } } }`, { token: captain });
    expect(refused.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  });
});

describe('people mutations through the gateway', () => {
  it('registers a resident and refuses the same ID number twice as a user error', async () => {
    const admin = await graph.token({ roles: ['community_admin'], personId: undefined, regionIds: [DEMO_REGIONS.xingle.id] });
    const mutation = `mutation ($input: PersonRegisterInput!) { personRegister(input: $input) { person { name gender idNumber } userErrors { field code } } }`;
    const input = { name: '端到端居民', idNumber: '11010519491231002X', phone: '13712345678', homeRegion: DEMO_REGIONS.westBuilding1.id };
    const first = await graph.query<{ personRegister: { person: { name: string; gender: string; idNumber: string }; userErrors: unknown[] } }>(mutation, {
      variables: { input },
      token: admin,
    });
    expect(first.errors).toBeUndefined();
    expect(first.data!.personRegister).toEqual({ person: { name: '端到端居民', gender: 'FEMALE', idNumber: '110***********002X' }, userErrors: [] });
    const again = await graph.query<{ personRegister: { person: null; userErrors: unknown[] } }>(mutation, { variables: { input }, token: admin });
    expect(again.data!.personRegister).toEqual({ person: null, userErrors: [{ field: ['input', 'idNumber'], code: 'ALREADY_EXISTS' }] });
  });

  it('refuses to make a team captain of someone who is not a member', async () => {
    const admin = await graph.token({ roles: ['community_admin'], regionIds: [DEMO_REGIONS.xingle.id] });
    const response = await graph.query<{ teamCaptainSet: { team: { id: string; captain: { id: string } | null } | null; userErrors: unknown[] } }>(
      `mutation ($input: TeamCaptainSetInput!) { teamCaptainSet(input: $input) { team { id captain { id } } userErrors { field code } } }`,
      { variables: { input: { team: DEMO_TEAM.id, captain: DEMO_RESIDENTS[0]!.id } }, token: admin },
    );
    // Refused, with the team as it stands: its captain unchanged.
    expect(response.data!.teamCaptainSet).toEqual({
      team: { id: DEMO_TEAM.id, captain: { id: DEMO_VOLUNTEERS[0]!.id } },
      userErrors: [{ field: ['input', 'captain'], code: 'INVALID_STATE' }],
    });
  });
});

describe('households through the gateway', () => {
  const household = DEMO_HOUSEHOLDS[0]!; // an elder living alone in 东院1号楼
  const query = `query ($id: ID!) { household(id: $id) { hardshipLevel specialNeeds members { person { name } } grid { worker { name } } } }`;

  it('shows a household to its member and its grid worker, and to no other resident or admin', async () => {
    const member = await graph.token({ roles: ['resident'], personId: DEMO_RESIDENTS[0]!.id });
    const gridWorker = await graph.token({ roles: ['grid_worker'], personId: DEMO_GRID_WORKERS[0]!.id });
    const neighbour = await graph.token({ roles: ['resident'], personId: DEMO_RESIDENTS[2]!.id });
    const otherAdmin = await graph.token({ roles: ['community_admin'], regionIds: [DEMO_XINCHENG_REGIONS['ziming']!.id] });

    const seen = await graph.query<{
      household: { hardshipLevel: string; specialNeeds: string[]; members: { person: { name: string } }[]; grid: { worker: { name: string } } } | null;
    }>(query, { variables: { id: household.id }, token: member });
    expect(seen.errors).toBeUndefined();
    expect(seen.data!.household).toEqual({
      hardshipLevel: 'SPECIAL_HARDSHIP',
      specialNeeds: ['LIVING_ALONE', 'ELDERLY'],
      members: [{ person: { name: '刘桂芳' } }],
      grid: { worker: { name: DEMO_GRID_WORKERS[0]!.name } },
    });
    expect((await graph.query(query, { variables: { id: household.id }, token: gridWorker })).data).toMatchObject({ household: { hardshipLevel: 'SPECIAL_HARDSHIP' } });
    for (const token of [neighbour, otherAdmin]) {
      const hidden = await graph.query(query, { variables: { id: household.id }, token });
      expect(hidden.errors).toBeUndefined();
      expect(hidden.data).toEqual({ household: null });
    }
  });

  it('lists households to admins only', async () => {
    const volunteer = await graph.token({ roles: ['volunteer'], personId: wang.id });
    const refused = await graph.query(`{ households { totalCount } }`, { token: volunteer });
    expect(refused.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    const admin = await graph.token({ roles: ['community_admin'], regionIds: [DEMO_REGIONS.xingle.id] });
    const listed = await graph.query<{ households: { totalCount: number } }>(`{ households(filter: { specialNeed: LIVING_ALONE }) { totalCount } }`, { token: admin });
    expect(listed.errors).toBeUndefined();
    expect(listed.data!.households.totalCount).toBeGreaterThan(0);
  });
});

/*
 * Every way the graph leads to a person, for every kind of viewer. Each way
 * selects all of a person's own fields; the answer is judged by its error
 * codes and by what its text contains, so it holds whether a reference to a
 * person is nullable (the refusal stays on the person) or not (the refusal
 * takes the parent with it).
 */
describe('every way to a person', () => {
  /** Whatever a person's own fields can give away. */
  const PERSON = '{ id name displayName phone idNumber gender birthDate homeUnit homeRegion { name } volunteer { skills partyMember } household { id } }';
  /** Fields of a person whose mere value (not null) would tell something about them. */
  const PERSONAL_KEYS = ['displayName', 'phone', 'idNumber', 'gender', 'birthDate', 'homeUnit', 'homeRegion', 'volunteer', 'household'];
  const YONGHUI = demoId(23, 1);

  interface Fixtures {
    passbookNumber: string;
    accountId: string;
    badgeId: string;
    redemptionId: string;
    caretakerId: string;
  }
  interface Dossier {
    name: string;
    phone: string | null;
    idNumber: string | null;
    birthDate: string | null;
    homeUnit: string | null;
  }

  type ViewerKind = 'anonymous' | 'merchant' | 'resident' | 'volunteer' | 'staff' | 'platformAdmin';
  /** `sees`: no error and a person by name; `none`: no error and no person; otherwise the one error code. */
  type Outcome = 'sees' | 'none' | 'FORBIDDEN' | 'UNAUTHENTICATED';
  interface Way {
    name: string;
    query: string;
    variables: (fixtures: Fixtures) => Record<string, unknown>;
    /** What signed-in viewers get; anonymous viewers are always asked to sign in and merchants always refused. */
    outcomes: Partial<Record<ViewerKind, Outcome>> & { stranger: Outcome; staff: Outcome };
  }

  const request = demoId(10, 1); // 刘桂芳's leaking tap in Xingle: rated, costed, priced
  const ways: Way[] = [
    { name: 'person(id:)', query: `query ($id: ID!) { person(id: $id) ${PERSON} }`, variables: () => ({ id: zhang.id }), outcomes: { stranger: 'sees', staff: 'sees' } },
    { name: 'persons', query: `{ persons(first: 5) { edges { node ${PERSON} } } }`, variables: () => ({}), outcomes: { stranger: 'FORBIDDEN', staff: 'sees' } },
    {
      name: 'Team.members',
      query: `query ($id: ID!) { team(id: $id) { members(first: 5) { edges { node ${PERSON} } } } }`,
      variables: () => ({ id: DEMO_TEAM.id }),
      outcomes: { stranger: 'sees', staff: 'sees' },
    },
    {
      name: 'Team.captain',
      query: `query ($id: ID!) { team(id: $id) { captain ${PERSON} } }`,
      variables: () => ({ id: DEMO_TEAM.id }),
      outcomes: { stranger: 'sees', staff: 'sees' },
    },
    {
      name: 'Organization.teams.captain',
      query: `{ organizations(first: 20) { edges { node { teams { captain ${PERSON} } } } } }`,
      variables: () => ({}),
      outcomes: { stranger: 'sees', staff: 'sees' },
    },
    {
      name: 'Grid.worker',
      query: `query ($id: ID!) { grid(id: $id) { worker ${PERSON} } }`,
      variables: () => ({ id: DEMO_GRIDS[0]!.id }),
      outcomes: { stranger: 'sees', staff: 'sees' },
    },
    {
      name: 'Region.buildingCaptain',
      query: `query ($id: ID!) { region(id: $id) { buildingCaptain ${PERSON} } }`,
      variables: () => ({ id: DEMO_REGIONS.eastBuilding1.id }),
      outcomes: { stranger: 'sees', staff: 'sees' },
    },
    {
      // A household does not exist to those who may not see it: null, no error.
      name: 'Household.members and caretaker',
      query: `query ($id: ID!) { household(id: $id) { members { person ${PERSON} } caretaker ${PERSON} } }`,
      variables: () => ({ id: DEMO_HOUSEHOLDS[0]!.id }),
      outcomes: { merchant: 'none', stranger: 'none', staff: 'sees' },
    },
    {
      name: 'ServiceRequest requester, filer, assignee, dispatched volunteer, history, rating, cost and price',
      query: `query ($id: ID!) { serviceRequest(id: $id) {
        requester ${PERSON} filedBy ${PERSON} assignee ${PERSON} dispatchedPerson ${PERSON}
        history { actor ${PERSON} dispatchedPerson ${PERSON} }
        rating { ratedBy ${PERSON} } cost { quotedBy ${PERSON} } agreedPrice { agreedBy ${PERSON} }
      } }`,
      variables: () => ({ id: request }),
      outcomes: { stranger: 'FORBIDDEN', staff: 'sees' },
    },
    {
      name: 'teamQueue requesters',
      query: `query ($id: ID!) { teamQueue(team: $id, status: [COMPLETED, RATED], first: 5) { edges { node { requester ${PERSON} assignee ${PERSON} } } } }`,
      variables: () => ({ id: DEMO_TEAM.id }),
      outcomes: { stranger: 'FORBIDDEN', staff: 'sees' },
    },
    {
      name: 'myServiceRequests requesters',
      query: `{ myServiceRequests(relation: REQUESTED, first: 5) { edges { node { requester ${PERSON} } } } }`,
      variables: () => ({}),
      // Staff see themselves: the request their station's claimed need filed names its publisher as the requester.
      outcomes: { stranger: 'none', staff: 'sees', platformAdmin: 'FORBIDDEN' },
    },
    {
      name: 'MicroWish wisher, poster, claimant and history',
      query: `query ($id: ID!) { microWish(id: $id) { wisher ${PERSON} postedBy ${PERSON} claimant ${PERSON} history { actor ${PERSON} } } }`,
      variables: () => ({ id: demoId(14, 1) }),
      outcomes: { stranger: 'sees', staff: 'sees' },
    },
    {
      name: 'microWishes wishers',
      query: `{ microWishes(first: 5) { edges { node { wisher ${PERSON} postedBy ${PERSON} } } } }`,
      variables: () => ({}),
      outcomes: { stranger: 'sees', staff: 'sees' },
    },
    {
      name: 'Activity organiser',
      query: `query ($id: ID!) { activity(id: $id) { organiser ${PERSON} } }`,
      variables: () => ({ id: demoId(13, 1) }),
      outcomes: { stranger: 'sees', staff: 'sees' },
    },
    {
      name: 'Activity participants (signups and attendances)',
      query: `query ($id: ID!) { activity(id: $id) {
        signups(first: 5) { edges { node { person ${PERSON} } } }
        attendances(first: 5) { edges { node { person ${PERSON} approvedBy ${PERSON} } } }
      } }`,
      variables: () => ({ id: demoId(13, 1) }),
      outcomes: { stranger: 'FORBIDDEN', staff: 'sees' },
    },
    {
      name: 'ServiceRecord volunteer and verifier',
      query: `query ($id: ID!) { serviceRecord(id: $id) { volunteer ${PERSON} verifiedBy ${PERSON} } }`,
      variables: () => ({ id: demoId(15, 7) }),
      outcomes: { stranger: 'FORBIDDEN', staff: 'sees' },
    },
    {
      name: 'Alert and Device residents and whom they notify',
      query: `query ($id: ID!) { alert(id: $id) { resident ${PERSON} notify ${PERSON} acknowledgedBy ${PERSON} device { resident ${PERSON} notify ${PERSON} } } }`,
      variables: () => ({ id: demoId(16, 11) }),
      outcomes: { stranger: 'FORBIDDEN', staff: 'sees' },
    },
    {
      name: 'Person.caseload volunteers and visits',
      query: `query ($id: ID!) { person(id: $id) { caseload { volunteer ${PERSON} visits(first: 3) { edges { node { volunteer ${PERSON} } } } } } }`,
      variables: ({ caretakerId }) => ({ id: caretakerId }),
      outcomes: { stranger: 'FORBIDDEN', staff: 'sees' },
    },
    {
      name: 'Account.holder (passbook)',
      query: `query ($id: ID!, $number: String!) { account(id: $id) { holder ${PERSON} } accountByPassbook(passbookNumber: $number) { holder ${PERSON} } }`,
      variables: ({ accountId, passbookNumber }) => ({ id: accountId, number: passbookNumber }),
      outcomes: { stranger: 'FORBIDDEN', staff: 'sees' },
    },
    {
      name: 'Redemption customer',
      query: `query ($id: ID!) { redemption(id: $id) { memberId account { holder ${PERSON} } } }`,
      variables: ({ redemptionId }) => ({ id: redemptionId }),
      outcomes: { stranger: 'FORBIDDEN', staff: 'sees' },
    },
    {
      name: 'Merchant redemptions and passbook transfers',
      query: `query ($id: ID!) { merchant(id: $id) {
        redemptions(first: 5) { edges { node { account { holder ${PERSON} } } } }
        account { transfers(first: 5) { edges { node { transfer { debitAccount { holder ${PERSON} } creditAccount { holder ${PERSON} } } } } } }
      } }`,
      variables: () => ({ id: YONGHUI }),
      outcomes: { stranger: 'FORBIDDEN', staff: 'sees' },
    },
    {
      name: 'Badge.holder, and Person.badges back to it',
      query: `query ($id: ID!) { badge(id: $id) { holder ${PERSON} again: holder { badges { holder ${PERSON} } } } }`,
      variables: ({ badgeId }) => ({ id: badgeId }),
      outcomes: { stranger: 'sees', staff: 'sees' },
    },
    {
      name: 'PersonalDataAccess viewer and subject',
      query: `{ personalDataAccesses(first: 5) { edges { node { viewer ${PERSON} subject ${PERSON} } } } }`,
      variables: () => ({}),
      outcomes: { stranger: 'FORBIDDEN', staff: 'FORBIDDEN' },
    },
  ];

  const viewerKinds: ViewerKind[] = ['anonymous', 'merchant', 'resident', 'volunteer', 'staff', 'platformAdmin'];
  /** A resident and a volunteer with no tie to anyone these ways lead to. */
  const residentStranger = DEMO_HOUSEHOLD_RESIDENTS[20]!;
  const volunteerStranger = DEMO_MORE_VOLUNTEERS[30]!;
  const tokens = new Map<ViewerKind, string | undefined>();
  let fixtures: Fixtures;
  let dossiers: Dossier[];

  function outcomeOf(way: Way, viewer: ViewerKind): Outcome {
    if (viewer === 'anonymous') return 'UNAUTHENTICATED';
    if (viewer === 'merchant') return way.outcomes.merchant ?? 'FORBIDDEN';
    if (viewer === 'resident' || viewer === 'volunteer') return way.outcomes.stranger;
    if (viewer === 'staff') return way.outcomes.staff;
    return way.outcomes.platformAdmin ?? 'sees';
  }

  /** Every key of `value`, at any depth, whose value is not null. */
  function keysWithValues(value: unknown, found = new Set<string>()): Set<string> {
    if (Array.isArray(value)) for (const item of value) keysWithValues(item, found);
    else if (value !== null && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (inner !== null) found.add(key);
        keysWithValues(inner, found);
      }
    }
    return found;
  }

  const masked = (value: string): string => `${value.slice(0, 3)}${'*'.repeat(value.length - 7)}${value.slice(-4)}`;

  beforeAll(async () => {
    const admin = await graph.token({ roles: ['platform_admin'] });
    const till = await graph.token({ roles: ['merchant'], merchantId: YONGHUI });
    tokens.set('anonymous', undefined);
    tokens.set('merchant', till);
    tokens.set('resident', await graph.token({ roles: ['resident'], personId: residentStranger.id }));
    tokens.set('volunteer', await graph.token({ roles: ['volunteer'], personId: volunteerStranger.id }));
    // Xingle's community admin, also the clerk of its savings office.
    tokens.set('staff', await graph.token({ roles: ['community_admin', 'bank_clerk'], personId: DEMO_STAFF[0]!.id, regionIds: [DEMO_REGIONS.xingle.id] }));
    tokens.set('platformAdmin', admin);

    dossiers = [];
    let after: string | null = null;
    do {
      type Page = { persons: { edges: { node: Dossier }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } };
      const page: GraphQLResponse<Page> = await graph.query<Page>(
        `query ($after: String) { persons(first: 100, after: $after) { edges { node { name phone idNumber birthDate homeUnit } } pageInfo { hasNextPage endCursor } } }`,
        { variables: { after }, token: admin },
      );
      expect(page.errors).toBeUndefined();
      dossiers.push(...page.data!.persons.edges.map((edge) => edge.node));
      after = page.data!.persons.pageInfo.hasNextPage ? page.data!.persons.pageInfo.endCursor : null;
    } while (after);

    type Found = { person: { account: { id: string; passbookNumber: string } }; household: { caretaker: { id: string } } };
    const found = await graph.query<Found>(
      `query ($id: ID!, $household: ID!) { person(id: $id) { account { id passbookNumber } } household(id: $household) { caretaker { id } } }`,
      { variables: { id: zhang.id, household: DEMO_HOUSEHOLDS[0]!.id }, token: admin },
    );
    expect(found.errors).toBeUndefined();
    const { account } = found.data!.person;
    // A badge of hers, awarded by hand (joining a team alone earns none): who may see its holder is part of the dossier.
    type RuleMade = { badgeRuleCreate: { badgeRule: { id: string } | null; userErrors: { code: string }[] } };
    const rule = await graph.query<RuleMade>(`mutation ($input: BadgeRuleCreateInput!) { badgeRuleCreate(input: $input) { badgeRule { id } userErrors { code } } }`, {
      variables: { input: { code: 'privacy_check', name: '隐私检查徽章', description: 'Awarded by hand to show who sees a badge’s holder.', kind: 'ADMIN' } },
      token: admin,
    });
    expect(rule.errors).toBeUndefined();
    expect(rule.data?.badgeRuleCreate.userErrors).toEqual([]);
    type Awarded = { badgeAward: { badge: { id: string } | null; userErrors: { code: string }[] } };
    const awarded = await graph.query<Awarded>(`mutation ($input: BadgeAwardInput!) { badgeAward(input: $input) { badge { id } userErrors { code } } }`, {
      variables: { input: { rule: rule.data!.badgeRuleCreate.badgeRule!.id, person: zhang.id, reason: 'A badge whose holder the test asks about.' } },
      token: admin,
    });
    expect(awarded.data?.badgeAward.userErrors).toEqual([]);
    // A redemption of hers at Yonghui (always open), made by its till with the payment code she shows.
    const redeemed = await graph.query<{ redemptionCreate: { redemption: { id: string } } }>(
      `mutation ($input: RedemptionCreateInput!) { redemptionCreate(input: $input) { redemption { id } userErrors { code } } }`,
      {
        variables: { input: { paymentCode: await paymentCodeFor(graph, zhang.id), merchant: YONGHUI, items: [{ item: demoId(24, 3), quantity: 1 }], idempotencyKey: newId() } },
        token: till,
      },
    );
    expect(redeemed.errors).toBeUndefined();
    fixtures = {
      passbookNumber: account.passbookNumber,
      accountId: account.id,
      badgeId: awarded.data!.badgeAward.badge!.id,
      redemptionId: redeemed.data!.redemptionCreate.redemption.id,
      caretakerId: found.data!.household.caretaker.id,
    };
  });

  const cases = ways.flatMap((way) => viewerKinds.map((viewer) => [way.name, viewer, outcomeOf(way, viewer), way] as const));

  it.each(cases)('%s, as %s: %s', async (_name, viewer, outcome, way) => {
    const response = await graph.query(way.query, { variables: way.variables(fixtures), token: tokens.get(viewer) });
    const codes = [...new Set((response.errors ?? []).map((error) => error.extensions?.['code']))];
    const text = JSON.stringify(response.data ?? null);
    const names = dossiers.filter((person) => text.includes(`"${person.name}"`));

    if (outcome === 'sees' || outcome === 'none') expect(codes).toEqual([]);
    else expect(codes).toEqual([outcome]);
    if (outcome === 'sees') expect(names.length).toBeGreaterThan(0);

    const self = viewer === 'resident' ? residentStranger.name : viewer === 'volunteer' ? volunteerStranger.name : viewer === 'staff' ? DEMO_STAFF[0]!.name : null;
    const others = dossiers.filter((person) => person.name !== self);
    const fullIdNumbers = others.flatMap((person) => (person.idNumber ? [person.idNumber] : []));
    if (viewer === 'anonymous' || viewer === 'merchant' || outcome === 'none') {
      // Nothing of anyone: no name, no number, masked or not, and no personal field with a value.
      expect(names.map((person) => person.name)).toEqual([]);
      for (const person of others) {
        for (const value of [person.phone, person.idNumber, person.homeUnit, person.birthDate]) {
          if (value) expect(text).not.toContain(value);
        }
        if (person.phone) expect(text).not.toContain(masked(person.phone));
        if (person.idNumber) expect(text).not.toContain(masked(person.idNumber));
      }
      expect([...keysWithValues(response.data)].filter((key) => PERSONAL_KEYS.includes(key))).toEqual([]);
    } else if (viewer !== 'platformAdmin') {
      // Today's rules: an ID number in full only to its person and platform admins.
      for (const idNumber of fullIdNumbers) expect(text).not.toContain(idNumber);
      if (viewer !== 'staff') {
        // A stranger sees no phone in full, and no birth date or unit at all.
        for (const person of others) {
          for (const value of [person.phone, person.homeUnit, person.birthDate]) {
            if (value) expect(text).not.toContain(value);
          }
        }
      }
    }
  });

  it('shows anonymous viewers every public team with its member count and its captain’s display name, and nothing else of anyone', async () => {
    type Teams = { teams: { edges: { node: { name: string; memberCount: number; captain: { id: string; displayName: string } | null } }[] } };
    const response = await graph.query<Teams>(`{ teams(first: 100) { edges { node { name memberCount captain { id displayName } } } } }`);
    expect(response.errors).toBeUndefined();
    const teams = response.data!.teams.edges.map((edge) => edge.node);
    expect(teams.length).toBeGreaterThanOrEqual(4);
    expect(teams.find((team) => team.name === DEMO_TEAM.name)).toEqual({ name: DEMO_TEAM.name, memberCount: 30, captain: { id: wang.id, displayName: '王**' } });
    for (const team of teams) {
      expect(team.memberCount).toBeGreaterThan(0);
      expect(team.captain?.displayName).toMatch(/^\p{Script=Han}\*\*$/u);
    }
    const text = JSON.stringify(response.data);
    expect(dossiers.filter((person) => text.includes(person.name))).toEqual([]);
  });

  it('refuses anonymous viewers the members of every public team at once, keeping the teams', async () => {
    const response = await graph.query<{ teams: { edges: { node: { name: string; members: null } }[] } }>(
      `{ teams(first: 10) { edges { node { name members(first: 30) { edges { node { name gender homeRegion { name } volunteer { partyMember } phone idNumber } } } } } } }`,
    );
    expect([...new Set(response.errors?.map((error) => error.extensions?.['code']))]).toEqual(['UNAUTHENTICATED']);
    expect(response.data!.teams.edges.every(({ node }) => node.name.length > 0 && node.members === null)).toBe(true);
  });

  it('answers a merchant’s person(id:) the same whether the person exists or not', async () => {
    const token = tokens.get('merchant');
    const answers = await Promise.all([wang.id, newId()].map((id) => graph.query(`query ($id: ID!) { person(id: $id) { name } }`, { variables: { id }, token })));
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0]!.errors?.map((error) => error.extensions?.['code'])).toEqual(['FORBIDDEN']);
  });
});
