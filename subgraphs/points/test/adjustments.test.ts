/**
 * Adjustments: manual credits of points under dual control, on real
 * Postgres. One member of staff asks, a second, different one approves (one
 * transfer from issuance, traced to the adjustment) or rejects; never for
 * one's own account; each decided once, also when approvals race; and
 * whoever does not serve the account hears what they would of nothing.
 * The books are audited after every test.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { eq, sql } from 'drizzle-orm';
import { ANONYMOUS, CHECK_VIOLATION, isConstraintViolation, newId, type Viewer } from '@lianxin/shared';
import { viewerOf } from '@lianxin/shared/testing';
import { passbookNumber } from '../src/accounts/passbook.js';
import { insertCustomerAccount, nextPassbookSerial } from '../src/accounts/store.js';
import { resolveAdjustment } from '../src/adjustments/store.js';
import { DEMO_BANK, DEMO_CLERK, DEMO_MERCHANTS } from '../src/db/demo.js';
import { ISSUANCE_ACCOUNT_ID, adjustments, transfers } from '../src/db/schema.js';
import { transfer } from '../src/ledger/store.js';
import { codeOf, customerWith, expectBooksToBalance, knownPerson, pointsOf, run, startPoints, viewers, type PointsTestBed, type UserErrorShape } from './support.js';

let bed: PointsTestBed;
/** A second clerk of the Xingle office, beside 林晓. */
let secondClerk: Viewer;
/** 林晓's own passbook at the office she clerks for. */
let clerksOwnAccount: string;
/** A second platform admin (another subject), so that an admin's request can be approved by an admin. */
const otherAdmin = viewerOf({ roles: ['platform_admin'], subject: 'test-platform_admin-2' });

beforeAll(async () => {
  bed = await startPoints();
  secondClerk = viewerOf({ roles: ['bank_clerk'], personId: await knownPerson(bed) });
  const assigned = await run<{ bankClerkAssign: { userErrors: UserErrorShape[] } }>(
    bed,
    `mutation ($input: BankClerkAssignInput!) { bankClerkAssign(input: $input) { userErrors { field code message } } }`,
    viewers.admin,
    { input: { unit: DEMO_BANK.xingleOffice.id, person: secondClerk.personId } },
  );
  expect(assigned.bankClerkAssign.userErrors).toEqual([]);
  const opened = await run<{ accountOpen: { account: { id: string } } }>(
    bed,
    `mutation ($input: AccountOpenInput!) { accountOpen(input: $input) { account { id } } }`,
    viewers.admin,
    {
      input: { holder: DEMO_CLERK.personId, office: DEMO_BANK.xingleOffice.id },
    },
  );
  clerksOwnAccount = opened.accountOpen.account.id;
});
afterEach(async () => {
  await expectBooksToBalance(bed);
});
afterAll(async () => {
  await bed?.stop();
});

interface AdjustmentShape {
  id: string;
  status: string;
  points: number;
  reason: string;
  rejectionReason: string | null;
  requestedBy: { id: string } | null;
  resolvedBy: { id: string } | null;
  transfer: { id: string; cause: string; amount: number; note: string; debitAccount: { id: string }; creditAccount: { id: string }; adjustment: { id: string } } | null;
}

type Payload = { adjustment: AdjustmentShape | null; userErrors: UserErrorShape[] };

const FIELDS = `id status points reason rejectionReason requestedBy { id } resolvedBy { id }
  transfer { id cause amount note debitAccount { id } creditAccount { id } adjustment { id } }`;

const MUTATIONS = {
  adjustmentRequest: `mutation ($input: AdjustmentRequestInput!) { adjustmentRequest(input: $input) { adjustment { ${FIELDS} } userErrors { field code message } } }`,
  adjustmentApprove: `mutation ($input: AdjustmentApproveInput!) { adjustmentApprove(input: $input) { adjustment { ${FIELDS} } userErrors { field code message } } }`,
  adjustmentReject: `mutation ($input: AdjustmentRejectInput!) { adjustmentReject(input: $input) { adjustment { ${FIELDS} } userErrors { field code message } } }`,
};

type Mutation = keyof typeof MUTATIONS;

async function call(mutation: Mutation, input: Record<string, unknown>, viewer: Viewer): Promise<Payload> {
  return (await run<Record<Mutation, Payload>>(bed, MUTATIONS[mutation], viewer, { input }))[mutation];
}

const ask = (account: string, points: number, viewer: Viewer = viewers.clerk, reason = '补录2026年11月社区义诊服务积分') =>
  call('adjustmentRequest', { account, points, reason }, viewer);
const approve = (adjustment: string, viewer: Viewer) => call('adjustmentApprove', { adjustment }, viewer);
const reject = (adjustment: string, viewer: Viewer, reason = '已有服务记录，无需补录') => call('adjustmentReject', { adjustment, reason }, viewer);

/** Asks for `points` for `account` as the Xingle clerk, which must be accepted; returns the adjustment's id. */
async function requested(account: string, points: number, viewer: Viewer = viewers.clerk): Promise<string> {
  const asked = await ask(account, points, viewer);
  expect(asked.userErrors).toEqual([]);
  return asked.adjustment!.id;
}

/** The top-level answer to an adjustment mutation (FORBIDDEN for an account or adjustment out of the viewer's sight): code and words. */
async function topLevel(mutation: Mutation, input: Record<string, unknown>, viewer: Viewer): Promise<unknown> {
  const result = await bed.points.execute(MUTATIONS[mutation], { variables: { input }, viewer });
  return result.errors ? [codeOf(result), result.errors[0]!.message] : result.data;
}

const adjustmentTransfers = async (adjustmentId: string) => bed.points.database.db.select().from(transfers).where(eq(transfers.reference, adjustmentId));
const codes = (payload: Payload) => payload.userErrors.map((error) => error.code);

async function failureOf(work: Promise<unknown>): Promise<unknown> {
  try {
    await work;
  } catch (error) {
    return error;
  }
  throw new Error('expected the database to refuse');
}

describe('adjustmentRequest → adjustmentApprove', () => {
  it('credits nothing until a second member of staff approves, then one transfer from issuance that the ledger traces to the adjustment', async () => {
    const customer = await customerWith(bed, 0);
    const asked = await ask(customer.accountId, 50);
    expect(asked).toEqual({
      adjustment: {
        id: expect.any(String),
        status: 'REQUESTED',
        points: 50,
        reason: '补录2026年11月社区义诊服务积分',
        rejectionReason: null,
        requestedBy: { id: DEMO_CLERK.personId },
        resolvedBy: null,
        transfer: null,
      },
      userErrors: [],
    });
    const id = asked.adjustment!.id;
    expect((await pointsOf(bed, customer.accountId)).balance).toBe(0);

    // The office's queue shows it to the second clerk.
    const queue = await run<{ bankUnit: { adjustments: { edges: { node: { id: string; status: string } }[] } } }>(
      bed,
      `query ($id: ID!) { bankUnit(id: $id) { adjustments(status: REQUESTED, first: 100) { edges { node { id status } } } } }`,
      secondClerk,
      { id: DEMO_BANK.xingleOffice.id },
    );
    expect(queue.bankUnit.adjustments.edges.map((edge) => edge.node)).toContainEqual({ id, status: 'REQUESTED' });

    const approved = await approve(id, secondClerk);
    expect(approved.userErrors).toEqual([]);
    expect(approved.adjustment).toMatchObject({ status: 'APPROVED', resolvedBy: { id: secondClerk.personId } });
    expect(approved.adjustment!.transfer).toEqual({
      id: expect.any(String),
      cause: 'ADJUSTMENT',
      amount: 50,
      note: '补录2026年11月社区义诊服务积分',
      debitAccount: { id: ISSUANCE_ACCOUNT_ID },
      creditAccount: { id: customer.accountId },
      adjustment: { id },
    });
    expect((await pointsOf(bed, customer.accountId)).balance).toBe(50);

    // The holder sees the line in the passbook and, through it, the adjustment.
    const holder = viewerOf({ roles: ['volunteer'], personId: customer.personId });
    const passbook = await run<{
      account: { transfers: { edges: { node: { cause: string; amount: number; transfer: { adjustment: { id: string; reason: string } | null } } }[] } };
    }>(bed, `query ($id: ID!) { account(id: $id) { transfers(first: 1) { edges { node { cause amount transfer { adjustment { id reason } } } } } } }`, holder, {
      id: customer.accountId,
    });
    expect(passbook.account.transfers.edges[0]!.node).toEqual({ cause: 'ADJUSTMENT', amount: 50, transfer: { adjustment: { id, reason: '补录2026年11月社区义诊服务积分' } } });
    expect(await adjustmentTransfers(id)).toHaveLength(1);
  });

  it('lets a platform admin ask and another platform admin approve', async () => {
    const customer = await customerWith(bed, 0);
    const id = await requested(customer.accountId, 7, viewers.admin);
    expect((await approve(id, viewers.admin)).userErrors.map((error) => error.code)).toEqual(['NOT_ALLOWED']);
    expect((await approve(id, otherAdmin)).adjustment?.status).toBe('APPROVED');
    expect((await pointsOf(bed, customer.accountId)).balance).toBe(7);
  });

  it('makes one transfer when ten approvals race', async () => {
    const customer = await customerWith(bed, 0);
    const id = await requested(customer.accountId, 30);
    const results = await Promise.all(Array.from({ length: 10 }, (_, index) => approve(id, index % 2 ? secondClerk : viewers.admin)));
    expect(results.filter((result) => result.userErrors.length === 0)).toHaveLength(1);
    expect(results.flatMap(codes)).toEqual(Array.from({ length: 9 }, () => 'INVALID_STATE'));
    // The refused nine carry the adjustment as the one approval left it: approved, paid by one transfer.
    expect(results.map((result) => result.adjustment?.status)).toEqual(Array.from({ length: 10 }, () => 'APPROVED'));
    expect(new Set(results.map((result) => result.adjustment?.transfer?.id)).size).toBe(1);
    expect(await adjustmentTransfers(id)).toHaveLength(1);
    expect((await pointsOf(bed, customer.accountId)).balance).toBe(30);
  });

  it('makes one decision when approvals and rejections race', async () => {
    const customer = await customerWith(bed, 0);
    const id = await requested(customer.accountId, 30);
    const results = await Promise.all(Array.from({ length: 10 }, (_, index) => (index % 2 ? reject(id, secondClerk) : approve(id, viewers.admin))));
    expect(results.filter((result) => result.userErrors.length === 0)).toHaveLength(1);
    const [row] = await bed.points.database.db.select().from(adjustments).where(eq(adjustments.id, id));
    // Winner and losers alike show the one decision made.
    expect(results.map((result) => result.adjustment?.status)).toEqual(Array.from({ length: 10 }, () => row!.status.toUpperCase()));
    expect((await adjustmentTransfers(id)).length).toBe(row!.status === 'approved' ? 1 : 0);
    expect((await pointsOf(bed, customer.accountId)).balance).toBe(row!.status === 'approved' ? 30 : 0);
  });
});

describe('dual control', () => {
  it('never credits the account of the one who asks', async () => {
    const refused = await ask(clerksOwnAccount, 100);
    expect(refused).toEqual({ adjustment: null, userErrors: [{ field: ['input', 'account'], code: 'NOT_ALLOWED', message: expect.stringContaining('your own account') }] });
    expect(await bed.points.database.db.select().from(adjustments).where(eq(adjustments.accountId, clerksOwnAccount))).toEqual([]);
    // Nor can a row saying so be written past the service.
    const written = await failureOf(
      bed.points.database.db.insert(adjustments).values({
        accountId: clerksOwnAccount,
        holderId: DEMO_CLERK.personId,
        officeId: DEMO_BANK.xingleOffice.id,
        amount: 100,
        reason: 'x',
        requestedBy: viewers.clerk.subject!,
        requestedByPersonId: DEMO_CLERK.personId,
      }),
    );
    expect(isConstraintViolation(written, CHECK_VIOLATION, 'adjustments_not_for_requester')).toBe(true);
    expect((await pointsOf(bed, clerksOwnAccount)).balance).toBe(0);
  });

  it('lets no one decide their own request, nor a credit to their own account, whatever its state', async () => {
    const customer = await customerWith(bed, 0);
    const mine = await requested(customer.accountId, 10);
    const forMe = await requested(clerksOwnAccount, 10, secondClerk);
    const decided = await requested(customer.accountId, 10);
    expect((await approve(decided, secondClerk)).adjustment?.status).toBe('APPROVED');
    for (const id of [mine, decided]) {
      for (const decide of [approve, reject]) {
        expect((await decide(id, viewers.clerk)).userErrors).toEqual([
          { field: ['input', 'adjustment'], code: 'NOT_ALLOWED', message: 'You asked for this adjustment: another clerk of its office or a platform admin decides it.' },
        ]);
      }
    }
    for (const decide of [approve, reject]) {
      expect((await decide(forMe, viewers.clerk)).userErrors).toEqual([
        { field: ['input', 'adjustment'], code: 'NOT_ALLOWED', message: 'This adjustment credits your own account: another clerk of its office or a platform admin decides it.' },
      ]);
    }
    // The database refuses the same, should a decision get past the service.
    const own = await failureOf(
      bed.points.database.db.transaction((tx) =>
        resolveAdjustment(tx, mine, { status: 'rejected', by: viewers.clerk.subject!, byPersonId: DEMO_CLERK.personId, rejectionReason: 'x' }),
      ),
    );
    expect(isConstraintViolation(own, CHECK_VIOLATION, 'adjustments_four_eyes')).toBe(true);
    const credit = await failureOf(
      bed.points.database.db.transaction((tx) =>
        resolveAdjustment(tx, forMe, { status: 'rejected', by: viewers.clerk.subject!, byPersonId: DEMO_CLERK.personId, rejectionReason: 'x' }),
      ),
    );
    expect(isConstraintViolation(credit, CHECK_VIOLATION, 'adjustments_not_for_resolver')).toBe(true);

    expect((await approve(mine, secondClerk)).adjustment?.status).toBe('APPROVED');
    expect((await approve(forMe, viewers.admin)).adjustment?.status).toBe('APPROVED');
    expect((await pointsOf(bed, customer.accountId)).balance).toBe(20);
    expect((await pointsOf(bed, clerksOwnAccount)).balance).toBe(10);
  });

  it('rejects with a reason, moving nothing; a decided adjustment is decided once', async () => {
    const customer = await customerWith(bed, 0);
    const id = await requested(customer.accountId, 40);
    const rejected = await reject(id, secondClerk, '重复申请');
    expect(rejected.adjustment).toMatchObject({ status: 'REJECTED', rejectionReason: '重复申请', resolvedBy: { id: secondClerk.personId }, transfer: null });
    for (const decide of [approve, reject]) {
      expect((await decide(id, viewers.admin)).userErrors).toEqual([
        { field: ['input', 'adjustment'], code: 'INVALID_STATE', message: 'This adjustment was rejected before: an adjustment is decided once.' },
      ]);
    }
    const reopened = await failureOf(
      bed.points.database.db.execute(
        sql`update points.adjustments set status = 'requested', resolved_at = null, resolved_by = null, rejection_reason = null where id = ${id}::uuid`,
      ),
    );
    expect(isConstraintViolation(reopened, CHECK_VIOLATION, 'adjustments_resolve_once')).toBe(true);
    expect((await pointsOf(bed, customer.accountId)).balance).toBe(0);
    expect(await adjustmentTransfers(id)).toEqual([]);
  });

  it('lets no points move as an adjustment without an approved one, nor an approval with another transfer', async () => {
    const customer = await customerWith(bed, 0);
    const db = bed.points.database.db;
    const bare = await failureOf(
      db.transaction((tx) => transfer(tx, { debit: ISSUANCE_ACCOUNT_ID, credit: customer.accountId, amount: 2400, cause: 'adjustment', createdBy: 'someone' })),
    );
    expect(isConstraintViolation(bare, CHECK_VIOLATION, 'transfers_adjustment_approved')).toBe(true);

    const id = await requested(customer.accountId, 10);
    const mismatched = await failureOf(
      db.transaction(async (tx) => {
        const transferId = newId();
        await resolveAdjustment(tx, id, { status: 'approved', by: 'someone-else', byPersonId: null, transferId });
        await transfer(tx, { id: transferId, debit: ISSUANCE_ACCOUNT_ID, credit: customer.accountId, amount: 2400, cause: 'adjustment', reference: id, createdBy: 'someone-else' });
      }),
    );
    expect(isConstraintViolation(mismatched, CHECK_VIOLATION, 'adjustments_paid_by_their_transfer')).toBe(true);
    expect((await pointsOf(bed, customer.accountId)).balance).toBe(0);
  });
});

describe('what a request may name', () => {
  it('refuses points and reasons out of bounds and malformed ids, naming the field', async () => {
    const customer = await customerWith(bed, 0);
    const cases: [Record<string, unknown>, string[]][] = [
      [{ points: 0 }, ['input', 'points']],
      [{ points: 10_001 }, ['input', 'points']],
      [{ reason: '   ' }, ['input', 'reason']],
      [{ reason: '长'.repeat(501) }, ['input', 'reason']],
      [{ account: 'account-1' }, ['input', 'account']],
    ];
    for (const [override, field] of cases) {
      const refused = await call('adjustmentRequest', { account: customer.accountId, points: 10, reason: 'x', ...override }, viewers.clerk);
      expect(refused.adjustment).toBeNull();
      expect(refused.userErrors.map((error) => error.field)).toEqual([field]);
    }
    expect(
      codeOf(await bed.points.execute(MUTATIONS.adjustmentRequest, { variables: { input: { account: customer.accountId, points: 1.5, reason: 'x' } }, viewer: viewers.clerk })),
    ).toBe('BAD_USER_INPUT');
  });

  it('answers the same for no account and one the clerk may not see (FORBIDDEN), and NOT_ALLOWED for one they see that is not a customer’s or not served', async () => {
    const customer = await customerWith(bed, 0);
    const unseen = ['FORBIDDEN', 'There is no such account, or you may not see it.'];
    const input = (account: string) => ({ account, points: 10, reason: '补录' });
    expect(await topLevel('adjustmentRequest', input(newId()), viewers.clerk)).toEqual(unseen);
    for (const account of [newId(), customer.accountId, DEMO_MERCHANTS.yonghui.accountId]) {
      expect(await topLevel('adjustmentRequest', input(account), viewers.unassignedClerk)).toEqual(unseen);
    }
    // Every clerk keeps part of the bank's own book, and the Xingle clerk serves Yonghui's bank: both accounts are in sight, and neither is a customer's.
    const notCustomer = [{ field: ['input', 'account'], code: 'NOT_ALLOWED', message: 'Adjustments credit customer accounts only.' }];
    for (const account of [ISSUANCE_ACCOUNT_ID, DEMO_MERCHANTS.yonghui.accountId]) {
      expect(await ask(account, 10)).toEqual({ adjustment: null, userErrors: notCustomer });
    }
    // A platform admin sees every account: an unknown one is NOT_FOUND to them.
    expect(await ask(newId(), 10, viewers.admin)).toEqual({
      adjustment: null,
      userErrors: [{ field: ['input', 'account'], code: 'NOT_FOUND', message: 'There is no such account.' }],
    });
  });

  it('refuses an account whose holder the bank does not know', async () => {
    // An account opened before its holder's registration reached the bank (as a service record's event may open one).
    const stranger = newId();
    const account = await bed.points.database.db.transaction(async (tx) =>
      insertCustomerAccount(tx, { holderId: stranger, officeId: DEMO_BANK.xingleOffice.id, passbookNumber: passbookNumber(await nextPassbookSerial(tx)), openedBy: 'test' }),
    );
    const refused = await ask(account!.id, 10);
    expect(refused.userErrors).toEqual([{ field: ['input', 'account'], code: 'NOT_FOUND', message: expect.stringContaining('not known to the bank') }]);
  });
});

describe('authority before state', () => {
  it('is refused to every other role before anything is read, whatever the adjustment’s state', async () => {
    const customer = await customerWith(bed, 0);
    const waiting = await requested(customer.accountId, 5);
    const approved = await requested(customer.accountId, 5);
    await approve(approved, secondClerk);
    const rejected = await requested(customer.accountId, 5);
    await reject(rejected, secondClerk);
    const others = [viewerOf({ roles: ['volunteer'], personId: customer.personId }), viewers.yonghui, viewers.analyst, viewers.communityAdmin];
    for (const viewer of others) {
      const messages = new Set<string>();
      for (const adjustment of [waiting, approved, rejected, newId()]) {
        for (const [mutation, input] of [
          ['adjustmentApprove', { adjustment }],
          ['adjustmentReject', { adjustment, reason: 'x' }],
        ] as const) {
          const result = await bed.points.execute(MUTATIONS[mutation], { variables: { input }, viewer });
          expect(codeOf(result)).toBe('FORBIDDEN');
          messages.add(`${mutation}: ${result.errors![0]!.message}`);
        }
      }
      expect(messages.size).toBe(2);
      expect(codeOf(await bed.points.execute(MUTATIONS.adjustmentRequest, { variables: { input: { account: customer.accountId, points: 5, reason: 'x' } }, viewer }))).toBe(
        'FORBIDDEN',
      );
    }
    expect(codeOf(await bed.points.execute(MUTATIONS.adjustmentApprove, { variables: { input: { adjustment: waiting } }, viewer: ANONYMOUS }))).toBe('UNAUTHENTICATED');
  });

  it('tells a clerk of another office the same of a waiting, an approved, a rejected and an unknown adjustment: FORBIDDEN', async () => {
    const customer = await customerWith(bed, 0);
    const waiting = await requested(customer.accountId, 5);
    const approved = await requested(customer.accountId, 5);
    await approve(approved, secondClerk);
    const rejected = await requested(customer.accountId, 5);
    await reject(rejected, secondClerk);
    const expected = ['FORBIDDEN', 'There is no such adjustment, or you may not see it.'];
    for (const adjustment of [waiting, approved, rejected, newId()]) {
      expect(await topLevel('adjustmentApprove', { adjustment }, viewers.unassignedClerk)).toEqual(expected);
      expect(await topLevel('adjustmentReject', { adjustment, reason: 'x' }, viewers.unassignedClerk)).toEqual(expected);
    }
    expect(await approve(newId(), viewers.admin)).toEqual({
      adjustment: null,
      userErrors: [{ field: ['input', 'adjustment'], code: 'NOT_FOUND', message: 'There is no such adjustment.' }],
    });
    expect((await pointsOf(bed, customer.accountId)).balance).toBe(5);
  });

  it('tells a clerk of no office who holds the account, and so sees its adjustments, NOT_ALLOWED whatever their state', async () => {
    // The holder sees the adjustments of their own account; a clerk elsewhere, they still may not decide them.
    const holder = viewerOf({ roles: ['bank_clerk'], personId: await knownPerson(bed) });
    const account = await run<{ accountOpen: { account: { id: string } | null } }>(
      bed,
      `mutation ($input: AccountOpenInput!) { accountOpen(input: $input) { account { id } } }`,
      viewers.clerk,
      {
        input: { holder: holder.personId },
      },
    );
    const accountId = account.accountOpen.account!.id;
    const waiting = await requested(accountId, 5);
    const rejected = await requested(accountId, 5);
    await reject(rejected, secondClerk);
    for (const adjustment of [waiting, rejected]) {
      expect(codes(await approve(adjustment, holder))).toEqual(['NOT_ALLOWED']);
      expect(codes(await reject(adjustment, holder))).toEqual(['NOT_ALLOWED']);
    }
  });

  it('shows an adjustment to its account’s holder and staff; to anyone else an unknown id is as forbidden as a real one', async () => {
    const customer = await customerWith(bed, 0);
    const id = await requested(customer.accountId, 5);
    const query = `query ($id: ID!) { adjustment(id: $id) { id status } }`;
    for (const viewer of [viewers.clerk, secondClerk, viewers.admin, viewerOf({ roles: ['resident'], personId: customer.personId })]) {
      expect((await run<{ adjustment: { id: string } }>(bed, query, viewer, { id })).adjustment.id).toBe(id);
    }
    for (const viewer of [viewers.zhang, viewers.yonghui, viewers.unassignedClerk, viewers.analyst]) {
      const real = await bed.points.execute(query, { variables: { id }, viewer });
      const unknown = await bed.points.execute(query, { variables: { id: newId() }, viewer });
      expect(codeOf(real)).toBe('FORBIDDEN');
      expect(unknown.errors).toEqual(real.errors);
    }
    expect((await bed.points.execute(query, { variables: { id: newId() }, viewer: viewers.admin })).data).toEqual({ adjustment: null });
    const list = await bed.points.execute(`query ($id: ID!) { bankUnit(id: $id) { adjustments { edges { node { id } } } } }`, {
      variables: { id: DEMO_BANK.xingleOffice.id },
      viewer: viewers.unassignedClerk,
    });
    expect(codeOf(list)).toBe('FORBIDDEN');
  });
});
