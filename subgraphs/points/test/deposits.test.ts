/** Deposits (积分入折) by rule, once per service record, and reversals of transfers. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { newId } from '@lianxin/shared';
import { viewerOf } from '@lianxin/shared/testing';
import { DEMO_MERCHANTS } from '../src/db/demo.js';
import {
  codeOf,
  customerWith,
  expectBooksToBalance,
  pointsOf,
  redemption,
  run,
  startPoints,
  viewers,
  yonghuiItem,
  type PointsTestBed,
  type UserErrorShape,
} from './support.js';

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

interface DepositShape {
  id: string;
  points: number;
  minutes: number;
  pointsPerHour: number;
  category: string;
  transfer: { id: string; cause: string; amount: number };
}

const DEPOSIT = `mutation ($input: PointsDepositInput!) { pointsDeposit(input: $input) {
  deposit { id points minutes pointsPerHour category transfer { id cause amount } } userErrors { field code message } } }`;

async function deposit(input: Record<string, unknown>, viewer = viewers.clerk) {
  return (await run<{ pointsDeposit: { deposit: DepositShape | null; userErrors: UserErrorShape[] } }>(bed, DEPOSIT, viewer, { input })).pointsDeposit;
}

describe('pointsDeposit', () => {
  it('credits the volunteer by the bank’s rule for the category: whole points for the minutes served', async () => {
    const volunteer = await customerWith(bed, 0);
    const serviceRecord = newId();
    const done = await deposit({ serviceRecord, person: volunteer.personId, category: 'home_repair', minutes: 95 });
    // 95 minutes at 20 points an hour is 31.67 points: 31 are deposited.
    expect(done).toEqual({
      deposit: { id: expect.any(String), points: 31, minutes: 95, pointsPerHour: 20, category: 'home_repair', transfer: { id: expect.any(String), cause: 'SERVICE_RECORD', amount: 31 } },
      userErrors: [],
    });
    expect((await pointsOf(bed, volunteer.accountId)).balance).toBe(31);
    const asRecord = await run<{ _entities: { deposit: { points: number }; transfer: { id: string } }[] }>(
      bed,
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on ServiceRecord { deposit { points } transfer { id } } } }`,
      viewerOf({ roles: ['volunteer'], personId: volunteer.personId }),
      { r: [{ __typename: 'ServiceRecord', id: serviceRecord }] },
    );
    expect(asRecord._entities).toEqual([{ deposit: { points: 31 }, transfer: { id: done.deposit!.transfer.id } }]);
    const stranger = await bed.points.execute(`query ($r: [_Any!]!) { _entities(representations: $r) { ... on ServiceRecord { deposit { points } } } }`, {
      variables: { r: [{ __typename: 'ServiceRecord', id: serviceRecord }] },
      viewer: viewers.zhang,
    });
    expect(codeOf(stranger)).toBe('FORBIDDEN');
  });

  it('deposits a record once: a replay returns the first deposit, different details are a conflict', async () => {
    const volunteer = await customerWith(bed, 0);
    const input = { serviceRecord: newId(), person: volunteer.personId, category: 'companionship', minutes: 120 };
    const first = await deposit(input);
    expect(first.deposit!.points).toBe(20);
    expect(await deposit(input)).toEqual(first);
    const changed = await deposit({ ...input, minutes: 180 });
    expect(changed).toEqual({ deposit: null, userErrors: [{ field: ['input', 'serviceRecord'], code: 'IDEMPOTENCY_CONFLICT', message: expect.any(String) }] });
    expect((await pointsOf(bed, volunteer.accountId)).balance).toBe(20);
  });

  it('deposits once when twenty replays of one record race', async () => {
    const volunteer = await customerWith(bed, 0);
    const input = { serviceRecord: newId(), person: volunteer.personId, category: 'tutoring', minutes: 60 };
    const results = await Promise.all(Array.from({ length: 20 }, () => deposit(input)));
    expect(new Set(results.map((result) => result.deposit?.id)).size).toBe(1);
    expect(results.every((result) => result.userErrors.length === 0)).toBe(true);
    expect((await pointsOf(bed, volunteer.accountId)).balance).toBe(12);
  });

  it('refuses a person without an account, a category without a rule, too short a service and malformed input', async () => {
    const volunteer = await customerWith(bed, 0);
    const cases: [Record<string, unknown>, { field: string[]; code: string }][] = [
      [{ person: newId() }, { field: ['input', 'person'], code: 'NOT_FOUND' }],
      [{ category: 'space_travel' }, { field: ['input', 'category'], code: 'NOT_FOUND' }],
      [{ category: 'other', minutes: 11 }, { field: ['input', 'minutes'], code: 'INVALID' }],
      [{ minutes: 0 }, { field: ['input', 'minutes'], code: 'INVALID' }],
      [{ minutes: 1441 }, { field: ['input', 'minutes'], code: 'INVALID' }],
      [{ serviceRecord: 'record-1' }, { field: ['input', 'serviceRecord'], code: 'INVALID' }],
      [{ category: 'Home Repair' }, { field: ['input', 'category'], code: 'INVALID' }],
    ];
    for (const [override, expected] of cases) {
      const refused = await deposit({ serviceRecord: newId(), person: volunteer.personId, category: 'home_repair', minutes: 60, ...override });
      expect(refused.deposit).toBeNull();
      expect(refused.userErrors.map(({ field, code }) => ({ field, code }))).toEqual([expected]);
    }
    expect((await pointsOf(bed, volunteer.accountId)).balance).toBe(0);
  });

  it('is for the clerks of the volunteer’s office and platform admins', async () => {
    const volunteer = await customerWith(bed, 0);
    const input = { serviceRecord: newId(), person: volunteer.personId, category: 'cleaning', minutes: 60 };
    for (const viewer of [viewers.unassignedClerk, viewerOf({ roles: ['volunteer'], personId: volunteer.personId }), viewers.communityAdmin, viewers.yonghui, viewers.analyst]) {
      expect(codeOf(await bed.points.execute(DEPOSIT, { variables: { input }, viewer }))).toBe('FORBIDDEN');
    }
    expect(codeOf(await bed.points.execute(DEPOSIT, { variables: { input } }))).toBe('UNAUTHENTICATED');
    expect((await deposit(input, viewers.admin)).deposit!.points).toBe(10);
  });
});

describe('transferReverse', () => {
  const REVERSE = `mutation ($input: TransferReverseInput!) { transferReverse(input: $input) {
    reversal { id cause amount note reverses { id reversedBy { id } } debitAccount { id } creditAccount { id } } userErrors { field code message } } }`;
  const reverse = async (transfer: string, viewer = viewers.clerk) =>
    (await run<{ transferReverse: { reversal: { id: string; cause: string; amount: number; note: string; reverses: { id: string; reversedBy: { id: string } } } | null; userErrors: UserErrorShape[] } }>(
      bed,
      REVERSE,
      viewer,
      { input: { transfer, reason: '服务记录录入错误' } },
    )).transferReverse;

  it('corrects a deposit with a mirror transfer, once', async () => {
    const volunteer = await customerWith(bed, 0);
    const made = await deposit({ serviceRecord: newId(), person: volunteer.personId, category: 'home_repair', minutes: 60 });
    const reversed = await reverse(made.deposit!.transfer.id);
    expect(reversed.reversal).toMatchObject({ cause: 'REVERSAL', amount: 20, note: '服务记录录入错误', reverses: { id: made.deposit!.transfer.id } });
    expect(reversed.reversal!.reverses.reversedBy.id).toBe(reversed.reversal!.id);
    expect((await pointsOf(bed, volunteer.accountId)).balance).toBe(0);
    expect((await reverse(made.deposit!.transfer.id)).userErrors.map((error) => error.code)).toEqual(['ALREADY_EXISTS']);
    expect((await reverse(reversed.reversal!.id)).userErrors.map((error) => error.code)).toEqual(['INVALID_STATE']);
    const lines = await run<{ account: { transfers: { edges: { node: { cause: string; amount: number; balanceAfter: number } }[] } } }>(
      bed,
      `query ($id: ID!) { account(id: $id) { transfers(first: 2) { edges { node { cause amount balanceAfter } } } } }`,
      viewers.clerk,
      { id: volunteer.accountId },
    );
    expect(lines.account.transfers.edges.map((edge) => edge.node)).toEqual([
      { cause: 'REVERSAL', amount: -20, balanceAfter: 0 },
      { cause: 'SERVICE_RECORD', amount: 20, balanceAfter: 20 },
    ]);
  });

  it('reverses once when ten reversals race', async () => {
    const volunteer = await customerWith(bed, 0);
    const made = await deposit({ serviceRecord: newId(), person: volunteer.personId, category: 'home_repair', minutes: 30 });
    const results = await Promise.all(Array.from({ length: 10 }, () => reverse(made.deposit!.transfer.id)));
    expect(results.filter((result) => result.reversal !== null)).toHaveLength(1);
    expect(results.flatMap((result) => result.userErrors.map((error) => error.code))).toEqual(Array.from({ length: 9 }, () => 'ALREADY_EXISTS'));
    expect((await pointsOf(bed, volunteer.accountId)).balance).toBe(0);
  });

  it('cannot take back points already spent, and does not undo redemptions', async () => {
    const volunteer = await customerWith(bed, 0);
    const made = await deposit({ serviceRecord: newId(), person: volunteer.personId, category: 'home_repair', minutes: 60 });
    const item = await yonghuiItem(bed, 15, 5);
    const spent = await redemption(
      bed,
      'redemptionCreate',
      { passbookNumber: volunteer.passbookNumber, merchant: DEMO_MERCHANTS.yonghui.id, items: [{ item, quantity: 1 }], idempotencyKey: `reverse-${newId()}` },
      viewers.yonghui,
    );
    expect((await reverse(made.deposit!.transfer.id)).userErrors.map((error) => error.code)).toEqual(['INSUFFICIENT_POINTS']);
    const paid = await run<{ redemption: { transfer: { id: string } } }>(bed, `query ($id: ID!) { redemption(id: $id) { transfer { id } } }`, viewers.admin, { id: spent.redemption!.id });
    expect((await reverse(paid.redemption.transfer.id, viewers.admin)).userErrors.map((error) => error.code)).toEqual(['INVALID_STATE']);
    expect((await pointsOf(bed, volunteer.accountId)).balance).toBe(5);
  });

  it('is for bank staff who serve the customer, and platform admins', async () => {
    const volunteer = await customerWith(bed, 0);
    const made = await deposit({ serviceRecord: newId(), person: volunteer.personId, category: 'home_repair', minutes: 60 });
    const input = { transfer: made.deposit!.transfer.id, reason: 'x' };
    for (const viewer of [viewers.unassignedClerk, viewerOf({ roles: ['volunteer'], personId: volunteer.personId }), viewers.yonghui, viewers.communityAdmin]) {
      expect(codeOf(await bed.points.execute(REVERSE, { variables: { input }, viewer }))).toBe('FORBIDDEN');
    }
    expect((await reverse(made.deposit!.transfer.id, viewers.admin)).reversal).not.toBeNull();
    const missing = await reverse(newId(), viewers.admin);
    expect(missing.userErrors.map(({ field, code }) => ({ field, code }))).toEqual([{ field: ['input', 'transfer'], code: 'NOT_FOUND' }]);
  });
});
