/**
 * The points part of the demo data set (see the @lianxin/shared/demo cast): a
 * public welfare bank for the demo district on Yanjiang's three-tier model
 * (head bank → a branch per street → a savings office at each community's
 * practice station), its deposit rules, love-alliance merchants (Yonghui, a
 * happy supermarket and a charity supermarket) with catalogues and the
 * central exchange, the urban–rural pairing of Xingle's office with
 * Baotai's and the Baotai cooperative's products, a passbook for every demo volunteer and resident with
 * opening points issued from the issuance account, the community charity
 * fund, the Xingle office's charity granary with its rice and oil, and the demo cast in the directory of persons the bank acts for. Idempotent: rows
 * that exist are skipped, and an account that exists is skipped together
 * with its opening transfer, so points are never issued twice.
 *
 * One file per module under `demo/`, written in one transaction in the order
 * foreign keys need.
 */
import type { Database } from '@lianxin/shared';
import type { PointsSettings } from '../settings.js';
import { seedCustomers } from './demo/accounts.js';
import { seedBank } from './demo/bank.js';
import { seedDirectory } from './demo/directory.js';
import { seedFund } from './demo/fund.js';
import { seedGranaries } from './demo/granaries.js';
import { seedMerchants } from './demo/merchants.js';

export { DEMO_ACCOUNTS, DEMO_MORE_ACCOUNTS } from './demo/accounts.js';
export { DEMO_BANK, DEMO_CLERK, DEMO_DEPOSIT_RULES, DEMO_PAIRING, DEMO_STATIONS } from './demo/bank.js';
export { DEMO_KNOWN_PERSONS } from './demo/directory.js';
export { DEMO_FUND } from './demo/fund.js';
export { DEMO_GRANARY } from './demo/granaries.js';
export { DEMO_MERCHANTS, DEMO_ORGANIZATIONS, DEMO_SANDBOX_MERCHANT } from './demo/merchants.js';

export async function seedPointsDemo(db: Database, _settings?: PointsSettings): Promise<void> {
  await db.transaction(async (tx) => {
    await seedDirectory(tx);
    await seedBank(tx);
    await seedMerchants(tx);
    await seedCustomers(tx);
    await seedFund(tx);
    await seedGranaries(tx);
  });
}
