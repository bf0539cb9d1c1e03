/** Merchants' webhooks: thin resolvers over the service. */
import { required, toPayload, type Result } from '@lianxin/shared';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { attemptsOf, createWebhook, deleteWebhook, deliveriesOf, redeliver, rotateWebhookSecret, updateWebhookOf, webhooksOf, type WebhookWithSecret } from './service.js';

/** The payload of a call that shows the secret: the endpoint and the secret, or neither. */
function withSecret(result: Result<WebhookWithSecret>) {
  const payload = toPayload('made', result);
  return { webhook: payload.made?.webhook ?? null, secret: payload.made?.secret ?? null, userErrors: payload.userErrors };
}

export const webhookResolvers: Resolvers = {
  Mutation: {
    merchantWebhookCreate: async (_parent, { input }, ctx) => withSecret(await createWebhook(ctx, input)),
    merchantWebhookUpdate: async (_parent, { input }, ctx) => toPayload('webhook', await updateWebhookOf(ctx, input)),
    merchantWebhookDelete: async (_parent, { input }, ctx) => toPayload('webhook', await deleteWebhook(ctx, input)),
    merchantWebhookSecretRotate: async (_parent, { input }, ctx) => withSecret(await rotateWebhookSecret(ctx, input)),
    merchantWebhookRedeliver: async (_parent, { input }, ctx) => toPayload('delivery', await redeliver(ctx, input)),
  },
  Merchant: {
    webhooks: (merchant, _args, ctx) => webhooksOf(ctx, merchant),
  },
  MerchantWebhook: {
    merchant: async (webhook, _args, ctx) => required(await ctx.loaders.merchantById.load(webhook.merchantId), `merchant of webhook ${webhook.id}`),
    deliveries: (webhook, { status, first, after }, ctx) => deliveriesOf(ctx, webhook, { status, first, after }),
  },
  MerchantWebhookDelivery: {
    attemptLog: (delivery, _args, ctx) => attemptsOf(ctx, delivery),
  },
};
