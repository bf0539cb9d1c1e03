/**
 * The steps of the five-step loop that the end-to-end tests of different
 * setups (one database, four databases over NATS, two graphs, PgBouncer)
 * drive alike: a resident's repair served by a volunteer of 乐修匠, and the
 * deposit that the service record earns by event.
 */
import { expect } from '@jest/globals';
import { DEMO_REGIONS, DEMO_TEAM } from '@lianxin/shared/demo';
import type { Operations } from './operations.js';

/** Who takes part in a repair, as their tokens. */
export interface RepairParties {
  resident: string;
  station: string;
  volunteer: string;
}

export interface RepairOptions {
  /** What the resident writes; a home repair in 东区 1号楼. */
  description?: string;
  /** The volunteer's quote, in fen. */
  quote?: { labour: number; materials: number };
  /** What the volunteer reports using. */
  completion?: { note: string; materialsUsed: { name: string; quantity: number }[] };
  /** Runs once the station dispatched, before the volunteer accepts (e.g. waiting for requests to know a new member). */
  beforeAccept?: () => Promise<void>;
  /** Runs once the volunteer accepted, before the work is quoted, done and rated. */
  whileServing?: () => Promise<void>;
}

/**
 * 1 需求收集 → 2 发布 → 3 认领, and the work quoted, agreed, done and rated
 * five stars: a resident's home repair, dispatched to 乐修匠. Returns the
 * request's id.
 */
export async function serveRepair({ ok, must }: Operations, parties: RepairParties, options: RepairOptions = {}): Promise<string> {
  const { resident, station, volunteer } = parties;
  const request = (mutation: string, input: Record<string, unknown>, token: string) => must(mutation, 'serviceRequest { id status }', input, token);
  const filed = await must<{ serviceRequest: { id: string } }>(
    'serviceRequestCreate',
    'serviceRequest { id }',
    { category: 'home_repair', description: options.description ?? '厨房水管漏水，需要更换接头。', place: DEMO_REGIONS.eastBuilding1.id },
    resident,
  );
  const id = filed.serviceRequest.id;
  await request('serviceRequestApprove', { request: id }, station);
  await request('serviceRequestDispatch', { request: id, team: DEMO_TEAM.id }, station);
  await options.beforeAccept?.();
  await request('serviceRequestAccept', { request: id }, volunteer);
  await options.whileServing?.();
  await request('serviceRequestQuote', { request: id, ...(options.quote ?? { labour: 6000, materials: 2500 }) }, volunteer);
  const quote = await ok<{ serviceRequest: { quote: { token: string } } }>(`query ($id: ID!) { serviceRequest(id: $id) { quote { token } } }`, resident, { id });
  await request('serviceRequestQuoteAgree', { request: id, quoteToken: quote.serviceRequest.quote.token }, resident);
  await request('serviceRequestStart', { request: id }, volunteer);
  const completion = options.completion ?? { note: '更换了接头。', materialsUsed: [{ name: '水管接头', quantity: 1 }] };
  await request('serviceRequestComplete', { request: id, ...completion }, volunteer);
  await request('serviceRequestRate', { request: id, score: 5, comment: '及时又细心。' }, resident);
  return id;
}

/** A service record as the deposit step reads it. */
export interface DepositedRecord {
  id: string;
  minutes: number;
  deposit: { points: number } | null;
}

/**
 * 4 积分入折: waits for the deposit that points makes from the request's
 * service record (the demo's rule: 600 points an hour, 10 a minute), checks
 * its amount and returns the record with the points earned.
 */
export async function depositOf({ eventually }: Operations, token: string, request: string): Promise<{ serviceRecord: DepositedRecord; earned: number }> {
  type Recorded = { serviceRequest: { serviceRecord: DepositedRecord } };
  const recorded = await eventually<Recorded>(
    'the deposit',
    `query ($id: ID!) { serviceRequest(id: $id) { serviceRecord { id minutes deposit { points } } } }`,
    token,
    { id: request },
    (data) => data.serviceRequest.serviceRecord.deposit !== null,
  );
  const { serviceRecord } = recorded.serviceRequest;
  const earned = serviceRecord.minutes * 10;
  expect(serviceRecord.deposit).toEqual({ points: earned });
  return { serviceRecord, earned };
}
