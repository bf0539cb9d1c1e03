/** Per-request DataLoaders of the recognition subgraph: one statement per batch, results in key order. */
import { byIdLoader, manyOfLoader, oneOfLoader, type Database } from '@lianxin/shared';
import DataLoader from 'dataloader';
import { findBadgeKinds, findBadgeRulesByIds, findBadgesByIds, findBadgesOfHolders } from './badges/store.js';
import type { BadgeKindRow } from './db/schema.js';
import { findOfficeIndicators } from './offices/store.js';
import { findTalliesOfPersons } from './tallies/store.js';

export function createLoaders(db: Database) {
  return {
    badgeById: byIdLoader(findBadgesByIds, db),
    badgeRuleById: byIdLoader(findBadgeRulesByIds, db),
    /** The whole (small) badge catalogue, read once per request however many rules show their kind's name. */
    badgeCatalogue: new DataLoader<'all', BadgeKindRow[]>(async (keys) => {
      const kinds = await findBadgeKinds(db);
      return keys.map(() => kinds);
    }),
    badgesOfPerson: manyOfLoader(findBadgesOfHolders, 'holderId', db),
    /** A person's tally row; null for someone nothing has been counted for yet. */
    tallyOfPerson: oneOfLoader(findTalliesOfPersons, 'personId', db),
    /** A savings office's indicators row; null for a unit no event has named yet. */
    indicatorsOfOffice: oneOfLoader(findOfficeIndicators, 'officeId', db),
  };
}

export type RecognitionLoaders = ReturnType<typeof createLoaders>;
