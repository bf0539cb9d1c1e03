/**
 * The requests part of the demo data set (see the @lianxin/shared/demo cast),
 * told from the seed's stories: 乐修匠 repairs at the three price tiers, the
 * Jimo special-needs deliveries, a Xingle micro-wish, a Lezhi-style activity
 * day, the spring's gate duty, and a call button at an elder's home as in
 * Ziming community. Also the directory (the read model of people facts) for
 * the whole cast. One file per module under `demo/`, written in one
 * transaction in the order foreign keys need. Idempotent: fixed ids in groups 10–19, and rows that exist stay as
 * they are.
 */
import type { Database } from '@lianxin/shared';
import type { RequestsSettings } from '../settings.js';
import { seedAttendances, seedActivities } from './demo/activities.js';
import { seedBreadth } from './demo/breadth.js';
import { seedAlerts, seedDevices } from './demo/alerts.js';
import { seedCaseloads } from './demo/caseloads.js';
import { seedJimoCaseload } from './demo/jimo.js';
import { seedDirectory } from './demo/directory.js';
import { seedDuty } from './demo/duty.js';
import { seedGateRoster } from './demo/gate-roster.js';
import { seedMenu } from './demo/menu.js';
import { seedCarePlans } from './demo/plans.js';
import { seedPriceRules, seedPrices } from './demo/pricing.js';
import { seedRecords } from './demo/records.js';
import { seedRequests } from './demo/requests.js';
import { seedRosters } from './demo/rosters.js';
import { seedWishes } from './demo/wishes.js';
import { seedCounts } from './demo/counts.js';

export async function seedRequestsDemo(db: Database, _settings?: RequestsSettings): Promise<void> {
  await db.transaction(async (tx) => {
    await seedDirectory(tx);
    await seedPriceRules(tx);
    await seedDevices(tx);
    await seedRequests(tx);
    await seedPrices(tx);
    await seedActivities(tx);
    await seedRecords(tx);
    await seedAttendances(tx);
    await seedDuty(tx);
    await seedRosters(tx);
    await seedGateRoster(tx);
    await seedAlerts(tx);
    await seedWishes(tx);
    await seedCaseloads(tx);
    await seedJimoCaseload(tx);
    await seedMenu(tx);
    await seedCarePlans(tx);
    await seedCounts(tx);
    await seedBreadth(tx);
  });
}
