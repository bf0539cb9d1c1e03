/**
 * Merchants' webhook endpoints: registering, changing, deleting and
 * re-keying them, reading them with their delivery log, and queuing a
 * delivery again. The merchant itself registers its endpoints, or staff who
 * may act for it (access.ts: platform admins, and for a central exchange its
 * bank's clerks); whoever reads the merchant's books sees them. Authority is
 * checked before state: another merchant's endpoint or delivery is FORBIDDEN
 * whatever it holds. The signing secret is kept, since every delivery is
 * signed with it, and shown once: in the answer that made or rotated it.
 */
import { z } from 'zod';
import {
  CHECK_VIOLATION,
  ForbiddenError,
  ok,
  readPage,
  refused,
  requireRoles,
  requireSignedIn,
  toConnection,
  unseenObject,
  type Connection,
  type ConnectionArgs,
  type Result,
} from '@lianxin/shared';
import { assertMayActForMerchantId, mayActForMerchant, mayReadMerchantBooks } from '../access.js';
import type { PointsContext } from '../context.js';
import {
  WEBHOOK_URL_MAX_LENGTH,
  WEBHOOKS_PER_MERCHANT,
  merchantWebhookEvent,
  type MerchantRow,
  type MerchantWebhookRow,
  type WebhookDeliveryAttemptRow,
  type WebhookDeliveryRow,
  type WebhookDeliveryStatus,
} from '../db/schema.js';
import { refuse, userError } from '../errors.js';
import { idInput, inTransaction, parseInput } from '../mutation.js';
import type { PointsSettings } from '../settings.js';
import { newWebhookSecret } from './delivery.js';
import { isInternalLiteral } from './address.js';
import { countWebhooksOfMerchant, deliveryCursor, insertWebhook, lockDelivery, lockWebhook, requeueDelivery, updateWebhook } from './store.js';

const ROLES = ['merchant', 'bank_clerk', 'platform_admin'] as const;

const WHO = 'keep merchants’ webhooks';

/** An endpoint and, this once, its secret: what `merchantWebhookCreate` and `merchantWebhookSecretRotate` answer. */
export interface WebhookWithSecret {
  webhook: MerchantWebhookRow;
  secret: string;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** Why `url` may not receive deliveries, or null when it may. */
export function urlProblem(url: string, settings: Pick<PointsSettings, 'webhookAllowInsecure'>): string | null {
  if (url.length > WEBHOOK_URL_MAX_LENGTH) return `must be at most ${WEBHOOK_URL_MAX_LENGTH} characters.`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a URL.';
  }
  if (parsed.username !== '' || parsed.password !== '') return 'must not hold a user name or password: deliveries are signed instead.';
  // An internal address written out is refused at once; a name is resolved before each delivery (address.ts).
  if (isInternalLiteral(parsed.hostname, settings.webhookAllowInsecure)) return 'must not point at an internal or private network address.';
  if (parsed.protocol === 'https:') return null;
  if (parsed.protocol === 'http:' && settings.webhookAllowInsecure && LOOPBACK.test(parsed.hostname)) return null;
  return settings.webhookAllowInsecure ? 'must be https (plain http only to this machine: localhost, 127.0.0.1, [::1]).' : 'must be https.';
}

const events = z
  .array(z.enum(merchantWebhookEvent.enumValues))
  .min(1, 'must not be empty.')
  .transform((list) => [...new Set(list)]);
const url = z.string().trim().min(1, 'must not be empty.');

const createInput = z.object({ merchant: idInput('a merchant'), url, events });
const updateInput = z.object({ webhook: idInput('a webhook'), url: url.nullish(), events: events.nullish(), active: z.boolean().nullish() });
const webhookInput = z.object({ webhook: idInput('a webhook') });
const redeliverInput = z.object({ delivery: idInput('a webhook delivery') });

/** Checks a parsed URL against the bank's rules; a refusal under `input.url`. */
function checkUrl(ctx: PointsContext, value: string): Result<string> {
  const problem = urlProblem(value, ctx.settings);
  return problem ? refused(userError(['input', 'url'], 'INVALID', `The URL ${problem}`)) : ok(value);
}

/**
 * Whether the viewer may keep `merchant`'s endpoints: null when they may, a
 * NOT_ALLOWED user error when they read its books but may not act for it;
 * FORBIDDEN when they may not even read them.
 */
async function authorityOver(ctx: PointsContext, merchant: MerchantRow, field: string[], what: string): Promise<Result<never> | null> {
  if (await mayActForMerchant(ctx, merchant)) return null;
  if (await mayReadMerchantBooks(ctx, merchant)) return refused(userError(field, 'NOT_ALLOWED', 'Only the merchant itself (or a platform admin) keeps its webhooks.'));
  return unseenObject(ctx.viewer, field, what);
}

/** An endpoint (deleted ones included) and its merchant, when the viewer may keep them. */
async function reachWebhook(ctx: PointsContext, id: string, field: string[]): Promise<Result<{ webhook: MerchantWebhookRow; merchant: MerchantRow }>> {
  const webhook = await ctx.loaders.webhookById.load(id.toLowerCase());
  const merchant = webhook ? await ctx.loaders.merchantById.load(webhook.merchantId) : null;
  if (!webhook || !merchant) return unseenObject(ctx.viewer, field, 'webhook');
  return (await authorityOver(ctx, merchant, field, 'webhook')) ?? ok({ webhook, merchant });
}

/** `merchantWebhookCreate`: at most five endpoints a merchant; the secret is returned once. */
export async function createWebhook(ctx: PointsContext, input: unknown): Promise<Result<WebhookWithSecret>> {
  const by = requireRoles(ctx.viewer, [...ROLES], WHO);
  const parsed = parseInput(createInput, input);
  if (!parsed.ok) return parsed;
  const merchantId = parsed.value.merchant.toLowerCase();
  assertMayActForMerchantId(ctx, merchantId, 'A merchant keeps its own webhooks only.');
  const merchant = await ctx.loaders.merchantById.load(merchantId);
  if (!merchant) return unseenObject(ctx.viewer, ['input', 'merchant'], 'merchant');
  const refusal = await authorityOver(ctx, merchant, ['input', 'merchant'], 'merchant');
  if (refusal) return refusal;
  const checked = checkUrl(ctx, parsed.value.url);
  if (!checked.ok) return checked;
  const secret = newWebhookSecret();
  const tooMany = userError(['input', 'merchant'], 'INVALID_STATE', `A merchant has at most ${WEBHOOKS_PER_MERCHANT} webhook endpoints; delete one first.`);
  return inTransaction(
    ctx,
    async (tx) => {
      if ((await countWebhooksOfMerchant(tx, merchant.id)) >= WEBHOOKS_PER_MERCHANT) refuse(tooMany.field, tooMany.code, tooMany.message);
      const webhook = await insertWebhook(tx, { merchantId: merchant.id, url: checked.value, events: parsed.value.events, secret, by, at: ctx.settings.now() });
      return { webhook, secret };
    },
    // Two registrations at once both counted four: the database's trigger refuses the second.
    [{ sqlState: CHECK_VIOLATION, constraint: 'merchant_webhooks_limit', error: tooMany }],
  );
}

/** `merchantWebhookUpdate`: a new address, events or state; what is left out stays. */
export async function updateWebhookOf(ctx: PointsContext, input: unknown): Promise<Result<MerchantWebhookRow>> {
  const by = requireRoles(ctx.viewer, [...ROLES], WHO);
  const parsed = parseInput(updateInput, input);
  if (!parsed.ok) return parsed;
  const reached = await reachWebhook(ctx, parsed.value.webhook, ['input', 'webhook']);
  if (!reached.ok) return reached;
  const { url: newUrl, events: newEvents, active } = parsed.value;
  const checked = newUrl == null ? null : checkUrl(ctx, newUrl);
  if (checked && !checked.ok) return checked;
  return inTransaction(ctx, async (tx) => {
    const locked = await lockWebhook(tx, reached.value.webhook.id);
    if (!locked) refuse(['input', 'webhook'], 'NOT_FOUND', 'The webhook was deleted.');
    return updateWebhook(tx, locked.id, {
      ...(checked ? { url: checked.value } : {}),
      ...(newEvents ? { events: newEvents } : {}),
      ...(active == null ? {} : { active }),
      by,
      at: ctx.settings.now(),
    });
  });
}

/** `merchantWebhookDelete`: nothing more is delivered there; its log stays in the database. */
export async function deleteWebhook(ctx: PointsContext, input: unknown): Promise<Result<MerchantWebhookRow>> {
  const by = requireRoles(ctx.viewer, [...ROLES], WHO);
  const parsed = parseInput(webhookInput, input);
  if (!parsed.ok) return parsed;
  const reached = await reachWebhook(ctx, parsed.value.webhook, ['input', 'webhook']);
  if (!reached.ok) return reached;
  return inTransaction(ctx, async (tx) => {
    const locked = await lockWebhook(tx, reached.value.webhook.id);
    if (!locked) refuse(['input', 'webhook'], 'NOT_FOUND', 'The webhook was deleted already.');
    const at = ctx.settings.now();
    return updateWebhook(tx, locked.id, { active: false, deletedAt: at, by, at });
  });
}

/** `merchantWebhookSecretRotate`: a new secret, returned once; the old one signs nothing more. */
export async function rotateWebhookSecret(ctx: PointsContext, input: unknown): Promise<Result<WebhookWithSecret>> {
  const by = requireRoles(ctx.viewer, [...ROLES], WHO);
  const parsed = parseInput(webhookInput, input);
  if (!parsed.ok) return parsed;
  const reached = await reachWebhook(ctx, parsed.value.webhook, ['input', 'webhook']);
  if (!reached.ok) return reached;
  const secret = newWebhookSecret();
  return inTransaction(ctx, async (tx) => {
    const locked = await lockWebhook(tx, reached.value.webhook.id);
    if (!locked) refuse(['input', 'webhook'], 'NOT_FOUND', 'The webhook was deleted.');
    return { webhook: await updateWebhook(tx, locked.id, { secret, by, at: ctx.settings.now() }), secret };
  });
}

/** `merchantWebhookRedeliver`: queued for an attempt now and a new round; while it is queued, asking again changes nothing. */
export async function redeliver(ctx: PointsContext, input: unknown): Promise<Result<WebhookDeliveryRow>> {
  requireRoles(ctx.viewer, [...ROLES], WHO);
  const parsed = parseInput(redeliverInput, input);
  if (!parsed.ok) return parsed;
  const field = ['input', 'delivery'];
  const delivery = await ctx.loaders.webhookDeliveryById.load(parsed.value.delivery.toLowerCase());
  if (!delivery) return unseenObject(ctx.viewer, field, 'webhook delivery');
  const reached = await reachWebhook(ctx, delivery.endpointId, field);
  if (!reached.ok) return reached;
  return inTransaction(ctx, async (tx) => {
    const locked = await lockDelivery(tx, delivery.id);
    if (!locked) throw new Error(`webhook delivery ${delivery.id} vanished`);
    if (reached.value.webhook.deletedAt !== null) refuse(field, 'INVALID_STATE', 'The webhook was deleted: nothing is delivered there any more.');
    if (locked.status === 'queued') return locked;
    return requeueDelivery(tx, locked.id, ctx.settings.now());
  });
}

/** `Merchant.webhooks`: for whoever reads the merchant's books. */
export async function webhooksOf(ctx: PointsContext, merchant: MerchantRow): Promise<MerchantWebhookRow[]> {
  requireSignedIn(ctx.viewer);
  if (!(await mayReadMerchantBooks(ctx, merchant))) throw new ForbiddenError("Only the merchant itself and its bank's staff may see its webhooks.");
  return ctx.loaders.webhooksOfMerchant.load(merchant.id);
}

/** `MerchantWebhook.deliveries`: one statement for the page of every endpoint of the request, one more for the counts. */
export function deliveriesOf(
  ctx: PointsContext,
  webhook: MerchantWebhookRow,
  args: ConnectionArgs & { status?: WebhookDeliveryStatus | null },
): Promise<Connection<WebhookDeliveryRow>> {
  const page = readPage(args, ['timestamp', 'uuid']);
  const status = args.status ?? null;
  return ctx.loaders
    .webhookDeliveryPage({ page, status })
    .load(webhook.id)
    .then((rows) => toConnection(rows, page, deliveryCursor, () => ctx.loaders.webhookDeliveryCount(status).load(webhook.id)));
}

/** `MerchantWebhookDelivery.attemptLog`: every attempt, first first. */
export function attemptsOf(ctx: PointsContext, delivery: WebhookDeliveryRow): Promise<WebhookDeliveryAttemptRow[]> {
  return ctx.loaders.attemptsOfDelivery.load(delivery.id);
}
