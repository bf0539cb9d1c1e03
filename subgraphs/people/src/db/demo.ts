/**
 * The people part of the demo data set (see the @lianxin/shared/demo cast),
 * one file per module under `demo/`, written in one transaction in the order
 * foreign keys need. Idempotent: fixed ids, and rows that exist are left as
 * they are. Phones and ID numbers are synthetic: checksum-valid numbers
 * derived from each person's place in the cast, sealed with the configured
 * key like any other.
 */
import type { Database } from '@lianxin/shared';
import type { PeopleSettings } from '../settings.js';
import { seedBreadth } from './demo/breadth.js';
import { seedGrids } from './demo/grids.js';
import { seedHouseholds } from './demo/households.js';
import { seedJimoCaseload } from './demo/jimo.js';
import { seedOrganizations } from './demo/organizations.js';
import { seedPersons, seedVolunteerProfiles } from './demo/persons.js';
import { seedBuildingCaptains, seedRegions } from './demo/regions.js';
import { seedStations } from './demo/stations.js';
import { seedTeams } from './demo/teams.js';
import { rewriteHouseholdCells } from '../stats/service.js';

export { demoIdNumber, demoPhone } from './demo/cast.js';

export async function seedPeopleDemo(db: Database, settings: PeopleSettings): Promise<void> {
  await db.transaction(async (tx) => {
    await seedRegions(tx);
    await seedPersons(tx, settings);
    await seedVolunteerProfiles(tx);
    await seedStations(tx);
    await seedOrganizations(tx);
    await seedGrids(tx);
    await seedBuildingCaptains(tx);
    await seedTeams(tx);
    await seedHouseholds(tx);
    await seedJimoCaseload(tx, settings);
    await seedBreadth(tx, settings);
    await rewriteHouseholdCells(tx, settings.analyticsMinCell);
  });
}
