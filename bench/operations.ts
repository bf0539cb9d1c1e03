/**
 * The representative operations, each as a client sends it: the document,
 * the viewer's token, and for redemptions the inputs that change per request
 * (a random till and passbook, or the next unused payment code). Each has a
 * check of its answer (no `errors`, the data present) that runs once before
 * its load, so that a broken operation fails the benchmark instead of being
 * measured as fast errors. Redemptions come last: the events they publish
 * are applied by other subgraphs after the load, and that work would
 * otherwise be counted against the operation measured next.
 */
import { mintDevToken, type GatewayConfig } from '@lianxin/gateway';
import type { BenchFixtures, BenchViewer } from './fixtures.js';
import type { Redemptions } from './redemption.js';

/** Statuses in which a request still waits for someone: what a staff member's queue lists. */
const OPEN_STATUSES = ['SUBMITTED', 'APPROVED', 'DISPATCHED', 'ACCEPTED', 'IN_SERVICE'];

/** How a redemption names its customer. */
export type RedemptionPath = 'passbook' | 'payment code';

export interface Operation {
  /** Short name, for the tables. */
  key: string;
  /** What it is, for the report. */
  title: string;
  /** The document and the bearer token (null: anonymous); for a redemption, the inputs a hook varies per request. */
  query: string;
  variables: Record<string, unknown>;
  token: string | null;
  redemption: RedemptionPath | null;
  /** Why an answer's data is not what the operation should return; null when it is. */
  problem(data: unknown): string | null;
}

/** `path` of `value` (objects and arrays), or undefined. */
function at(value: unknown, ...path: (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

/** A problem unless `value` is a non-empty array. */
const nonEmpty = (value: unknown, what: string): string | null => (Array.isArray(value) && value.length > 0 ? null : `no ${what}`);

export const REDEEM = `mutation ($input: RedemptionCreateInput!) { redemptionCreate(input: $input) { redemption { id totalPoints } userErrors { code } } }`;

/** The operations on `fixtures`' rows, tokens minted with the graph's dev secret. */
export async function representativeOperations(fixtures: BenchFixtures, auth: GatewayConfig['auth'], redemptions: Redemptions): Promise<Operation[]> {
  if (auth.kind !== 'dev-secret') throw new Error('the benchmark runs with the dev secret');
  const token = (viewer: BenchViewer) => mintDevToken({ roles: viewer.roles, personId: viewer.personId, regionIds: viewer.regionIds, ttlSeconds: 3600 }, auth);
  const till = redemptions.tills[0]!;
  const redeemed = (data: unknown) => (at(data, 'redemptionCreate', 'redemption', 'id') ? null : `no redemption: ${JSON.stringify(at(data, 'redemptionCreate', 'userErrors'))}`);
  return [
    {
      key: 'dashboard',
      title: 'volunteer dashboard (`me`: person, account, open tasks, service hours, badges; all four subgraphs)',
      query: `{ me { id roles person { name homeRegion { name } account { passbookNumber balance } serviceHours { minutes records } badges { name } openTasks(first: 5) { edges { node { description status } } } } } }`,
      variables: {},
      token: await token(fixtures.volunteer),
      redemption: null,
      problem: (data) =>
        at(data, 'me', 'person', 'account', 'passbookNumber') === undefined || at(data, 'me', 'person', 'serviceHours') == null
          ? 'no person with an account and service hours'
          : (nonEmpty(at(data, 'me', 'person', 'badges'), 'badges') ?? nonEmpty(at(data, 'me', 'person', 'openTasks', 'edges'), 'open tasks')),
    },
    {
      key: 'team',
      title: 'team with 20 members (names, homes, accounts, badges)',
      query: `query ($id: ID!) { team(id: $id) { name members(first: 20) { edges { role node { name homeRegion { name } account { balance } badges { name } } } } } }`,
      variables: { id: fixtures.teamId },
      token: await token({ roles: ['platform_admin'] }),
      redemption: null,
      problem: (data) => {
        const members = at(data, 'team', 'members', 'edges');
        return Array.isArray(members) && members.length === 20 ? null : `${Array.isArray(members) ? members.length : 'no'} members instead of 20`;
      },
    },
    {
      key: 'region tree',
      title: 'anonymous region tree (region → children → children; people only)',
      query: `query ($id: ID!) { region(id: $id) { name children { name children { name } } } }`,
      variables: { id: fixtures.regionTreeId },
      token: null,
      redemption: null,
      problem: (data) => nonEmpty(at(data, 'region', 'children', 0, 'children'), 'grandchildren'),
    },
    {
      key: 'staff queue',
      title: "staff request queue (open requests in the staff member's region)",
      query: `query ($filter: ServiceRequestFilter) { serviceRequests(filter: $filter, first: 20) { edges { node { id description status urgency } } } }`,
      variables: { filter: { region: fixtures.queueRegionId, status: OPEN_STATUSES } },
      token: await token(fixtures.staff),
      redemption: null,
      problem: (data) => nonEmpty(at(data, 'serviceRequests', 'edges'), 'open requests'),
    },
    {
      key: 'hours by month',
      title: 'analyst statistic (`serviceHourStats` of a region by month)',
      query: `query ($region: ID!) { serviceHourStats(filter: { region: $region }, groupBy: { period: MONTH }) { buckets { period { start } figures { hours records volunteers } } total { hours } } }`,
      variables: { region: fixtures.statsRegionId },
      token: await token(fixtures.analyst),
      redemption: null,
      problem: (data) => nonEmpty(at(data, 'serviceHourStats', 'buckets'), 'buckets'),
    },
    {
      key: 'one-row read',
      title: 'one-row read (a merchant by id)',
      query: `query ($id: ID!) { merchant(id: $id) { name alwaysOpen } }`,
      variables: { id: till.merchantId },
      token: till.authorization.slice('Bearer '.length),
      redemption: null,
      problem: (data) => (at(data, 'merchant', 'name') ? null : 'no merchant'),
    },
    {
      key: 'redeem by passbook',
      title: 'merchant redemption by passbook number (one point, a random till and account)',
      query: REDEEM,
      variables: {},
      token: till.authorization.slice('Bearer '.length),
      redemption: 'passbook',
      problem: redeemed,
    },
    {
      key: 'redeem by code',
      title: 'merchant redemption by payment code (each code issued beforehand, used once)',
      query: REDEEM,
      variables: {},
      token: till.authorization.slice('Bearer '.length),
      redemption: 'payment code',
      problem: redeemed,
    },
  ];
}
