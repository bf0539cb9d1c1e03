/** A passbook for every demo volunteer and resident, with opening points issued from the issuance account. */
import { eq } from 'drizzle-orm';
import type { Transaction } from '@lianxin/shared';
import { DEMO_MORE_VOLUNTEERS, DEMO_REGIONS, DEMO_RESIDENTS, DEMO_VOLUNTEERS, DEMO_XINCHENG_REGIONS, demoId, demoTime } from '@lianxin/shared/demo';
import { passbookNumber } from '../../accounts/passbook.js';
import { publishAccountOpened } from '../../events/publish.js';
import { transfer } from '../../ledger/store.js';
import { ISSUANCE_ACCOUNT_ID, accounts, bankUnits } from '../schema.js';
import { DEMO_BANK, type DemoUnit } from './bank.js';
import { DEMO_ACTOR, DEMO_SERIAL_BASE } from './base.js';

/** The savings office of each demo community. */
const OFFICE_OF_COMMUNITY: Record<string, DemoUnit> = {
  xingle: DEMO_BANK.xingleOffice,
  ziming: DEMO_BANK.zimingOffice,
  xiangyang: DEMO_BANK.xiangyangOffice,
  xiangrong: DEMO_BANK.xiangrongOffice,
};

/** The community a demo building (or compound) lies in. */
function communityOf(key: string): string {
  const regions: Record<string, { kind: string; parent: string | null }> = { ...DEMO_REGIONS, ...DEMO_XINCHENG_REGIONS };
  for (let current: string | null = key; current !== null; current = regions[current]?.parent ?? null) {
    if (regions[current]?.kind === 'community') return current;
  }
  throw new Error(`demo region ${key} lies in no community`);
}

/** Opening points: the captain 王建国 (the start banner's sample person) has the most. */
const OPENING_POINTS = [360, 280, 240, 300, 180, 150, 120, 200, 90, 60, 45, 20, 30, 20, 50];

/** Passbooks of the first cast (the 乐修匠 volunteers and the three residents), all at the Xingle office. */
export const DEMO_ACCOUNTS = [...DEMO_VOLUNTEERS, ...DEMO_RESIDENTS].map((person, index) => ({
  id: demoId(21, index + 1),
  holderId: person.id,
  officeId: DEMO_BANK.xingleOffice.id,
  passbookNumber: passbookNumber(DEMO_SERIAL_BASE + index + 1),
  openingPoints: OPENING_POINTS[index] ?? 20,
  // demoId(20, 1) is left unused, so opening transfers start at 2.
  openingTransferId: demoId(20, index + 2),
}));

/** Passbooks of the district's other volunteers, each at the office of the community they live in. */
export const DEMO_MORE_ACCOUNTS = DEMO_MORE_VOLUNTEERS.map((person, index) => ({
  id: demoId(21, 0x200 + index),
  holderId: person.id,
  officeId: (OFFICE_OF_COMMUNITY[communityOf(person.home)] ?? DEMO_BANK.xingleOffice).id,
  passbookNumber: passbookNumber(DEMO_SERIAL_BASE + 0x200 + index),
  openingPoints: 20 + ((index * 37) % 180),
  openingTransferId: demoId(20, 0x200 + index),
}));

export async function seedCustomers(tx: Transaction): Promise<void> {
  // Accounts opened a minute apart on the stories' 学雷锋纪念日 (5 March, moved relative to today as every demo moment is) keep the demo's order stable.
  const base = demoTime(Date.UTC(2022, 2, 5, 1, 0, 0)).getTime();
  for (const [index, account] of [...DEMO_ACCOUNTS, ...DEMO_MORE_ACCOUNTS].entries()) {
    const openedAt = new Date(base + index * 60_000);
    const inserted = await tx
      .insert(accounts)
      .values({
        id: account.id,
        kind: 'customer',
        holderId: account.holderId,
        officeId: account.officeId,
        passbookNumber: account.passbookNumber,
        openedAt,
        openedBy: DEMO_ACTOR,
      })
      .onConflictDoNothing()
      .returning();
    const opened = inserted[0];
    if (!opened) continue;
    await transfer(tx, {
      id: account.openingTransferId,
      debit: ISSUANCE_ACCOUNT_ID,
      credit: account.id,
      amount: account.openingPoints,
      cause: 'opening',
      createdBy: DEMO_ACTOR,
      createdAt: openedAt,
    });
    // Announced as accountOpen announces it: recognition counts the office's customers from the event.
    const [office] = await tx.select().from(bankUnits).where(eq(bankUnits.id, opened.officeId!));
    await publishAccountOpened(tx, opened, office!);
  }
}
