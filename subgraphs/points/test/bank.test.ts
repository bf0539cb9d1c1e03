/** The bank's structure: units, clerks, deposit rules and the offices' accounts. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { newId } from '@lianxin/shared';
import { countStatements, viewerOf } from '@lianxin/shared/testing';
import { DEMO_ACCOUNTS, DEMO_BANK, DEMO_DEPOSIT_RULES, DEMO_STATIONS } from '../src/db/demo.js';
import { DEMO_REGIONS } from '@lianxin/shared/demo';
import { codeOf, expectBooksToBalance, knownPerson, run, startPoints, viewers, type PointsTestBed, type UserErrorShape } from './support.js';

let bed: PointsTestBed;

beforeAll(async () => {
  bed = await startPoints();
});
afterEach(async () => {
  await expectBooksToBalance(bed);
});
afterAll(async () => {
  await bed?.stop();
});

interface UnitShape {
  id: string;
  name: string;
  kind: string;
}

async function createUnit(input: Record<string, unknown>, viewer = viewers.admin) {
  return run<{ bankUnitCreate: { bankUnit: UnitShape | null; userErrors: UserErrorShape[] } }>(
    bed,
    `mutation ($input: BankUnitCreateInput!) { bankUnitCreate(input: $input) { bankUnit { id name kind } userErrors { field code message } } }`,
    viewer,
    { input },
  ).then((data) => data.bankUnitCreate);
}

describe('the bank tree', () => {
  it('is public: head bank → branch → offices at stations, each in a region, with the bank’s window and rules', async () => {
    const data = await run<{
      bankUnits: {
        edges: {
          node: {
            name: string;
            kind: string;
            redemptionWindow: string;
            region: { id: string };
            depositRules: { category: string; pointsPerHour: number }[];
            children: {
              edges: {
                node: { name: string; bank: { name: string }; children: { edges: { node: { name: string; kind: string; station: { id: string }; parent: { name: string } } }[] } };
              }[];
            };
          };
        }[];
      };
    }>(
      bed,
      `{ bankUnits { edges { node { name kind redemptionWindow region { id } depositRules { category pointsPerHour }
          children { edges { node { name bank { name } children { edges { node { name kind station { id } parent { name } } } } } } } } } } }`,
      viewerOf({ roles: [] }),
    );
    const head = data.bankUnits.edges.find((edge) => edge.node.name === DEMO_BANK.head.name)!.node;
    expect(head).toMatchObject({ kind: 'HEAD_BANK', redemptionWindow: 'FIRST_WEEKEND_OF_MONTH', region: { id: DEMO_REGIONS.xincheng.id } });
    expect(Object.fromEntries(head.depositRules.map((rule) => [rule.category, rule.pointsPerHour]))).toEqual(DEMO_DEPOSIT_RULES);
    const branch = head.children.edges.map((edge) => edge.node).find((node) => node.name === DEMO_BANK.xiyiluBranch.name)!;
    expect(head.children.edges).toHaveLength(3);
    expect(branch).toMatchObject({ name: DEMO_BANK.xiyiluBranch.name, bank: { name: DEMO_BANK.head.name } });
    expect(branch.children.edges.map((edge) => edge.node)).toContainEqual({
      name: DEMO_BANK.xingleOffice.name,
      kind: 'SAVINGS_OFFICE',
      station: { id: DEMO_STATIONS.xingle },
      parent: { name: DEMO_BANK.xiyiluBranch.name },
    });
    const anonymous = await bed.points.execute(`{ bankUnit(id: "${DEMO_BANK.xingleOffice.id}") { name } }`);
    expect(anonymous).toEqual({ data: { bankUnit: { name: DEMO_BANK.xingleOffice.name } }, errors: undefined });
  });

  it('lists its units by filter, and refuses a malformed bank id as a bad request', async () => {
    const offices = await run<{ bankUnits: { edges: { node: { name: string } }[] } }>(
      bed,
      `query ($bank: ID!) { bankUnits(filter: { bank: $bank, kind: SAVINGS_OFFICE }) { edges { node { name } } } }`,
      viewers.zhang,
      { bank: DEMO_BANK.head.id },
    );
    expect(offices.bankUnits.edges.map((edge) => edge.node.name)).toEqual(expect.arrayContaining([DEMO_BANK.xingleOffice.name, DEMO_BANK.zimingOffice.name]));
    const malformed = await bed.points.execute(`{ bankUnits(filter: { bank: "nope" }) { edges { cursor } } }`);
    expect(codeOf(malformed)).toBe('BAD_USER_INPUT');
  });
});

describe('bankUnitCreate', () => {
  it('builds a bank level by level', async () => {
    const head = await createUnit({ kind: 'HEAD_BANK', name: `雁江区公益银行 ${newId()}`, region: newId(), redemptionWindow: 'ALWAYS_OPEN' });
    expect(head.userErrors).toEqual([]);
    const branch = await createUnit({ kind: 'BRANCH', name: '宝台镇分行', parent: head.bankUnit!.id, region: newId() });
    expect(branch.bankUnit).toMatchObject({ kind: 'BRANCH' });
    const office = await createUnit({ kind: 'SAVINGS_OFFICE', name: '宝台村储蓄所', parent: branch.bankUnit!.id, region: newId(), station: newId() });
    expect(office.bankUnit).toMatchObject({ kind: 'SAVINGS_OFFICE' });
    const window = await run<{ bankUnit: { redemptionWindow: string; bank: { id: string } } }>(
      bed,
      `query ($id: ID!) { bankUnit(id: $id) { redemptionWindow bank { id } } }`,
      viewers.admin,
      {
        id: office.bankUnit!.id,
      },
    );
    expect(window.bankUnit).toEqual({ redemptionWindow: 'ALWAYS_OPEN', bank: { id: head.bankUnit!.id } });
  });

  it('refuses what the tree does not allow, naming the field', async () => {
    const cases: [Record<string, unknown>, { field: string[]; code: string }][] = [
      [
        { kind: 'SAVINGS_OFFICE', name: 'skips a level', parent: DEMO_BANK.head.id, region: newId(), station: newId() },
        { field: ['input', 'parent'], code: 'INVALID' },
      ],
      [
        { kind: 'BRANCH', name: 'no parent', region: newId() },
        { field: ['input', 'parent'], code: 'REQUIRED' },
      ],
      [
        { kind: 'SAVINGS_OFFICE', name: 'no station', parent: DEMO_BANK.xiyiluBranch.id, region: newId() },
        { field: ['input', 'station'], code: 'REQUIRED' },
      ],
      [
        { kind: 'BRANCH', name: 'a station', parent: DEMO_BANK.head.id, region: newId(), station: newId() },
        { field: ['input', 'station'], code: 'INVALID' },
      ],
      [
        { kind: 'BRANCH', name: DEMO_BANK.xiyiluBranch.name, parent: DEMO_BANK.head.id, region: newId() },
        { field: ['input', 'name'], code: 'ALREADY_EXISTS' },
      ],
      [
        { kind: 'BRANCH', name: 'orphan', parent: newId(), region: newId() },
        { field: ['input', 'parent'], code: 'NOT_FOUND' },
      ],
      [
        { kind: 'HEAD_BANK', name: 'bad region', region: 'xincheng' },
        { field: ['input', 'region'], code: 'INVALID' },
      ],
      [
        { kind: 'HEAD_BANK', name: '   ', region: newId() },
        { field: ['input', 'name'], code: 'REQUIRED' },
      ],
      [
        { kind: 'BRANCH', name: 'window', parent: DEMO_BANK.head.id, region: newId(), redemptionWindow: 'ALWAYS_OPEN' },
        { field: ['input', 'redemptionWindow'], code: 'INVALID' },
      ],
    ];
    for (const [input, expected] of cases) {
      const { bankUnit, userErrors } = await createUnit(input);
      expect(bankUnit).toBeNull();
      expect(userErrors.map(({ field, code }) => ({ field, code }))).toEqual([expected]);
    }
  });

  it('is for platform admins only', async () => {
    const mutation = `mutation { bankUnitCreate(input: { kind: HEAD_BANK, name: "x", region: "${newId()}" }) { bankUnit { id } } }`;
    for (const viewer of [viewers.clerk, viewers.communityAdmin, viewers.yonghui, viewers.wang]) {
      expect(codeOf(await bed.points.execute(mutation, { viewer }))).toBe('FORBIDDEN');
    }
    expect(codeOf(await bed.points.execute(mutation))).toBe('UNAUTHENTICATED');
  });
});

describe('clerks', () => {
  it('serve the accounts of every office at or under their unit, and no other', async () => {
    const branch = await createUnit({ kind: 'BRANCH', name: `branch ${newId()}`, parent: DEMO_BANK.head.id, region: newId() });
    const office = await createUnit({ kind: 'SAVINGS_OFFICE', name: 'an office', parent: branch.bankUnit!.id, region: newId(), station: newId() });
    const branchClerk = viewerOf({ roles: ['bank_clerk'], personId: await knownPerson(bed) });
    const assigned = await run<{ bankClerkAssign: { bankUnit: { id: string }; userErrors: UserErrorShape[] } }>(
      bed,
      `mutation ($input: BankClerkAssignInput!) { bankClerkAssign(input: $input) { bankUnit { id } userErrors { field code message } } }`,
      viewers.admin,
      { input: { unit: branch.bankUnit!.id, person: branchClerk.personId } },
    );
    expect(assigned.bankClerkAssign.userErrors).toEqual([]);
    const holder = await knownPerson(bed);
    const opened = await run<{ accountOpen: { account: { id: string } } }>(
      bed,
      `mutation ($input: AccountOpenInput!) { accountOpen(input: $input) { account { id } } }`,
      branchClerk,
      { input: { holder, office: office.bankUnit!.id } },
    );
    const accountId = opened.accountOpen.account.id;
    const read = (viewer: typeof branchClerk) => bed.points.execute(`query ($id: ID!) { account(id: $id) { id } }`, { variables: { id: accountId }, viewer });
    expect((await read(branchClerk)).data).toEqual({ account: { id: accountId } });
    expect(codeOf(await read(viewers.clerk))).toBe('FORBIDDEN');
    expect(codeOf(await bed.points.execute(`query ($id: ID!) { account(id: $id) { id } }`, { variables: { id: DEMO_ACCOUNTS[0]!.id }, viewer: branchClerk }))).toBe('FORBIDDEN');
    // Opening for someone at an office the clerk does not serve is NOT_ALLOWED: the office is public, and not theirs.
    const elsewhere = await run<{ accountOpen: { account: { id: string } | null; userErrors: { field: string[]; code: string }[] } }>(
      bed,
      `mutation ($input: AccountOpenInput!) { accountOpen(input: $input) { account { id } userErrors { field code } } }`,
      branchClerk,
      { input: { holder: await knownPerson(bed), office: DEMO_BANK.xingleOffice.id } },
    );
    expect(elsewhere.accountOpen).toEqual({ account: null, userErrors: [{ field: ['input', 'office'], code: 'NOT_ALLOWED' }] });
  });

  it('are persons the bank knows: naming one people never registered is NOT_FOUND, and assigns no one', async () => {
    const stranger = newId();
    const ASSIGN = `mutation ($input: BankClerkAssignInput!) { bankClerkAssign(input: $input) { bankUnit { id } userErrors { field code message } } }`;
    const refused = await run<{ bankClerkAssign: { bankUnit: { id: string } | null; userErrors: UserErrorShape[] } }>(bed, ASSIGN, viewers.admin, {
      input: { unit: DEMO_BANK.xingleOffice.id, person: stranger },
    });
    // The unit is public, and comes back as it stands beside the refusal.
    expect(refused.bankClerkAssign).toEqual({
      bankUnit: { id: DEMO_BANK.xingleOffice.id },
      userErrors: [{ field: ['input', 'person'], code: 'NOT_FOUND', message: expect.stringContaining('not known to the bank') }],
    });
    const asStranger = viewerOf({ roles: ['bank_clerk'], personId: stranger });
    expect(codeOf(await bed.points.execute(`query ($id: ID!) { account(id: $id) { id } }`, { variables: { id: DEMO_ACCOUNTS[0]!.id }, viewer: asStranger }))).toBe('FORBIDDEN');
  });

  it('list their office’s accounts by passbook number, page by page', async () => {
    type Page = { bankUnit: { accounts: { edges: { node: { passbookNumber: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } } };
    const query = `query ($id: ID!, $after: String) { bankUnit(id: $id) { accounts(first: 6, after: $after) { edges { node { passbookNumber } } pageInfo { hasNextPage endCursor } } } }`;
    const numbers: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page += 1) {
      const data: Page = await run(bed, query, viewers.clerk, { id: DEMO_BANK.xingleOffice.id, after });
      numbers.push(...data.bankUnit.accounts.edges.map((edge) => edge.node.passbookNumber));
      if (!data.bankUnit.accounts.pageInfo.hasNextPage) break;
      after = data.bankUnit.accounts.pageInfo.endCursor;
    }
    expect(numbers).toEqual([...numbers].sort());
    expect(numbers).toEqual(expect.arrayContaining(DEMO_ACCOUNTS.map((account) => account.passbookNumber)));
    for (const viewer of [viewers.unassignedClerk, viewers.wang, viewers.yonghui]) {
      expect(codeOf(await bed.points.execute(query, { variables: { id: DEMO_BANK.xingleOffice.id }, viewer }))).toBe('FORBIDDEN');
    }
    const headAccounts = await run<Page>(bed, query, viewers.admin, { id: DEMO_BANK.head.id });
    expect(headAccounts.bankUnit.accounts.edges).toEqual([]);
  });
});

describe('deposit rules', () => {
  it('are set per head bank and category by platform admins', async () => {
    const set = (input: Record<string, unknown>, viewer = viewers.admin) =>
      bed.points.execute(`mutation ($input: DepositRuleSetInput!) { depositRuleSet(input: $input) { rule { category pointsPerHour bank { id } } userErrors { field code } } }`, {
        variables: { input },
        viewer,
      });
    const done = await set({ bank: DEMO_BANK.head.id, category: 'micro_wish', pointsPerHour: 8 });
    expect(done.data).toEqual({ depositRuleSet: { rule: { category: 'micro_wish', pointsPerHour: 8, bank: { id: DEMO_BANK.head.id } }, userErrors: [] } });
    const changed = await set({ bank: DEMO_BANK.head.id, category: 'micro_wish', pointsPerHour: 9 });
    expect(changed.data).toMatchObject({ depositRuleSet: { rule: { pointsPerHour: 9 } } });
    // Refused, the payload holds the head bank's rule for the category as it stands, if there is one: a branch names none.
    const cleaning = { category: 'cleaning', pointsPerHour: 10, bank: { id: DEMO_BANK.head.id } };
    for (const [input, field, code, rule] of [
      [{ bank: DEMO_BANK.xiyiluBranch.id, category: 'cleaning', pointsPerHour: 5 }, 'bank', 'INVALID', null],
      [{ bank: DEMO_BANK.head.id, category: 'Not A Code', pointsPerHour: 5 }, 'category', 'INVALID', null],
      [{ bank: DEMO_BANK.head.id, category: 'cleaning', pointsPerHour: 0 }, 'pointsPerHour', 'INVALID', cleaning],
      [{ bank: newId(), category: 'cleaning', pointsPerHour: 5 }, 'bank', 'NOT_FOUND', null],
      [{ bank: 'bank-1', category: 'cleaning', pointsPerHour: 5 }, 'bank', 'INVALID', null],
    ] as const) {
      const refused = await set(input);
      expect(refused.data).toEqual({ depositRuleSet: { rule, userErrors: [{ field: ['input', field], code }] } });
    }
    expect(codeOf(await set({ bank: DEMO_BANK.head.id, category: 'cleaning', pointsPerHour: 5 }, viewers.clerk))).toBe('FORBIDDEN');
  });
});

describe('batching', () => {
  it('does not grow the statements with the number of branches, offices and rules listed', async () => {
    const head = await createUnit({ kind: 'HEAD_BANK', name: `batch bank ${newId()}`, region: newId() });
    const query = `query ($bank: ID!) { bankUnits(filter: { bank: $bank, kind: BRANCH }, first: 50) { edges { node { name parent { name } bank { name redemptionWindow }
      depositRules { pointsPerHour } children(first: 5) { edges { node { name redemptionWindow parent { name } } } } } } } }`;
    const count = () => countStatements(bed.points.database, () => bed.points.execute(query, { variables: { bank: head.bankUnit!.id }, viewer: viewers.zhang }));
    const addBranch = async () => {
      const branch = await createUnit({ kind: 'BRANCH', name: `branch ${newId()}`, parent: head.bankUnit!.id, region: newId() });
      for (let office = 0; office < 3; office += 1) {
        await createUnit({ kind: 'SAVINGS_OFFICE', name: `office ${office}`, parent: branch.bankUnit!.id, region: newId(), station: newId() });
      }
    };
    await addBranch();
    const few = await count();
    for (let branch = 0; branch < 6; branch += 1) await addBranch();
    const many = await count();
    expect(many.result.errors).toBeUndefined();
    expect((many.result.data as { bankUnits: { edges: unknown[] } }).bankUnits.edges).toHaveLength(7);
    expect(many.count).toBe(few.count);
  });
});
