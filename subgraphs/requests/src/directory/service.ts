/**
 * The directory: what the requests subgraph knows of the people subgraph's
 * persons, regions, teams and households, to decide writes that cannot wait
 * for the graph (whether a person exists at all, who may accept work
 * dispatched to a team, whether a rater lives with the requester, where a
 * place lies). The people subgraph owns these facts; its events (person
 * registered, region created or moved, team members added, removed or made
 * captain, household members added or removed, building captains assigned)
 * keep this read model current through `requestsConsumer`
 * (directory/events.ts applies them). The demo data seeds it for the demo
 * cast, for which people's seed publishes no events. See docs/requests.md.
 */
import type { Executor } from '@lianxin/shared';
import { refuse } from '../mutation.js';
import { findDirectoryRegions, findDirectoryTeams, findKnownPersons } from './store.js';

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

/** A person an input names, and the input field that names them. */
export interface NamedPerson {
  id: string;
  field: string[];
}

/**
 * Refuses a write for a person the directory does not know: the viewer
 * acting (`actorId`; the refusal names no field) and every person the input
 * names. One statement for all of them. A person registered a moment ago
 * whose `person.registered` event has not been applied here yet is refused
 * the same way; the message says to try again.
 */
export async function requireKnownPersons(db: Executor, actorId: string | null, named: readonly NamedPerson[] = []): Promise<void> {
  const ids = [...(actorId === null ? [] : [actorId]), ...named.map((person) => person.id)];
  const known = new Set(await findKnownPersons(db, ids));
  if (actorId !== null && !known.has(actorId)) {
    refuse(
      null,
      'NOT_FOUND',
      'You are not (yet) known here as a person: someone registered a moment ago is known within seconds, so try again shortly; otherwise ask your community to register you.',
    );
  }
  for (const person of named) {
    if (!known.has(person.id)) {
      refuse(person.field, 'NOT_FOUND', 'This person is not (yet) known here: there is no such person, or they were registered a moment ago; try again shortly.');
    }
  }
}
