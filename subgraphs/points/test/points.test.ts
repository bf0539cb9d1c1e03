import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { count, eq } from 'drizzle-orm';
import { newId, type Viewer } from '@lianxin/shared';
import { DEMO_RESIDENTS, DEMO_STAFF, DEMO_VOLUNTEERS, demoBeijing } from '@lianxin/shared/demo';
import { countStatements, viewerOf, type SubgraphHarness } from '@lianxin/shared/testing';
import { isValidPassbookNumber, passbookNumber } from '../src/accounts/passbook.js';
import type { PointsContext } from '../src/context.js';
import { DEMO_ACCOUNTS, DEMO_MORE_ACCOUNTS } from '../src/db/demo.js';
import { ISSUANCE_ACCOUNT_ID, accounts, transfers } from '../src/db/schema.js';
import { pointsSubgraph } from '../src/index.js';
import { transfer } from '../src/ledger/store.js';
import { expectBooksToBalance, knownPerson, startPoints, viewers, type PointsTestBed } from './support.js';

let bed: PointsTestBed;
let points: SubgraphHarness<PointsContext>;

const wang = DEMO_VOLUNTEERS[0]!;
const wangAccount = DEMO_ACCOUNTS[0]!;
const zhang = DEMO_VOLUNTEERS[1]!;
const elder = DEMO_RESIDENTS[0]!;

const wangHimself = viewerOf({ roles: ['volunteer', 'team_captain'], personId: wang.id });
const anotherVolunteer = viewerOf({ roles: ['volunteer'], personId: zhang.id });
const communityAdmin = viewerOf({ roles: ['community_admin'], personId: DEMO_STAFF[0]!.id });
/** 林晓, clerk of the Xingle savings office where the demo accounts are. */
const clerk = viewers.clerk;
/** A bank clerk who is no registered person (and so serves no office). */
const clerkWithoutPerson = viewerOf({ roles: ['bank_clerk'] });
const admin = viewerOf({ roles: ['platform_admin'] });
/** Someone registered in people (and so known to the bank) who has no account yet. */
const newcomer = async (): Promise<Viewer> => viewerOf({ roles: ['resident'], personId: await knownPerson(bed) });

const codeOf = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] | undefined }): unknown => result.errors?.[0]?.extensions?.['code'];

async function accountsHeldBy(holderId: string): Promise<number> {
  const [row] = await points.database.db.select({ n: count() }).from(accounts).where(eq(accounts.holderId, holderId));
  return row?.n ?? 0;
}

async function allAccounts(): Promise<number> {
  const [row] = await points.database.db.select({ n: count() }).from(accounts);
  return row?.n ?? 0;
}

const OPEN = `mutation ($input: AccountOpenInput!) {
  accountOpen(input: $input) { account { id passbookNumber balance holder { id } openedAt } userErrors { field code message } }
}`;

interface OpenResult {
  accountOpen: {
    account: { id: string; passbookNumber: string; balance: number; holder: { id: string } | null; openedAt: string } | null;
    userErrors: { field: string[] | null; code: string; message: string }[];
  };
}

async function openAccount(viewer: Viewer | undefined, input: { holder?: string | null }) {
  const result = await points.execute(OPEN, { variables: { input }, ...(viewer ? { viewer } : {}) });
  return { ...result, payload: (result.data as OpenResult | null | undefined)?.accountOpen };
}

beforeAll(async () => {
  bed = await startPoints();
  points = bed.points;
});
afterEach(async () => {
  await expectBooksToBalance(bed);
});
afterAll(async () => {
  await bed?.stop();
});

describe('accounts', () => {
  const query = `query ($id: ID!) { account(id: $id) { id passbookNumber balance holder { id } openedAt } }`;

  it('shows 王建国 his own passbook with the 360 points he opened with', async () => {
    const { data, errors } = await points.execute(query, { variables: { id: wangAccount.id }, viewer: wangHimself });
    expect(errors).toBeUndefined();
    expect(data).toEqual({
      account: {
        id: wangAccount.id,
        passbookNumber: wangAccount.passbookNumber,
        balance: 360,
        holder: { id: wang.id },
        // 学雷锋纪念日 at 09:00 in Beijing, as the demo tells it relative to today.
        openedAt: demoBeijing(3, 5, 9),
      },
    });
    expect(isValidPassbookNumber(wangAccount.passbookNumber)).toBe(true);
  });

  it('shows an account to bank clerks and platform admins, and to no one else', async () => {
    const variables = { id: wangAccount.id };
    for (const viewer of [clerk, admin]) {
      const { data, errors } = await points.execute(query, { variables, viewer });
      expect(errors).toBeUndefined();
      expect((data as { account: { balance: number } }).account.balance).toBe(360);
    }
    for (const viewer of [anotherVolunteer, communityAdmin]) {
      const refused = await points.execute(query, { variables, viewer });
      expect(codeOf(refused)).toBe('FORBIDDEN');
      expect(refused.data).toEqual({ account: null });
    }
    expect(codeOf(await points.execute(query, { variables }))).toBe('UNAUTHENTICATED');
  });

  it("shows the bank's issuance account, holding every issued point as a debt, to bank staff only", async () => {
    const issued = [...DEMO_ACCOUNTS, ...DEMO_MORE_ACCOUNTS].reduce((sum, account) => sum + account.openingPoints, 0);
    const { data, errors } = await points.execute(query, { variables: { id: ISSUANCE_ACCOUNT_ID }, viewer: clerk });
    expect(errors).toBeUndefined();
    expect(data).toMatchObject({ account: { passbookNumber: '000000000000', balance: -issued, holder: null } });
    const refused = await points.execute(query, { variables: { id: ISSUANCE_ACCOUNT_ID }, viewer: wangHimself });
    expect(codeOf(refused)).toBe('FORBIDDEN');
  });

  it('answers null for an unknown account to a platform admin only: to anyone else it is as forbidden as someone else’s', async () => {
    const unknown = await points.execute(query, { variables: { id: newId() }, viewer: admin });
    expect(unknown).toEqual({ data: { account: null }, errors: undefined });
    const byNumber = `query ($n: String!) { accountByPassbook(passbookNumber: $n) { id } }`;
    // The last serial the sequence would hand out: no account has it in a test database.
    const freeNumber = passbookNumber(89_999_999_999);
    expect(await points.execute(byNumber, { variables: { n: freeNumber }, viewer: admin })).toEqual({ data: { accountByPassbook: null }, errors: undefined });
    for (const viewer of [clerk, anotherVolunteer, viewerOf({ roles: ['merchant'], merchantId: newId() })]) {
      const someoneElses = await points.execute(query, {
        variables: { id: viewer === clerk ? DEMO_MORE_ACCOUNTS.find((account) => account.officeId !== wangAccount.officeId)!.id : wangAccount.id },
        viewer,
      });
      const missing = await points.execute(query, { variables: { id: newId() }, viewer });
      expect(codeOf(someoneElses)).toBe('FORBIDDEN');
      expect(missing.errors?.map((error) => [error.extensions?.['code'], error.message])).toEqual(someoneElses.errors?.map((error) => [error.extensions?.['code'], error.message]));
      const missingNumber = await points.execute(byNumber, { variables: { n: freeNumber }, viewer });
      expect(missingNumber.errors?.[0]?.message).toBe(someoneElses.errors?.[0]?.message);
    }
    const malformed = await points.execute(query, { variables: { id: "1' or 1=1" }, viewer: clerk });
    expect(codeOf(malformed)).toBe('BAD_USER_INPUT');
  });
});

describe('Person.account', () => {
  const query = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id account { id balance } } } }`;
  const ofWang = { r: [{ __typename: 'Person', id: wang.id }] };

  it('shows a person their own account, and bank staff anyone’s', async () => {
    for (const viewer of [wangHimself, clerk, admin]) {
      const { data, errors } = await points.execute(query, { variables: ofWang, viewer });
      expect(errors).toBeUndefined();
      expect(data).toEqual({ _entities: [{ id: wang.id, account: { id: wangAccount.id, balance: 360 } }] });
    }
  });

  it('refuses anyone else with FORBIDDEN and anonymous callers with UNAUTHENTICATED', async () => {
    for (const viewer of [anotherVolunteer, communityAdmin, viewerOf({ roles: ['merchant'] }), viewerOf({ roles: ['analyst'] })]) {
      const refused = await points.execute(query, { variables: ofWang, viewer });
      expect(codeOf(refused)).toBe('FORBIDDEN');
      expect(refused.errors?.[0]?.path).toEqual(['_entities', 0, 'account']);
      expect(refused.data).toEqual({ _entities: [{ id: wang.id, account: null }] });
    }
    expect(codeOf(await points.execute(query, { variables: ofWang }))).toBe('UNAUTHENTICATED');
  });

  it('is null for a person without an account', async () => {
    const someone = await newcomer();
    const { data, errors } = await points.execute(query, {
      variables: { r: [{ __typename: 'Person', id: someone.personId }] },
      viewer: someone,
    });
    expect(errors).toBeUndefined();
    expect(data).toEqual({ _entities: [{ id: someone.personId, account: null }] });
  });
});

describe('accountOpen', () => {
  it('opens the viewer’s own account at 0 points with a valid passbook number', async () => {
    const viewer = await newcomer();
    const { errors, payload } = await openAccount(viewer, {});
    expect(errors).toBeUndefined();
    expect(payload?.userErrors).toEqual([]);
    expect(payload?.account).toMatchObject({ balance: 0, holder: { id: viewer.personId } });
    expect(isValidPassbookNumber(payload!.account!.passbookNumber)).toBe(true);

    const mine = await points.execute(
      `{ account: _entities(representations: [{ __typename: "Person", id: "${viewer.personId}" }]) { ... on Person { account { passbookNumber } } } }`,
      { viewer },
    );
    expect(mine.data).toEqual({ account: [{ account: { passbookNumber: payload!.account!.passbookNumber } }] });
  });

  it('refuses a second account for the same person with ALREADY_EXISTS', async () => {
    const viewer = await newcomer();
    const first = await openAccount(viewer, {});
    expect(first.payload?.userErrors).toEqual([]);
    const second = await openAccount(viewer, { holder: viewer.personId });
    expect(second.errors).toBeUndefined();
    expect(second.payload).toEqual({
      account: null,
      userErrors: [{ field: ['input', 'holder'], code: 'ALREADY_EXISTS', message: expect.any(String) }],
    });
    expect(await accountsHeldBy(viewer.personId!)).toBe(1);

    const demo = await openAccount(clerk, { holder: wang.id });
    expect(demo.payload?.userErrors.map((error) => error.code)).toEqual(['ALREADY_EXISTS']);
  });

  it('opens exactly one account when ten opens for the same person race', async () => {
    const viewer = await newcomer();
    const results = await Promise.all(Array.from({ length: 10 }, () => openAccount(viewer, {})));
    expect(results.every((result) => result.errors === undefined)).toBe(true);
    const opened = results.filter((result) => result.payload?.account);
    const refusals = results.flatMap((result) => result.payload?.userErrors ?? []);
    expect(opened).toHaveLength(1);
    expect(refusals).toHaveLength(9);
    expect(new Set(refusals.map((error) => error.code))).toEqual(new Set(['ALREADY_EXISTS']));
    expect(await accountsHeldBy(viewer.personId!)).toBe(1);
  });

  it('lets a bank clerk open an account for another person', async () => {
    const holder = await knownPerson(bed);
    const { errors, payload } = await openAccount(clerk, { holder });
    expect(errors).toBeUndefined();
    expect(payload?.account).toMatchObject({ balance: 0, holder: { id: holder } });
    const [row] = await points.database.db.select().from(accounts).where(eq(accounts.holderId, holder));
    expect(row?.openedBy).toBe(clerk.subject);
  });

  it('refuses a resident who opens an account for someone else, whether the bank knows that person or not, and writes nothing', async () => {
    const before = await allAccounts();
    const resident = viewerOf({ roles: ['resident'], personId: elder.id });
    for (const holder of [newId(), await knownPerson(bed), wang.id]) {
      const refused = await openAccount(resident, { holder });
      expect(codeOf(refused)).toBe('FORBIDDEN');
      expect(refused.errors?.[0]?.message).toBe('Only bank staff may open an account for someone else.');
    }
    expect(await allAccounts()).toBe(before);
  });

  it('refuses a person the bank does not know with NOT_FOUND: the viewer themselves (no field) or the holder a clerk names', async () => {
    const before = await allAccounts();
    const stranger = viewerOf({ roles: ['resident'], personId: newId() });
    const own = await openAccount(stranger, {});
    expect(own.errors).toBeUndefined();
    expect(own.payload).toEqual({ account: null, userErrors: [{ field: null, code: 'NOT_FOUND', message: expect.stringContaining('not known to the bank') }] });
    const named = await openAccount(clerk, { holder: newId() });
    expect(named.payload).toEqual({ account: null, userErrors: [{ field: ['input', 'holder'], code: 'NOT_FOUND', message: expect.stringContaining('not known to the bank') }] });
    // Once people's registration reaches the bank, the same request opens the account.
    await knownPerson(bed, stranger.personId!);
    expect((await openAccount(stranger, {})).payload?.account).toMatchObject({ balance: 0, holder: { id: stranger.personId } });
    expect(await allAccounts()).toBe(before + 1);
  });

  it('asks anonymous callers to sign in', async () => {
    const before = await allAccounts();
    expect(codeOf(await openAccount(undefined, { holder: newId() }))).toBe('UNAUTHENTICATED');
    expect(await allAccounts()).toBe(before);
  });

  it('needs a holder when the viewer is not a registered person', async () => {
    const before = await allAccounts();
    const { errors, payload } = await openAccount(clerkWithoutPerson, {});
    expect(errors).toBeUndefined();
    expect(payload).toEqual({ account: null, userErrors: [{ field: ['input', 'holder'], code: 'REQUIRED', message: expect.any(String) }] });
    expect(await allAccounts()).toBe(before);
  });

  it('refuses a malformed holder id with INVALID, and writes nothing', async () => {
    const before = await allAccounts();
    const { errors, payload } = await openAccount(clerk, { holder: 'not-a-person' });
    expect(errors).toBeUndefined();
    expect(payload).toEqual({ account: null, userErrors: [{ field: ['input', 'holder'], code: 'INVALID', message: expect.any(String) }] });
    expect(await allAccounts()).toBe(before);
  });
});

describe('federation contract', () => {
  // A clerk costs one more statement per request: the offices they serve, read once.
  it.each([
    ['a platform admin', 1, admin],
    ['a clerk', 2, clerk],
  ] as const)('resolves a batch of Account references for %s in %i statement(s), in the order asked, with null for unknown ids', async (_who, expected, viewer) => {
    const ids = [DEMO_ACCOUNTS[2]!.id, newId(), wangAccount.id, 'not-a-uuid'];
    const { result, count: statements } = await countStatements(points.database, () =>
      points.execute(`query ($r: [_Any!]!) { _entities(representations: $r) { ... on Account { id balance } } }`, {
        variables: { r: ids.map((id) => ({ __typename: 'Account', id })) },
        viewer,
      }),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      _entities: [{ id: DEMO_ACCOUNTS[2]!.id, balance: DEMO_ACCOUNTS[2]!.openingPoints }, null, { id: wangAccount.id, balance: 360 }, null],
    });
    expect(statements).toBe(expected);
  });

  it.each([
    ['a platform admin', 1, admin],
    ['a clerk', 2, clerk],
  ] as const)('resolves several Persons’ accounts for %s in %i statement(s), in the order asked', async (_who, expected, viewer) => {
    const stranger = newId();
    const persons = [elder.id, stranger, wang.id, 'not-a-uuid', zhang.id];
    const { result, count: statements } = await countStatements(points.database, () =>
      points.execute(`query ($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id account { passbookNumber balance } } } }`, {
        variables: { r: persons.map((id) => ({ __typename: 'Person', id })) },
        viewer,
      }),
    );
    expect(result.errors).toBeUndefined();
    const accountOf = (index: number) => ({ passbookNumber: DEMO_ACCOUNTS[index]!.passbookNumber, balance: DEMO_ACCOUNTS[index]!.openingPoints });
    expect(result.data).toEqual({
      _entities: [
        { id: elder.id, account: accountOf(DEMO_VOLUNTEERS.length) },
        { id: stranger, account: null },
        { id: wang.id, account: accountOf(0) },
        null,
        { id: zhang.id, account: accountOf(1) },
      ],
    });
    expect(statements).toBe(expected);
  });

  it('does not grow the statements with the number of accounts and their holders', async () => {
    const query = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Account { passbookNumber holder { id account { balance } } } } }`;
    const run = (n: number) =>
      countStatements(points.database, () =>
        points.execute(query, { variables: { r: DEMO_ACCOUNTS.slice(0, n).map((account) => ({ __typename: 'Account', id: account.id })) }, viewer: admin }),
      );
    const few = await run(2);
    const many = await run(DEMO_ACCOUNTS.length);
    expect(many.result.errors).toBeUndefined();
    expect((many.result.data as { _entities: unknown[] })._entities).toHaveLength(DEMO_ACCOUNTS.length);
    expect(many.count).toBe(few.count);
    expect(many.count).toBe(2);
  });
});

describe('passbooks', () => {
  it('list an account’s lines newest first, with signed amounts and the balance after each, page by page', async () => {
    const from = DEMO_ACCOUNTS[3]!;
    // Two movements from 陈桂兰 to 刘志强, written through the ledger (a donation would need its donation row).
    for (const amount of [7, 11]) {
      await points.database.db.transaction((tx) => transfer(tx, { debit: from.id, credit: DEMO_ACCOUNTS[2]!.id, amount, cause: 'opening', createdBy: 'points-test' }));
    }
    type Page = {
      account: {
        transfers: {
          totalCount: number;
          edges: { node: { line: number; cause: string; amount: number; balanceAfter: number; transfer: { reference: string | null } } }[];
          pageInfo: { hasNextPage: boolean; endCursor: string };
        };
      };
    };
    const query = `query ($id: ID!, $after: String) { account(id: $id) { transfers(first: 2, after: $after) {
      totalCount edges { node { line cause amount balanceAfter transfer { reference } } } pageInfo { hasNextPage endCursor } } } }`;
    const first = await points.execute(query, { variables: { id: from.id }, viewer: clerk });
    const page = first.data as Page;
    expect(page.account.transfers.totalCount).toBe(3);
    expect(page.account.transfers.edges.map((edge) => edge.node)).toEqual([
      { line: 3, cause: 'OPENING', amount: -11, balanceAfter: from.openingPoints - 18, transfer: { reference: null } },
      { line: 2, cause: 'OPENING', amount: -7, balanceAfter: from.openingPoints - 7, transfer: { reference: null } },
    ]);
    const second = (await points.execute(query, { variables: { id: from.id, after: page.account.transfers.pageInfo.endCursor }, viewer: clerk })).data as Page;
    expect(second.account.transfers.edges.map((edge) => edge.node.line)).toEqual([1]);
    expect(second.account.transfers.pageInfo.hasNextPage).toBe(false);
    const forged = await points.execute(query, { variables: { id: from.id, after: Buffer.from('["0 or 1=1"]').toString('base64url') }, viewer: clerk });
    expect(codeOf(forged)).toBe('BAD_USER_INPUT');
  });

  it('do not grow the statements with the number of accounts whose lines are listed', async () => {
    const query = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Account { passbookNumber office { name } transfers(first: 3) { totalCount edges { node { amount balanceAfter transfer { cause } } } } } } }`;
    const run = (n: number) =>
      countStatements(points.database, () =>
        points.execute(query, { variables: { r: DEMO_ACCOUNTS.slice(0, n).map((account) => ({ __typename: 'Account', id: account.id })) }, viewer: clerk }),
      );
    const few = await run(2);
    const many = await run(DEMO_ACCOUNTS.length);
    expect(many.result.errors).toBeUndefined();
    expect(many.count).toBe(few.count);
  });
});

describe('demo data', () => {
  it('gives every volunteer and resident a passbook with a valid check digit', async () => {
    expect(DEMO_ACCOUNTS).toHaveLength(DEMO_VOLUNTEERS.length + DEMO_RESIDENTS.length);
    for (const account of DEMO_ACCOUNTS) expect(isValidPassbookNumber(account.passbookNumber)).toBe(true);
    expect(new Set(DEMO_ACCOUNTS.map((account) => account.passbookNumber)).size).toBe(DEMO_ACCOUNTS.length);
  });

  it('does not issue opening points twice when loaded again', async () => {
    const snapshot = async () => ({
      balances: await points.database.db.select({ id: accounts.id, balance: accounts.balance }).from(accounts).orderBy(accounts.id),
      transfers: (await points.database.db.select({ n: count() }).from(transfers))[0]?.n,
    });
    const before = await snapshot();
    await pointsSubgraph.seedDemo(points.database.db, pointsSubgraph.settings({}));
    expect(await snapshot()).toEqual(before);
  });
});
