/**
 * The points part of the demo data set (see @lianxin/shared demo cast):
 * a passbook for every volunteer and resident, with opening points issued
 * from the bank's issuance account. Idempotent: an account that exists is
 * skipped together with its opening transfer, so points are never issued twice.
 */
import { DEMO_RESIDENTS, DEMO_VOLUNTEERS, demoId, type Database } from '@lianxin/shared';
import { passbookNumber } from '../accounts/passbook.js';
import { transfer } from '../ledger/store.js';
import { ISSUANCE_ACCOUNT_ID, accounts } from './schema.js';

/** Demo passbooks use the 9xxxxxxxxxx serial block, which the passbook sequence never reaches. */
const DEMO_SERIAL_BASE = 90_000_000_000;

/** Opening points: the captain 王建国 (the start banner's sample person) has the most. */
const OPENING_POINTS = [360, 280, 240, 300, 180, 150, 120, 200, 90, 60, 45, 20, 30, 20, 50];

export const DEMO_ACCOUNTS = [...DEMO_VOLUNTEERS, ...DEMO_RESIDENTS].map((person, index) => ({
  id: demoId(21, index + 1),
  holderId: person.id,
  passbookNumber: passbookNumber(DEMO_SERIAL_BASE + index + 1),
  openingPoints: OPENING_POINTS[index] ?? 20,
  // demoId(20, 1) is left unused, so opening transfers start at 2.
  openingTransferId: demoId(20, index + 2),
}));

const DEMO_ACTOR = 'demo-data';

export async function seedPointsDemo(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    // Accounts opened a minute apart on 学雷锋纪念日 2022 keep the demo's order stable.
    const base = Date.UTC(2022, 2, 5, 1, 0, 0);
    for (const [index, account] of DEMO_ACCOUNTS.entries()) {
      const openedAt = new Date(base + index * 60_000);
      const inserted = await tx
        .insert(accounts)
        .values({
          id: account.id,
          kind: 'customer',
          holderId: account.holderId,
          passbookNumber: account.passbookNumber,
          openedAt,
          openedBy: DEMO_ACTOR,
        })
        .onConflictDoNothing()
        .returning({ id: accounts.id });
      if (inserted.length === 0) continue;
      await transfer(tx, {
        id: account.openingTransferId,
        debit: ISSUANCE_ACCOUNT_ID,
        credit: account.id,
        amount: account.openingPoints,
        cause: 'opening',
        createdBy: DEMO_ACTOR,
        createdAt: openedAt,
      });
    }
  });
}
