/**
 * The viewer as the bank shows it to themself. A viewer is nobody else's to
 * read: a reference whose id is not the caller's own subject resolves to
 * null, so no one learns what another subject's token would show.
 */
import { isMerchantClient } from '@lianxin/shared';
import type { PointsContext } from '../context.js';
import type { MerchantRow } from '../db/schema.js';

/** The caller's own `Viewer` reference; null for anonymous callers and for anyone else's subject. */
export function referencedViewer(ctx: PointsContext, id: string): { id: string } | null {
  return ctx.viewer.subject !== null && ctx.viewer.subject === id ? { id } : null;
}

/** The merchant a merchant client credential speaks for; null for every other viewer (or a merchant the bank no longer holds). */
export async function merchantOfViewer(ctx: PointsContext, id: string): Promise<MerchantRow | null> {
  const { merchantId } = ctx.viewer;
  if (referencedViewer(ctx, id) === null || !isMerchantClient(ctx.viewer) || merchantId === null) return null;
  return ctx.loaders.merchantById.load(merchantId);
}
