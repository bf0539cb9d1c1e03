/** The requests subgraph: orders and dispatch, tiered prices, micro-wishes, activities, service records, alerts and caseloads (docs/domain.md#service). */
import { defineSubgraph, mergeResolvers } from '@lianxin/shared';
import { requestsConsumer } from './events/consume.js';
import { enumResolvers } from './__generated__/enums.js';
import { type Resolvers } from './__generated__/resolvers-types.js';
import { activityResolvers } from './activities/resolvers.js';
import { alertResolvers } from './alerts/resolvers.js';
import { deviceWebhookRoutes } from './alerts/webhook.js';
import { caseloadResolvers } from './caseloads/resolvers.js';
import { dutyResolvers } from './duty/resolvers.js';
import { categoryResolvers } from './categories/resolvers.js';
import { createRequestsContext, type RequestsContext } from './context.js';
import { seedRequestsDemo } from './db/demo.js';
import { requestsJobs } from './jobs.js';
import { menuResolvers } from './menu/resolvers.js';
import { planResolvers } from './plans/resolvers.js';
import { pricingResolvers } from './pricing/resolvers.js';
import { recordResolvers } from './records/resolvers.js';
import { requestResolvers } from './requests/resolvers.js';
import { readRequestsSettings, type RequestsSettings } from './settings.js';
import { statsResolvers } from './stats/resolvers.js';
import { wishResolvers } from './wishes/resolvers.js';
import { wishHoursResolvers } from './wishes/hours-resolvers.js';
import { outcomeResolvers } from './outcomes/resolvers.js';
import { seriesResolvers } from './series/resolvers.js';

export const requestsSubgraph = defineSubgraph<RequestsContext, RequestsSettings>({
  name: 'requests',
  root: new URL('..', import.meta.url),
  resolvers: mergeResolvers<Resolvers>(
    enumResolvers,
    categoryResolvers,
    requestResolvers,
    pricingResolvers,
    wishResolvers,
    wishHoursResolvers,
    activityResolvers,
    outcomeResolvers,
    seriesResolvers,
    recordResolvers,
    alertResolvers,
    caseloadResolvers,
    dutyResolvers,
    statsResolvers,
    menuResolvers,
    planResolvers,
  ),
  settings: readRequestsSettings,
  createContext: createRequestsContext,
  seedDemo: seedRequestsDemo,
  consumer: requestsConsumer,
  routes: deviceWebhookRoutes,
  jobs: requestsJobs,
});

export { DEV_DEVICE_PLATFORM } from './settings.js';
export { requestsConsumer };
