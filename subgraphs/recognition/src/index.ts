/** The recognition subgraph: badges, service tallies, volunteer stars, savings-office indicators, statistics and leaderboards (docs/domain.md#recognition). */
import { defineSubgraph, mergeResolvers } from '@lianxin/shared';
import { enumResolvers } from './__generated__/enums.js';
import type { Resolvers } from './__generated__/resolvers-types.js';
import { badgeResolvers } from './badges/resolvers.js';
import { certificateResolvers } from './certificates/resolvers.js';
import { campaignResolvers } from './campaigns/resolvers.js';
import { competitionResolvers } from './competitions/resolvers.js';
import { createRecognitionContext, type RecognitionContext } from './context.js';
import { seedRecognitionDemo } from './db/demo.js';
import { recognitionJobs } from './jobs.js';
import { leaderboardResolvers } from './leaderboards/resolvers.js';
import { officeResolvers } from './offices/resolvers.js';
import { reviewResolvers } from './reviews/resolvers.js';
import { starResolvers } from './stars/resolvers.js';
import { statsResolvers } from './stats/resolvers.js';
import { tallyResolvers } from './tallies/resolvers.js';

import { recognitionConsumer } from './events/consume.js';

export { recognitionConsumer };
/** For the modules that honour winners inside their own transactions (campaigns, competitions). */
export { issueHonourCertificate, type HonourCertificateInput } from './certificates/service.js';

export const recognitionSubgraph = defineSubgraph<RecognitionContext>({
  name: 'recognition',
  root: new URL('..', import.meta.url),
  resolvers: mergeResolvers<Resolvers>(
    enumResolvers,
    badgeResolvers,
    tallyResolvers,
    officeResolvers,
    statsResolvers,
    starResolvers,
    leaderboardResolvers,
    reviewResolvers,
    certificateResolvers,
    campaignResolvers,
    competitionResolvers,
  ),
  createContext: createRecognitionContext,
  seedDemo: seedRecognitionDemo,
  consumer: recognitionConsumer,
  jobs: recognitionJobs,
});
