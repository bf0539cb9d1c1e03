/**
 * What the points subgraph learns from other subgraphs' events, written
 * straight into its tables for end-to-end tests that drive neither people
 * nor requests: persons people registered (`person.registered`) and service
 * records requests wrote (`service_record.created`, kept without a deposit);
 * and the payment code a customer shows at a till, issued through the graph.
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

/** A payment code (付款码) for `personId`'s customer account, issued to them through the gateway as their app would. */
export async function paymentCodeFor(graph: TestGraph, personId: string): Promise<string> {
  const issued = await graph.query<{ paymentCodeIssue: { paymentCode: { code: string } | null; userErrors: { code: string }[] } }>(
    `mutation { paymentCodeIssue(input: {}) { paymentCode { code } userErrors { code } } }`,
    { token: await graph.token({ roles: ['volunteer'], personId }) },
  );
  const code = issued.data?.paymentCodeIssue.paymentCode?.code;
  if (!code) throw new Error(`no payment code for ${personId}: ${JSON.stringify(issued.errors ?? issued.data?.paymentCodeIssue.userErrors)}`);
  return code;
}
