/** The recognition subgraph: badges, service tallies and savings-office indicators (docs/domain.md#recognition). */
import { defineSubgraph } from '@lianxin/shared';
import { badgeResolvers } from './badges/resolvers.js';
import { createRecognitionContext, type RecognitionContext } from './context.js';
import { seedRecognitionDemo } from './db/demo.js';
import { officeResolvers } from './offices/resolvers.js';
import { tallyResolvers } from './tallies/resolvers.js';

import { recognitionConsumer } from './events/consume.js';

export { recognitionConsumer };

const resolvers = {
  Query: { ...badgeResolvers.Query },
  Badge: badgeResolvers.Badge,
  Person: { ...badgeResolvers.Person, ...tallyResolvers.Person },
  BankUnit: officeResolvers.BankUnit,
};

export const recognitionSubgraph = defineSubgraph<RecognitionContext>({
  name: 'recognition',
  root: new URL('..', import.meta.url),
  resolvers,
  createContext: createRecognitionContext,
  seedDemo: seedRecognitionDemo,
  consumer: recognitionConsumer,
});
