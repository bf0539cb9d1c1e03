/**
 * What the points subgraph learns from other subgraphs' events, written
 * straight into its tables for end-to-end tests that drive neither people
 * nor requests: persons people registered (`person.registered`) and service
 * records requests wrote (`service_record.created`, kept without a deposit).
 */
import { insertKnownPersons, insertServiceRecords } from '@lianxin/points';
import { newId } from '@lianxin/shared';
import type { TestGraph } from './graph.js';

/** Makes the bank know `personIds`, as if people had registered them. */
export async function knownToPoints(graph: TestGraph, ...personIds: string[]): Promise<void> {
  await insertKnownPersons(
    graph.graph.subgraphs.points.database.db,
    personIds.map((personId) => ({ personId, registeredAt: new Date() })),
  );
}

/** Makes the bank learn of a service record of `volunteerId`'s, not yet deposited; returns its id. */
export async function recordKnownToPoints(graph: TestGraph, record: { volunteerId: string; categoryCode: string; minutes: number; place?: string[] }): Promise<string> {
  const id = newId();
  await insertServiceRecords(graph.graph.subgraphs.points.database.db, [{ id, place: [], ...record }]);
  return id;
}
