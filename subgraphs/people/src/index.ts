/** The people subgraph: regions, grids, stations, persons, households, organisations and teams (docs/domain.md#places-and-people). */
import { defineSubgraph, mergeResolvers } from '@lianxin/shared';
import { enumResolvers } from './__generated__/enums.js';
import type { Resolvers } from './__generated__/resolvers-types.js';
import { createPeopleContext, type PeopleContext } from './context.js';
import { seedPeopleDemo } from './db/demo.js';
import { gridResolvers } from './grids/resolvers.js';
import { peopleConsumer } from './events/consume.js';
import { householdResolvers } from './households/resolvers.js';
import { notificationResolvers } from './notifications/resolvers.js';
import { notificationStreamRoutes } from './notifications/stream.js';
import { organizationResolvers } from './organizations/resolvers.js';
import { personResolvers } from './persons/resolvers.js';
import { privacyResolvers } from './privacy/resolvers.js';
import { regionResolvers } from './regions/resolvers.js';
import { readPeopleSettings, type PeopleSettings } from './settings.js';
import { stationResolvers } from './stations/resolvers.js';
import { statsResolvers } from './stats/resolvers.js';
import { rewriteHouseholdCells } from './stats/service.js';
import { teamResolvers } from './teams/resolvers.js';
import { allianceResolvers } from './alliances/resolvers.js';
import { guardianResolvers } from './guardians/resolvers.js';
import { viewerResolvers } from './viewer/resolvers.js';
import { peopleJobs } from './jobs.js';

export const peopleSubgraph = defineSubgraph<PeopleContext, PeopleSettings>({
  name: 'people',
  root: new URL('..', import.meta.url),
  resolvers: mergeResolvers<Resolvers>(
    enumResolvers,
    regionResolvers,
    gridResolvers,
    stationResolvers,
    personResolvers,
    householdResolvers,
    organizationResolvers,
    teamResolvers,
    allianceResolvers,
    guardianResolvers,
    privacyResolvers,
    viewerResolvers,
    notificationResolvers,
    statsResolvers,
  ),
  settings: readPeopleSettings,
  createContext: createPeopleContext,
  seedDemo: seedPeopleDemo,
  // The household cells BI tools read: filled after the migration that makes them, recomputed when ANALYTICS_MIN_CELL changes.
  prepare: (db, settings) => db.transaction((tx) => rewriteHouseholdCells(tx, settings.analyticsMinCell)),
  consumer: peopleConsumer,
  jobs: peopleJobs,
  routes: notificationStreamRoutes,
});

export { peopleConsumer };
export { rotateDataKey, ROTATION_VIEWER_SUBJECT, type RotationProgress } from './privacy/rotation.js';
export { readDataKeyRotation, type DataKeyRotation } from './settings.js';

export type { PeopleSettings };
