/**
 * The viewer as the graph shows it to themself (`Query.me`): what the
 * gateway-verified token says, and the person and regions it names. A viewer
 * is nobody else's to read, so a reference to another subject's Viewer
 * resolves to null rather than to what that subject's token would say.
 */
import type { Viewer } from '@lianxin/shared';
import type { PeopleContext } from '../context.js';
import type { PersonRow, RegionRow } from '../db/schema.js';

/** A viewer with a subject: the one `Viewer` the graph can show. */
export type SignedInViewer = Viewer & { subject: string };

function signedIn(viewer: Viewer): viewer is SignedInViewer {
  return viewer.subject !== null;
}

/** The caller themself; null when anonymous. */
export function currentViewer(ctx: PeopleContext): SignedInViewer | null {
  return signedIn(ctx.viewer) ? ctx.viewer : null;
}

/** A `Viewer` another subgraph refers to: the caller when the id is their subject, null for anyone else (and for anonymous callers). */
export function referencedViewer(ctx: PeopleContext, id: string): SignedInViewer | null {
  const viewer = currentViewer(ctx);
  return viewer && viewer.subject === id ? viewer : null;
}

/** The regions of the viewer's scope that exist, in the token's order (an id the tree does not hold is left out). */
export async function regionScopeOf(ctx: PeopleContext, viewer: SignedInViewer): Promise<RegionRow[]> {
  const regions = await ctx.loaders.regionById.loadMany(viewer.regionIds);
  return regions.filter((region): region is RegionRow => region !== null && !(region instanceof Error));
}

/** The signed-in person; null for a client credential (a merchant's till) or a person the register does not hold. */
export async function personOf(ctx: PeopleContext, viewer: SignedInViewer): Promise<PersonRow | null> {
  return viewer.personId ? ctx.loaders.personById.load(viewer.personId) : null;
}
