/**
 * What redemptions under load need: several always-open merchants with an
 * item of plentiful stock (so the row locks spread, as pgbench's scale
 * spreads its branches), and many funded accounts. Accounts are opened and
 * funded through the gateway; the persons and service records the bank
 * would learn of from other subgraphs' events are written into its tables
 * directly (bench/ledger.ts). Payment codes are issued through the gateway
 * by each account's holder, as an app would, just before the load that
 * spends them: each pays for one redemption and lives a few minutes.
 */
import { randomUUID } from 'node:crypto';
import { mintDevToken, type GatewayConfig } from '@lianxin/gateway';
import type { Ledger } from './ledger.js';

/** A till: a merchant, the item it sells for one point, and its client-credential token. */
export interface Till {
  merchantId: string;
  itemId: string;
  authorization: string;
}

/** The redemption set-up: tills, and accounts by passbook number with their holders. */
export interface Redemptions {
  tills: Till[];
  accounts: { holder: string; passbookNumber: string }[];
}

/** Calls the gateway at `url` with `token`; throws on any GraphQL error. */
export async function callGraph<T>(url: string, query: string, variables: Record<string, unknown>, token: string | null): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (body.errors) throw new Error(`${query.slice(0, 60)}…: ${JSON.stringify(body.errors)}`);
  return body.data as T;
}

/** Runs `work` over `items`, `width` at a time. */
export async function inBatches<T, R>(items: readonly T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += width) results.push(...(await Promise.all(items.slice(start, start + width).map(work))));
  return results;
}

/** Opens `merchantCount` tills and `accountCount` accounts funded with 240,000 points each. */
export async function setUpRedemptions(
  gatewayUrl: string,
  auth: GatewayConfig['auth'],
  ledger: Ledger,
  { merchantCount, accountCount }: { merchantCount: number; accountCount: number },
): Promise<Redemptions> {
  if (auth.kind !== 'dev-secret') throw new Error('the benchmark runs with the dev secret');
  const admin = await mintDevToken({ roles: ['platform_admin'] }, auth);
  const call = <T>(query: string, variables: Record<string, unknown> = {}) => callGraph<T>(gatewayUrl, query, variables, admin);

  const bank = await ledger({ kind: 'head bank' });
  if (!('bankId' in bank)) throw new Error('no head bank');
  const headBank = bank.bankId;
  // A deposit rule that funds an account in one deposit: 24 hours at 10000 points an hour.
  const category = 'bench_funding';
  await call(`mutation { depositRuleSet(input: { bank: "${headBank}", category: "${category}", pointsPerHour: 10000 }) { userErrors { code } } }`);

  const tills = await inBatches(
    Array.from({ length: merchantCount }, (_, index) => index),
    8,
    async (index): Promise<Till> => {
      const made = await call<{ merchantCreate: { merchant: { id: string } } }>(
        `mutation ($input: MerchantCreateInput!) { merchantCreate(input: $input) { merchant { id } userErrors { code } } }`,
        { input: { bank: headBank, organization: randomUUID(), name: `压测商户 ${index}`, alwaysOpen: true } },
      );
      const merchantId = made.merchantCreate.merchant.id;
      // Its till takes passbook numbers as well as payment codes: both paths are measured.
      await call(`mutation ($input: MerchantPassbookAcceptanceSetInput!) { merchantPassbookAcceptanceSet(input: $input) { userErrors { code } } }`, {
        input: { merchant: merchantId, accepts: true },
      });
      const item = await call<{ catalogItemCreate: { catalogItem: { id: string } } }>(
        `mutation ($input: CatalogItemCreateInput!) { catalogItemCreate(input: $input) { catalogItem { id } userErrors { code } } }`,
        { input: { merchant: merchantId, name: '毛巾', pricePoints: 1, stock: 10_000_000 } },
      );
      const token = await mintDevToken({ roles: ['merchant'], merchantId, ttlSeconds: 3600 }, auth);
      return { merchantId, itemId: item.catalogItemCreate.catalogItem.id, authorization: `Bearer ${token}` };
    },
  );

  const holders = Array.from({ length: accountCount }, () => randomUUID());
  const funded = await ledger({ kind: 'fund', persons: holders, category, minutes: 1440 });
  if (!('serviceRecords' in funded)) throw new Error('funding wrote no service records');
  const accounts = await inBatches(
    holders.map((holder, index) => ({ holder, serviceRecord: funded.serviceRecords[index]! })),
    16,
    async ({ holder, serviceRecord }) => {
      const opened = await call<{ accountOpen: { account: { passbookNumber: string } } }>(
        `mutation ($input: AccountOpenInput!) { accountOpen(input: $input) { account { passbookNumber } userErrors { code } } }`,
        { input: { holder } },
      );
      await call(`mutation ($input: PointsDepositInput!) { pointsDeposit(input: $input) { userErrors { code } } }`, { input: { serviceRecord } });
      return { holder, passbookNumber: opened.accountOpen.account.passbookNumber };
    },
  );
  return { tills, accounts };
}

/** `count` payment codes, each issued by a holder of the set-up's accounts in turn (each pays for one redemption). */
export async function issuePaymentCodes(gatewayUrl: string, auth: GatewayConfig['auth'], redemptions: Redemptions, count: number): Promise<string[]> {
  if (auth.kind !== 'dev-secret') throw new Error('the benchmark runs with the dev secret');
  const tokens = await Promise.all(redemptions.accounts.map(({ holder }) => mintDevToken({ roles: ['volunteer'], personId: holder, ttlSeconds: 3600 }, auth)));
  return inBatches(
    Array.from({ length: count }, (_, index) => tokens[index % tokens.length]!),
    16,
    async (token) => {
      const issued = await callGraph<{ paymentCodeIssue: { paymentCode: { code: string } | null; userErrors: { code: string }[] } }>(
        gatewayUrl,
        `mutation { paymentCodeIssue(input: {}) { paymentCode { code } userErrors { code } } }`,
        {},
        token,
      );
      const code = issued.paymentCodeIssue.paymentCode?.code;
      if (!code) throw new Error(`no payment code: ${JSON.stringify(issued.paymentCodeIssue.userErrors)}`);
      return code;
    },
  );
}
