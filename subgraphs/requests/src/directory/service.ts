/**
 * The directory: what the requests subgraph knows of the people subgraph's
 * regions, teams and households, to decide writes that cannot wait for the
 * graph (who may accept work dispatched to a team, whether a rater lives
 * with the requester, where a place lies). The people subgraph owns these
 * facts; its events (region created or moved, team members added, removed
 * or made captain, household members added or removed, building captains
 * assigned) keep this read model current through `requestsConsumer`
 * (directory/events.ts applies them). The demo data seeds it for the demo
 * cast, for which people's seed publishes no events. See docs/requests.md.
 */
import type { Executor } from '@lianxin/shared';
import { refuse } from '../mutation.js';
import { findDirectoryRegions, findDirectoryTeams } from './store.js';

/** A place as scope needs it: the region and its path, the region itself last. */
export interface Place {
  id: string;
  kind: string;
  path: string[];
}

/** The place `regionId` names, or a refusal of `field` when the directory does not know it. */
export async function placeOf(db: Executor, regionId: string, field: string[]): Promise<Place> {
  const [region] = await findDirectoryRegions(db, [regionId]);
  if (!region) refuse(field, 'NOT_FOUND', 'There is no such region.');
  return { id: region.id, kind: region.kind, path: [...region.path, region.id] };
}

/** The team `teamId` names, or a refusal of `field`. */
export async function teamOf(db: Executor, teamId: string, field: string[]): Promise<{ id: string; communityId: string }> {
  const [team] = await findDirectoryTeams(db, [teamId]);
  if (!team) refuse(field, 'NOT_FOUND', 'There is no such team.');
  return team;
}
