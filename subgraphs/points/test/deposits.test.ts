/** Deposits (积分入折) of the service records the bank learnt of, by rule, once per record, and reversals of transfers. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { eq } from 'drizzle-orm';
import { newId } from '@lianxin/shared';
import { DEMO_REGIONS } from '@lianxin/shared/demo';
import { viewerOf } from '@lianxin/shared/testing';
import { DEMO_BANK, DEMO_CLERK, DEMO_MERCHANTS } from '../src/db/demo.js';
import { ISSUANCE_ACCOUNT_ID, accounts, deposits } from '../src/db/schema.js';
import {
  codeOf,
  customerWith,
  expectBooksToBalance,
  knownPerson,
  knownRecord,
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

/** A new record of `volunteer`'s the bank learnt of, deposited by the Xingle clerk. */
async function depositNew(volunteer: string, minutes: number, category = 'home_repair') {
  return deposit({ serviceRecord: await knownRecord(bed, volunteer, minutes, category) });
}

/** The demo regions from the root down to 东院1号楼, in the Xingle office's community. */
const XINGLE_PLACE = [DEMO_REGIONS.xincheng.id, DEMO_REGIONS.xiyilu.id, DEMO_REGIONS.xingle.id, DEMO_REGIONS.xingleCompoundEast.id, DEMO_REGIONS.eastBuilding1.id];

describe('pointsDeposit', () => {
  it('deposits a record the bank learnt of by the rule for its category, with the record’s own volunteer, category and minutes', async () => {
    const volunteer = await customerWith(bed, 0);
    const serviceRecord = await knownRecord(bed, volunteer.personId, 95, 'home_repair');
    const done = await deposit({ serviceRecord });
    // 95 minutes at 20 points an hour is 31.67 points: 31 are deposited.
    expect(done).toEqual({
      deposit: {
        id: expect.any(String),
        points: 31,
        minutes: 95,
        pointsPerHour: 20,
        category: 'home_repair',
        transfer: { id: expect.any(String), cause: 'SERVICE_RECORD', amount: 31 },
      },
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

  it('deposits a record once: a replay returns the first deposit, and twenty racing replays make one', async () => {
    const volunteer = await customerWith(bed, 0);
    const input = { serviceRecord: await knownRecord(bed, volunteer.personId, 120, 'companionship') };
    const first = await deposit(input);
    expect(first.deposit!.points).toBe(20);
    expect(await deposit(input)).toEqual(first);
    const racing = { serviceRecord: await knownRecord(bed, volunteer.personId, 60, 'tutoring') };
    const results = await Promise.all(Array.from({ length: 20 }, () => deposit(racing)));
    expect(new Set(results.map((result) => result.deposit?.id)).size).toBe(1);
    expect(results.every((result) => result.userErrors.length === 0)).toBe(true);
    expect((await pointsOf(bed, volunteer.accountId)).balance).toBe(20 + 12);
  });

  it('is never made from what the caller says: a record the bank never learnt of is refused, and the database refuses a deposit of one', async () => {
    const volunteer = await customerWith(bed, 0);
    // Five calls with made-up records once gave a customer 2,400 points; now each is refused and nothing moves: NOT_FOUND to a
    // platform admin, who sees every record, and to a clerk what a record they may not see gets.
    for (let call = 0; call < 5; call += 1) {
      if (call % 2) {
        const refused = await deposit({ serviceRecord: newId() }, viewers.admin);
        expect(refused).toEqual({ deposit: null, userErrors: [{ field: ['input', 'serviceRecord'], code: 'NOT_FOUND', message: 'There is no such service record.' }] });
      } else {
        expect(codeOf(await bed.points.execute(DEPOSIT, { variables: { input: { serviceRecord: newId() } }, viewer: viewers.clerk }))).toBe('FORBIDDEN');
      }
    }
    // Fields a caller once gave (person, category, minutes) are no part of the input any more.
    const old = await bed.points.execute(DEPOSIT, {
      variables: { input: { serviceRecord: newId(), person: volunteer.personId, category: 'home_repair', minutes: 1440 } },
      viewer: viewers.clerk,
    });
    expect(codeOf(old)).toBe('BAD_USER_INPUT');
    expect((await pointsOf(bed, volunteer.accountId)).balance).toBe(0);

    const error = await bed.points.database.db
      .insert(deposits)
      .values({
        id: newId(),
        serviceRecordId: newId(),
        accountId: volunteer.accountId,
        personId: volunteer.personId,
        categoryCode: 'home_repair',
        minutes: 60,
        pointsPerHour: 20,
        amount: 20,
        transferId: newId(),
        createdBy: 'test',
      })
      .then(
        () => null,
        (caught: unknown) => caught,
      );
    expect(String((error as { cause?: unknown } | null)?.cause ?? error)).toContain('deposits_service_record_fk');
  });

  it('shows each of two deposits in one document the balance it left: the second sees the first', async () => {
    const volunteer = await customerWith(bed, 0);
    const [first, second] = [await knownRecord(bed, volunteer.personId, 60, 'home_repair'), await knownRecord(bed, volunteer.personId, 120, 'home_repair')];
    const both = await run<Record<'first' | 'second', { deposit: { points: number; account: { balance: number } } | null; userErrors: UserErrorShape[] }>>(
      bed,
      `mutation ($first: PointsDepositInput!, $second: PointsDepositInput!) {
        first: pointsDeposit(input: $first) { deposit { points account { balance } } userErrors { field code message } }
        second: pointsDeposit(input: $second) { deposit { points account { balance } } userErrors { field code message } }
      }`,
      viewers.clerk,
      { first: { serviceRecord: first }, second: { serviceRecord: second } },
    );
    // 60 minutes at 20 points an hour, then 120: the second payload reads the account after both deposits, not as the first left it.
    expect(both).toEqual({
      first: { deposit: { points: 20, account: { balance: 20 } }, userErrors: [] },
      second: { deposit: { points: 40, account: { balance: 60 } }, userErrors: [] },
    });
  });

  it('refuses too short a record, a category without a rule, and malformed input', async () => {
    const volunteer = await customerWith(bed, 0);
    const cases: [Record<string, unknown>, { field: string[]; code: string }][] = [
      // 11 minutes at 5 points an hour is 0.92 of a point.
      [{ serviceRecord: await knownRecord(bed, volunteer.personId, 11, 'other') }, { field: ['input', 'serviceRecord'], code: 'INVALID_STATE' }],
      [{ serviceRecord: await knownRecord(bed, volunteer.personId, 60, 'space_travel') }, { field: ['input', 'serviceRecord'], code: 'NOT_FOUND' }],
      [{ serviceRecord: 'record-1' }, { field: ['input', 'serviceRecord'], code: 'INVALID' }],
    ];
    for (const [input, expected] of cases) {
      const refused = await deposit(input);
      expect(refused.deposit).toBeNull();
      expect(refused.userErrors.map(({ field, code }) => ({ field, code }))).toEqual([expected]);
    }
    expect((await pointsOf(bed, volunteer.accountId)).balance).toBe(0);
  });

  it('deposits a record kept for want of a rule once the bank sets one', async () => {
    const volunteer = await customerWith(bed, 0);
    const category = `test_${newId().slice(-12)}`;
    const serviceRecord = await knownRecord(bed, volunteer.personId, 90, category);
    const waiting = await deposit({ serviceRecord });
    expect(waiting.userErrors).toEqual([
      { field: ['input', 'serviceRecord'], code: 'NOT_FOUND', message: `The bank has no deposit rule for ${category} yet: set one, then deposit the record.` },
    ]);
    const set = await run<{ depositRuleSet: { userErrors: UserErrorShape[] } }>(
      bed,
      `mutation ($input: DepositRuleSetInput!) { depositRuleSet(input: $input) { userErrors { field code message } } }`,
      viewers.admin,
      { input: { bank: DEMO_BANK.head.id, category, pointsPerHour: 40 } },
    );
    expect(set.depositRuleSet.userErrors).toEqual([]);
    expect((await deposit({ serviceRecord })).deposit).toMatchObject({ points: 60, minutes: 90, pointsPerHour: 40, category });
    expect((await pointsOf(bed, volunteer.accountId)).balance).toBe(60);
  });

  it('opens a passbook at the office covering the record’s place for a volunteer without one', async () => {
    const volunteer = await knownPerson(bed);
    const serviceRecord = await knownRecord(bed, volunteer, 30, 'home_repair', { place: XINGLE_PLACE });
    const done = await deposit({ serviceRecord });
    expect(done.deposit?.points).toBe(10);
    const [account] = await bed.points.database.db.select().from(accounts).where(eq(accounts.holderId, volunteer));
    expect(account).toMatchObject({ officeId: DEMO_BANK.xingleOffice.id, balance: 10, openedBy: viewers.clerk.subject });

    // Nowhere a savings office covers: a platform admin is told to open an account first; a clerk is told what they would be of an unknown record.
    const elsewhere = await knownRecord(bed, await knownPerson(bed), 30, 'home_repair', { place: [newId(), newId()] });
    expect((await deposit({ serviceRecord: elsewhere }, viewers.admin)).userErrors.map((error) => error.code)).toEqual(['INVALID_STATE']);
    expect(codeOf(await bed.points.execute(DEPOSIT, { variables: { input: { serviceRecord: elsewhere } }, viewer: viewers.clerk }))).toBe('FORBIDDEN');
  });

  it('never deposits the caller’s own service, and refuses a volunteer the bank does not know', async () => {
    // 林晓 clerks at the Xingle office and has served in Xingle herself.
    const own = await knownRecord(bed, DEMO_CLERK.personId, 60, 'home_repair', { place: XINGLE_PLACE });
    const refused = await deposit({ serviceRecord: own });
    expect(refused).toEqual({ deposit: null, userErrors: [{ field: ['input', 'serviceRecord'], code: 'NOT_ALLOWED', message: expect.stringContaining('your own service') }] });
    const made = await deposit({ serviceRecord: own }, viewers.admin);
    expect(made.deposit?.points).toBe(20);
    // Refused again once deposited, the answer shows the deposit as it stands: her own, so her account is hers to read.
    const again = await deposit({ serviceRecord: own.toUpperCase() });
    expect(again.userErrors.map((error) => error.code)).toEqual(['NOT_ALLOWED']);
    expect(again.deposit).toEqual(made.deposit);
    // A malformed id names nothing to show.
    expect(await deposit({ serviceRecord: 'not-a-record' })).toEqual({
      deposit: null,
      userErrors: [expect.objectContaining({ field: ['input', 'serviceRecord'], code: 'INVALID' })],
    });

    const stranger = await knownRecord(bed, newId(), 60, 'home_repair', { place: XINGLE_PLACE });
    const unknown = await deposit({ serviceRecord: stranger });
    expect(unknown.userErrors).toEqual([{ field: ['input', 'serviceRecord'], code: 'NOT_FOUND', message: expect.stringContaining('not known to the bank') }]);
  });

  it('is for the clerks of the office the points go to and platform admins; anyone else is refused before the record is read', async () => {
    const volunteer = await customerWith(bed, 0);
    const waiting = await knownRecord(bed, volunteer.personId, 60, 'cleaning');
    const deposited = await knownRecord(bed, volunteer.personId, 60, 'cleaning');
    expect((await deposit({ serviceRecord: deposited })).deposit?.points).toBe(10);
    for (const serviceRecord of [waiting, deposited, newId()]) {
      const input = { serviceRecord };
      for (const viewer of [viewerOf({ roles: ['volunteer'], personId: volunteer.personId }), viewers.communityAdmin, viewers.yonghui, viewers.analyst]) {
        const refused = await bed.points.execute(DEPOSIT, { variables: { input }, viewer });
        expect(codeOf(refused)).toBe('FORBIDDEN');
        expect(refused.errors?.[0]?.message).toBe('Your role may not deposit points.');
      }
      expect(codeOf(await bed.points.execute(DEPOSIT, { variables: { input } }))).toBe('UNAUTHENTICATED');
      // A clerk of no office hears of a waiting record, a deposited one and an unknown one alike: FORBIDDEN, in the same words.
      const unseen = await bed.points.execute(DEPOSIT, { variables: { input }, viewer: viewers.unassignedClerk });
      expect(unseen.errors?.map((error) => [error.extensions?.['code'], error.message])).toEqual([['FORBIDDEN', 'There is no such service record, or you may not see it.']]);
    }
    expect((await deposit({ serviceRecord: waiting }, viewers.admin)).deposit!.points).toBe(10);
    expect((await pointsOf(bed, volunteer.accountId)).balance).toBe(20);
  });
});

describe('transferReverse', () => {
  const REVERSE = `mutation ($input: TransferReverseInput!) { transferReverse(input: $input) {
    reversal { id cause amount note reverses { id reversedBy { id } } debitAccount { id } creditAccount { id } } userErrors { field code message } } }`;
  const reverse = async (transfer: string, viewer = viewers.clerk) =>
    (
      await run<{
        transferReverse: {
          reversal: { id: string; cause: string; amount: number; note: string; reverses: { id: string; reversedBy: { id: string } } } | null;
          userErrors: UserErrorShape[];
        };
      }>(bed, REVERSE, viewer, { input: { transfer, reason: '服务记录录入错误' } })
    ).transferReverse;

  it('corrects a deposit with a mirror transfer, once', async () => {
    const volunteer = await customerWith(bed, 0);
    const made = await depositNew(volunteer.personId, 60);
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
    const made = await depositNew(volunteer.personId, 30);
    const results = await Promise.all(Array.from({ length: 10 }, () => reverse(made.deposit!.transfer.id)));
    expect(results.filter((result) => result.userErrors.length === 0)).toHaveLength(1);
    expect(results.flatMap((result) => result.userErrors.map((error) => error.code))).toEqual(Array.from({ length: 9 }, () => 'ALREADY_EXISTS'));
    // The nine refused carry the one reversal that was made.
    const [winner] = results.filter((result) => result.userErrors.length === 0);
    expect(results.map((result) => result.reversal?.id)).toEqual(Array.from({ length: 10 }, () => winner!.reversal!.id));
    expect((await pointsOf(bed, volunteer.accountId)).balance).toBe(0);
  });

  it('cannot take back points already spent, and does not undo redemptions', async () => {
    const volunteer = await customerWith(bed, 0);
    const made = await depositNew(volunteer.personId, 60);
    const item = await yonghuiItem(bed, 15, 5);
    const spent = await redemption(
      bed,
      'redemptionCreate',
      { passbookNumber: volunteer.passbookNumber, merchant: DEMO_MERCHANTS.yonghui.id, items: [{ item, quantity: 1 }], idempotencyKey: `reverse-${newId()}` },
      viewers.yonghui,
    );
    expect((await reverse(made.deposit!.transfer.id)).userErrors.map((error) => error.code)).toEqual(['INSUFFICIENT_POINTS']);
    const paid = await run<{ redemption: { transfer: { id: string } } }>(bed, `query ($id: ID!) { redemption(id: $id) { transfer { id } } }`, viewers.admin, {
      id: spent.redemption!.id,
    });
    expect((await reverse(paid.redemption.transfer.id, viewers.admin)).userErrors.map((error) => error.code)).toEqual(['INVALID_STATE']);
    expect((await pointsOf(bed, volunteer.accountId)).balance).toBe(5);
  });

  it('is for bank staff who serve the customer, and platform admins; another clerk sees a deposit but may not reverse it, whatever its state', async () => {
    const volunteer = await customerWith(bed, 0);
    const made = await depositNew(volunteer.personId, 60);
    const standing = made.deposit!.transfer.id;
    const reversedBefore = (await depositNew(volunteer.personId, 30)).deposit!.transfer.id;
    expect((await reverse(reversedBefore)).reversal).not.toBeNull();
    for (const transfer of [standing, reversedBefore, newId()]) {
      const input = { transfer, reason: 'x' };
      for (const viewer of [viewerOf({ roles: ['volunteer'], personId: volunteer.personId }), viewers.yonghui, viewers.communityAdmin]) {
        expect(codeOf(await bed.points.execute(REVERSE, { variables: { input }, viewer }))).toBe('FORBIDDEN');
      }
    }
    // Every clerk keeps part of the bank's own book, so sees a deposit from it: NOT_ALLOWED to one who serves none of its customers,
    // beside the earlier reversal where there is one (as `transfer(id) { reversedBy }` shows it to them).
    const notAllowed = [
      { field: ['input', 'transfer'], code: 'NOT_ALLOWED', message: 'Only the clerks who serve a customer the transfer touched, and platform admins, reverse it.' },
    ];
    const reverseSeenFromTheBank = `mutation ($input: TransferReverseInput!) { transferReverse(input: $input) {
      reversal { id cause reverses { id } creditAccount { id } } userErrors { field code message } } }`;
    const earlier = await run<{ transfer: { reversedBy: { id: string } } }>(bed, `query ($id: ID!) { transfer(id: $id) { reversedBy { id } } }`, viewers.admin, {
      id: reversedBefore,
    });
    for (const [transfer, reversal] of [
      [standing, null],
      [reversedBefore, { id: earlier.transfer.reversedBy.id, cause: 'REVERSAL', reverses: { id: reversedBefore }, creditAccount: { id: ISSUANCE_ACCOUNT_ID } }],
    ] as const) {
      expect(await run(bed, reverseSeenFromTheBank, viewers.unassignedClerk, { input: { transfer, reason: 'x' } })).toEqual({
        transferReverse: { reversal, userErrors: notAllowed },
      });
    }
    // An unknown transfer is FORBIDDEN to a clerk, in the words for one they may not see.
    const unknown = await bed.points.execute(REVERSE, { variables: { input: { transfer: newId(), reason: 'x' } }, viewer: viewers.unassignedClerk });
    expect(unknown.errors?.map((error) => [error.extensions?.['code'], error.message])).toEqual([['FORBIDDEN', 'There is no such transfer, or you may not see it.']]);
    expect((await reverse(standing, viewers.admin)).reversal).not.toBeNull();
    const missing = await reverse(newId(), viewers.admin);
    expect(missing.userErrors.map(({ field, code }) => ({ field, code }))).toEqual([{ field: ['input', 'transfer'], code: 'NOT_FOUND' }]);
    expect(missing.reversal).toBeNull();
  });
});
