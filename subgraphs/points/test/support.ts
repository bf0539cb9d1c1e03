/**
 * What the points tests share: the subgraph on a fresh database with a clock
 * the test sets (to open redemption windows and age holds), the demo cast as
 * viewers, builders that make customers and merchants through the graph, and
 * the books' audit every test file runs after each test.
 */
import { expect } from '@jest/globals';
import { newId, type JsonObject, type Viewer } from '@lianxin/shared';
import { DEMO_STAFF, DEMO_VOLUNTEERS } from '@lianxin/shared/demo';
import { startSubgraphHarness, testClock, viewerOf, type ExecuteResult, type SubgraphHarness, type TestClock } from '@lianxin/shared/testing';
import type { PointsContext } from '../src/context.js';
import { DEMO_ACCOUNTS, DEMO_BANK, DEMO_CLERK, DEMO_MERCHANTS } from '../src/db/demo.js';
import { merchants } from '../src/db/schema.js';
import { insertServiceRecords } from '../src/deposits/store.js';
import { insertKnownPersons } from '../src/directory/store.js';
import { pointsSubgraph } from '../src/index.js';
import { auditLedger } from '../src/ledger/audit.js';

/** Saturday 5 December 2026, noon in Beijing: inside the first-weekend redemption window. */
export const WINDOW_OPEN = new Date('2026-12-05T04:00:00.000Z');
/** Wednesday 9 December 2026, noon in Beijing: outside it. */
export const WINDOW_CLOSED = new Date('2026-12-09T04:00:00.000Z');

export interface PointsTestBed {
  points: SubgraphHarness<PointsContext>;
  clock: TestClock;
  stop(): Promise<void>;
}

/**
 * The points subgraph with demo data on a fresh database, its clock in the
 * test's hands. Unless `passbookTills` is false, every merchant of the demo
 * data accepts passbook numbers at its till, as its bank may allow
 * (`merchantPassbookAcceptanceSet`): tests of the rest of a redemption name
 * the customer the short way; payment-codes.test.ts tests the codes and the
 * setting itself.
 */
export async function startPoints(env: NodeJS.ProcessEnv = {}, options: { passbookTills?: boolean } = {}): Promise<PointsTestBed> {
  const clock = testClock();
  const module = {
    ...pointsSubgraph,
    settings: (variables: NodeJS.ProcessEnv) => ({ ...pointsSubgraph.settings({ ...variables, ...env }), now: clock.now }),
  };
  const points = await startSubgraphHarness(module);
  if (options.passbookTills !== false) await points.database.db.update(merchants).set({ acceptsPassbookNumbers: true });
  return { points, clock, stop: () => points.stop() };
}

/** Fails the test unless the books balance (see src/ledger/audit.ts). */
export async function expectBooksToBalance(bed: PointsTestBed | undefined): Promise<void> {
  if (!bed) return;
  expect(await auditLedger(bed.points.database.db)).toEqual([]);
}

export const wang = DEMO_VOLUNTEERS[0]!;
export const wangAccount = DEMO_ACCOUNTS[0]!;
export const zhang = DEMO_VOLUNTEERS[1]!;

export const viewers = {
  wang: viewerOf({ roles: ['volunteer', 'team_captain'], personId: wang.id }),
  zhang: viewerOf({ roles: ['volunteer'], personId: zhang.id }),
  /** 林晓: community admin of Xingle and clerk of its savings office. */
  clerk: viewerOf({ roles: ['community_admin', 'bank_clerk'], personId: DEMO_CLERK.personId }),
  /** A clerk with no office: the role alone serves no one's accounts. */
  unassignedClerk: viewerOf({ roles: ['bank_clerk'], personId: newId() }),
  communityAdmin: viewerOf({ roles: ['community_admin'], personId: DEMO_STAFF[0]!.id }),
  admin: viewerOf({ roles: ['platform_admin'] }),
  analyst: viewerOf({ roles: ['analyst'] }),
  yonghui: viewerOf({ roles: ['merchant'], merchantId: DEMO_MERCHANTS.yonghui.id }),
  charity: viewerOf({ roles: ['merchant'], merchantId: DEMO_MERCHANTS.charitySupermarket.id }),
  resident: (): Viewer => viewerOf({ roles: ['resident'], personId: newId() }),
};

export const XINGLE_OFFICE = DEMO_BANK.xingleOffice.id;

/** The code of the first error, for top-level refusals. */
export const codeOf = (result: { errors?: ExecuteResult['errors'] }): unknown => result.errors?.[0]?.extensions?.['code'];

/** Runs an operation that must not fail at the top level and returns its data. */
export async function run<T = Record<string, unknown>>(bed: PointsTestBed, query: string, viewer: Viewer, variables: Record<string, unknown> = {}): Promise<T> {
  const result = await bed.points.execute(query, { variables, viewer });
  if (result.errors) throw new Error(`unexpected errors: ${JSON.stringify(result.errors)}`);
  return result.data as T;
}

export interface UserErrorShape {
  field: string[] | null;
  code: string;
  message: string;
}

export interface RedemptionShape {
  id: string;
  status: string;
  totalPoints: number;
  itemCount: number;
  memberId: string;
  heldUntil: string | null;
}

const REDEMPTION_FIELDS = 'id status totalPoints itemCount memberId heldUntil';

type RedemptionMutation = 'redemptionCreate' | 'redemptionHold' | 'redemptionCapture' | 'redemptionVoid';

/** Runs a redemption mutation and returns its payload. */
export async function redemption(
  bed: PointsTestBed,
  mutation: RedemptionMutation,
  input: Record<string, unknown>,
  viewer: Viewer,
): Promise<{ redemption: RedemptionShape | null; userErrors: UserErrorShape[] }> {
  const inputType = mutation === 'redemptionCreate' || mutation === 'redemptionHold' ? 'RedemptionCreateInput' : 'RedemptionResolveInput';
  const data = await run<Record<RedemptionMutation, { redemption: RedemptionShape | null; userErrors: UserErrorShape[] }>>(
    bed,
    `mutation ($input: ${inputType}!) { ${mutation}(input: $input) { redemption { ${REDEMPTION_FIELDS} } userErrors { field code message } } }`,
    viewer,
    { input },
  );
  return data[mutation];
}

/** Lets a merchant's till redeem by passbook number, as its head bank may (`merchantPassbookAcceptanceSet`, by a platform admin here). */
export async function acceptPassbookNumbers(bed: PointsTestBed, merchantId: string): Promise<void> {
  const data = await run<{ merchantPassbookAcceptanceSet: { userErrors: UserErrorShape[] } }>(
    bed,
    `mutation ($input: MerchantPassbookAcceptanceSetInput!) { merchantPassbookAcceptanceSet(input: $input) { userErrors { field code message } } }`,
    viewers.admin,
    { input: { merchant: merchantId, accepts: true } },
  );
  expect(data.merchantPassbookAcceptanceSet.userErrors).toEqual([]);
}

/**
 * Makes the bank know `personIds`, as people's `person.registered` would
 * (events.test.ts sends the event itself); returns the first.
 */
export async function knownPerson(bed: PointsTestBed, ...personIds: string[]): Promise<string> {
  const ids = personIds.length > 0 ? personIds : [newId()];
  await insertKnownPersons(
    bed.points.database.db,
    ids.map((personId) => ({ personId, registeredAt: new Date() })),
  );
  return ids[0]!;
}

let depositCounter = 0;

/**
 * A new customer (a fresh person the bank knows) with an account at the Xingle office
 * holding `points`, deposited for home repair at 20 points an hour (3
 * minutes a point). Returns the person, account and passbook.
 */
export async function customerWith(bed: PointsTestBed, points: number): Promise<{ personId: string; accountId: string; passbookNumber: string }> {
  const personId = await knownPerson(bed);
  const opened = await run<{ accountOpen: { account: { id: string; passbookNumber: string } | null; userErrors: UserErrorShape[] } }>(
    bed,
    `mutation ($input: AccountOpenInput!) { accountOpen(input: $input) { account { id passbookNumber } userErrors { field code message } } }`,
    viewers.clerk,
    { input: { holder: personId } },
  );
  const account = opened.accountOpen.account;
  if (!account) throw new Error(`could not open an account: ${JSON.stringify(opened.accountOpen.userErrors)}`);
  for (let left = points; left > 0;) {
    const now = Math.min(left, 480);
    await depositFor(bed, personId, now * 3, 'home_repair');
    left -= now;
  }
  return { personId, accountId: account.id, passbookNumber: account.passbookNumber };
}

/**
 * Makes the bank learn of a service record of `minutes` in `category` by
 * `volunteerId`, as requests' `service_record.created` would (events.test.ts
 * sends the event itself), without depositing it; returns its id.
 */
export async function knownRecord(bed: PointsTestBed, volunteerId: string, minutes: number, category: string, options: { id?: string; place?: string[] } = {}): Promise<string> {
  const id = options.id ?? newId();
  await insertServiceRecords(bed.points.database.db, [{ id, volunteerId, categoryCode: category, minutes, place: options.place ?? [] }]);
  return id;
}

/** An event of the requests subgraph as a test appends it to `requests.outbox`. */
export interface RequestsEvent {
  type: string;
  aggregateType: string;
  aggregateId: string;
  payload: JsonObject;
}

/** A service record announced by requests: its id, its volunteer and its `service_record.created`. */
export interface AnnouncedRecord {
  id: string;
  volunteerId: string;
  event: RequestsEvent;
}

/** A `service_record.created` with the payload docs/events.md lists: an hour of home repair at `path` unless told otherwise. */
export function serviceRecordCreated(
  volunteerId: string,
  path: string[],
  options: { id?: string; category?: string; minutes?: number; teamId?: string | null } = {},
): AnnouncedRecord {
  const id = options.id ?? newId();
  const at = new Date().toISOString();
  const payload = {
    serviceRecordId: id,
    volunteerId,
    categoryCode: options.category ?? 'home_repair',
    minutes: options.minutes ?? 60,
    servedAt: at,
    requestId: newId(),
    activityId: null,
    teamId: options.teamId ?? null,
    correctsId: null,
    regionId: path.at(-1) ?? null,
    regionPath: path,
    createdAt: at,
  };
  return { id, volunteerId, event: { type: 'service_record.created', aggregateType: 'service_record', aggregateId: id, payload } };
}

/** The `service_record.reversed` of `original`: its aggregate is the original record, so consumers apply it after the creation. */
export function serviceRecordReversed(original: Pick<AnnouncedRecord, 'id' | 'event'>): RequestsEvent {
  const { payload } = original.event;
  return {
    type: 'service_record.reversed',
    aggregateType: 'service_record',
    aggregateId: original.id,
    payload: {
      serviceRecordId: newId(),
      reversesId: original.id,
      volunteerId: payload['volunteerId'] ?? null,
      categoryCode: payload['categoryCode'] ?? null,
      minutes: -Number(payload['minutes']),
      regionId: payload['regionId'] ?? null,
      regionPath: payload['regionPath'] ?? [],
      createdAt: new Date().toISOString(),
    },
  };
}

/** Deposits a new record of `minutes` of service in `category` by `personId` through `pointsDeposit`, as the Xingle clerk; returns the payload. */
export async function depositFor(bed: PointsTestBed, personId: string, minutes: number, category: string) {
  depositCounter += 1;
  const serviceRecord = await knownRecord(bed, personId, minutes, category);
  const data = await run<{ pointsDeposit: { deposit: { id: string; points: number } | null; userErrors: UserErrorShape[] } }>(
    bed,
    `mutation ($input: PointsDepositInput!) { pointsDeposit(input: $input) { deposit { id points } userErrors { field code message } } }`,
    viewers.clerk,
    { input: { serviceRecord } },
  );
  if (data.pointsDeposit.userErrors.length > 0) throw new Error(`deposit ${depositCounter} refused: ${JSON.stringify(data.pointsDeposit.userErrors)}`);
  return data.pointsDeposit;
}

/** An item the test owns at Yonghui (always open): its id, with `stock` units at `price` points. */
export async function yonghuiItem(bed: PointsTestBed, price: number, stock: number): Promise<string> {
  const data = await run<{ catalogItemCreate: { catalogItem: { id: string } | null; userErrors: UserErrorShape[] } }>(
    bed,
    `mutation ($input: CatalogItemCreateInput!) { catalogItemCreate(input: $input) { catalogItem { id } userErrors { field code message } } }`,
    viewers.yonghui,
    { input: { merchant: DEMO_MERCHANTS.yonghui.id, name: `test item ${newId()}`, pricePoints: price, stock } },
  );
  const item = data.catalogItemCreate.catalogItem;
  if (!item) throw new Error(`could not list an item: ${JSON.stringify(data.catalogItemCreate.userErrors)}`);
  return item.id;
}

/** Balance, held and available points of an account, read as a platform admin. */
export async function pointsOf(bed: PointsTestBed, accountId: string): Promise<{ balance: number; heldPoints: number; availablePoints: number }> {
  const data = await run<{ account: { balance: number; heldPoints: number; availablePoints: number } }>(
    bed,
    `query ($id: ID!) { account(id: $id) { balance heldPoints availablePoints } }`,
    viewers.admin,
    { id: accountId },
  );
  return data.account;
}

export async function stockOf(bed: PointsTestBed, itemId: string): Promise<number> {
  const data = await run<{ catalogItem: { stock: number } }>(bed, `query ($id: ID!) { catalogItem(id: $id) { stock } }`, viewers.admin, { id: itemId });
  return data.catalogItem.stock;
}
