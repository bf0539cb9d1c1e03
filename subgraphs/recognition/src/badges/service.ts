/** Rules for reading badges. Badges are public recognition: anyone may see them, signed in or not. */
import { BadInputError, isUuid } from '@lianxin/shared';
import type { RecognitionContext } from '../context.js';
import type { BadgeKindRow, BadgeRow } from '../db/schema.js';
import { findBadgeKinds } from './store.js';

export function listBadgeKinds(ctx: RecognitionContext): Promise<BadgeKindRow[]> {
  return findBadgeKinds(ctx.db);
}

export async function getBadge(ctx: RecognitionContext, id: string): Promise<BadgeRow | null> {
  if (!isUuid(id)) throw new BadInputError('id is not a badge id.', 'id');
  return ctx.loaders.badgeById.load(id);
}

export function badgesOf(ctx: RecognitionContext, personId: string): Promise<BadgeRow[]> {
  return ctx.loaders.badgesOfPerson.load(personId);
}
