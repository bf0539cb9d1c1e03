/** The requests subgraph: orders and dispatch, tiered prices, micro-wishes, activities, service records, alerts and caseloads (docs/domain.md#service). */
import { defineSubgraph } from '@lianxin/shared';
import { requestsConsumer } from './events/consume.js';
import { activityResolvers } from './activities/resolvers.js';
import { alertResolvers } from './alerts/resolvers.js';
import { deviceWebhookRoutes } from './alerts/webhook.js';
import { caseloadResolvers } from './caseloads/resolvers.js';
import { categoryResolvers } from './categories/resolvers.js';
import { createRequestsContext, type RequestsContext } from './context.js';
import { seedRequestsDemo } from './db/demo.js';
import { pricingResolvers } from './pricing/resolvers.js';
import { recordResolvers } from './records/resolvers.js';
import { requestResolvers } from './requests/resolvers.js';
import { readRequestsSettings, type RequestsSettings } from './settings.js';
import { wishResolvers } from './wishes/resolvers.js';

const modules = [categoryResolvers, requestResolvers, pricingResolvers, wishResolvers, activityResolvers, recordResolvers, alertResolvers, caseloadResolvers];

/** Merges the modules' resolver maps type by type (Query, Mutation and Person have fields from several). */
function mergeResolvers(maps: readonly Record<string, object | undefined>[]): Record<string, object> {
  const merged: Record<string, object> = {};
  for (const map of maps) {
    for (const [type, fields] of Object.entries(map)) {
      if (fields) merged[type] = { ...merged[type], ...fields };
    }
  }
  return merged;
}

export const requestsSubgraph = defineSubgraph<RequestsContext, RequestsSettings>({
  name: 'requests',
  root: new URL('..', import.meta.url),
  resolvers: mergeResolvers(modules),
  settings: readRequestsSettings,
  createContext: createRequestsContext,
  seedDemo: seedRequestsDemo,
  consumer: requestsConsumer,
  routes: deviceWebhookRoutes,
});

export { DEV_DEVICE_PLATFORM } from './settings.js';
export { requestsConsumer };
