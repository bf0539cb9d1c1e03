/**
 * Per-request DataLoaders of the recognition subgraph: one statement per
 * batch, results in key order. Defined once; a request's set builds a loader
 * when a resolver first reads it (`defineLoaders`).
 */
import DataLoader from 'dataloader';
import { byIdLoader, defineLoaders, manyOfLoader, oneOfLoader, onlyUuids, type Database, type LoaderFactories } from '@lianxin/shared';
import { nearestThresholds, type StarThresholdSet } from './stars/rule.js';
import { findHomeChains, findStarChangesOfPersons, findStarsOfPersons, findThresholdsSetBy } from './stars/store.js';
import { findBadgeKinds, findBadgeRulesByIds, findBadgesByIds, findBadgesOfHolders } from './badges/store.js';
import type { BadgeKindRow } from './db/schema.js';
import { findOfficeIndicators } from './offices/store.js';
import { loadOfficeRatings, type OfficeRatingModel } from './offices/ratings.js';
import { findTalliesOfPersons } from './tallies/store.js';
import { findApplicationsByIds, findCertificatesByIds, findCertificatesOfPersons, findCertificatesOfProjects, findCertificatesOfSources } from './certificates/store.js';
import {
  findCampaignsByIds,
  findCategoriesOfCampaigns,
  findHonoursOfPersons,
  findNominationsOfCategories,
  findReviewersOfCampaigns,
  findStageChangesOfCampaigns,
  findWinnersOfCampaigns,
} from './campaigns/store.js';
import { competitionLoaders } from './competitions/loaders.js';

/** Makes a request's loader set from the database; its loaders are built when first read. */
export const createLoaders = defineLoaders({
  ...competitionLoaders,
  badgeById: (db) => byIdLoader(findBadgesByIds, db),
  /** A certificate with its status (revoked, under review); visibility is the service's to check. */
  certificateById: (db) => byIdLoader(findCertificatesByIds, db),
  certificateApplicationById: (db) => byIdLoader(findApplicationsByIds, db),
  /** The regions from the root down to a person's home, as people announced it; empty when unknown. Who administers the person's certificates. */
  homeChainOfPerson: (db) =>
    new DataLoader<string, string[]>(async (personIds) => {
      const chains = new Map((await findHomeChains(db, onlyUuids(personIds))).map((home) => [home.personId, home.chain]));
      return personIds.map((personId) => chains.get(personId) ?? []);
    }),
  /** The certificates made out to a person, newest first. */
  certificatesOfPerson: (db) => manyOfLoader(findCertificatesOfPersons, 'subjectId', db),
  /** A service project's honour certificates; visibility is the service's to check. */
  certificatesOfProject: (db) => manyOfLoader(findCertificatesOfProjects, 'subjectId', db),
  /** The honour certificates a campaign or competition issued; visibility is the service's to check. */
  certificatesOfSource: (db) => manyOfLoader(findCertificatesOfSources, 'sourceId', db),
  badgeRuleById: (db) => byIdLoader(findBadgeRulesByIds, db),
  /** The whole (small) badge catalogue, read once per request however many rules show their kind's name. */
  badgeCatalogue: (db) =>
    new DataLoader<'all', BadgeKindRow[]>(async (keys) => {
      const kinds = await findBadgeKinds(db);
      return keys.map(() => kinds);
    }),
  badgesOfPerson: (db) => manyOfLoader(findBadgesOfHolders, 'holderId', db),
  /** A person's tally row; null for someone nothing has been counted for yet. */
  tallyOfPerson: (db) => oneOfLoader(findTalliesOfPersons, 'personId', db),
  /** A savings office's indicators row; null for a unit no event has named yet. */
  indicatorsOfOffice: (db) => oneOfLoader(findOfficeIndicators, 'officeId', db),
  /** A savings office's rating for a year (null for another unit): its bank's offices are rated together, once per batch. */
  ratingOfOffice: (db) =>
    new DataLoader<{ officeId: string; year: number }, OfficeRatingModel | null, string>((keys) => loadOfficeRatings(db, keys), {
      cacheKeyFn: (key) => `${key.officeId}:${key.year}`,
    }),
  /** A person's current star row; null for someone whose level never changed from 0. */
  starOfPerson: (db) => oneOfLoader(findStarsOfPersons, 'personId', db),
  /** A person's star changes, newest first. */
  starChangesOfPerson: (db) => manyOfLoader(findStarChangesOfPersons, 'personId', db),
  /** The thresholds that apply to a person, from their home's chain: two statements per batch. */
  starThresholdsOfPerson: (db) =>
    new DataLoader<string, StarThresholdSet>(async (personIds) => {
      const homes = await findHomeChains(db, onlyUuids(personIds));
      const setBy = await findThresholdsSetBy(
        db,
        homes.flatMap((home) => home.chain),
      );
      const chains = new Map(homes.map((home) => [home.personId, home.chain]));
      return personIds.map((personId) => nearestThresholds(chains.get(personId) ?? [], setBy));
    }),
  campaignById: (db) => byIdLoader(findCampaignsByIds, db),
  categoriesOfCampaign: (db) => manyOfLoader(findCategoriesOfCampaigns, 'campaignId', db),
  stageChangesOfCampaign: (db) => manyOfLoader(findStageChangesOfCampaigns, 'campaignId', db),
  reviewersOfCampaign: (db) => manyOfLoader(findReviewersOfCampaigns, 'campaignId', db),
  winnersOfCampaign: (db) => manyOfLoader(findWinnersOfCampaigns, 'campaignId', db),
  nominationsOfCategory: (db) => manyOfLoader(findNominationsOfCategories, 'categoryId', db),
  /** A person's campaigns won and titles held, newest first. */
  honoursOfPerson: (db) => manyOfLoader(findHonoursOfPersons, 'personId', db),
} satisfies LoaderFactories<Database>);

export type RecognitionLoaders = ReturnType<typeof createLoaders>;
