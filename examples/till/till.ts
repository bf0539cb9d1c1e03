/**
 * A sample till for partner merchants: what a point-of-sale system needs to
 * take the public welfare bank's points through the Lianxin graph, and
 * nothing more. docs/merchants.md is its contract; this file shows it in
 * code a till can copy. It has no dependencies beyond Node (20 or later):
 *
 *   npx tsx examples/till/till.ts catalogue
 *   npx tsx examples/till/till.ts sale --code 281234567890123456 --item <item id>:2
 *   npx tsx examples/till/till.ts refund --redemption <id> [--item <item id>:1]
 *   npx tsx examples/till/till.ts statements
 *
 * (Node 22.18 and later run the file directly: `node examples/till/till.ts`.)
 *
 * Configuration, from the environment:
 *
 *   LIANXIN_GRAPHQL_URL     the gateway, e.g. https://graph.example.cn/graphql
 *   LIANXIN_MERCHANT_ID     the shop's merchant id (a UUID)
 *   LIANXIN_TOKEN           a token to use as it is (development: `npm run token -- --role merchant --merchant <id>`)
 *   or, in production, the identity provider's client-credentials flow:
 *   LIANXIN_TOKEN_URL, LIANXIN_CLIENT_ID, LIANXIN_CLIENT_SECRET, LIANXIN_SCOPE (optional)
 *
 * The rules it keeps (docs/merchants.md, Idempotency keys):
 * - one idempotency key per sale attempt, made before the first try and
 *   reused by every retry of that request;
 * - retries only what may be retried (no answer, 502/503/504, an internal
 *   error), with exponential back-off and jitter; waits `Retry-After` on 429;
 *   fetches a new token once on 401;
 * - never retries a refusal (`userErrors`): the bank answered.
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';

/** Where the till signs in: a fixed token, or the identity provider's client-credentials grant. */
export type TillCredentials = { token: string } | { tokenUrl: string; clientId: string; clientSecret: string; scope?: string };

export interface TillOptions {
  /** The gateway's GraphQL endpoint. */
  endpoint: string;
  /** The merchant this till speaks for (the token's `merchant_id`). */
  merchant: string;
  credentials: TillCredentials;
  /** Tries per request, the first included (default 8). */
  maxAttempts?: number;
  /** The first back-off, doubled on each retry (default 500 ms), and its ceiling (default 60 s). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** How long one try may take before it counts as no answer (default 15 s). */
  timeoutMs?: number;
  /** Where the till says what it does (default: nowhere). */
  log?: (line: string) => void;
}

/** A line of a sale or a refund: a catalogue item and how many units. */
export interface SaleLine {
  item: string;
  quantity: number;
}

/** The bank refused (a `userErrors` entry): not to be retried with the same input. */
export class TillRefusal extends Error {
  readonly code: string;
  readonly field: readonly string[] | null;
  constructor(code: string, message: string, field: readonly string[] | null) {
    super(`${code}: ${message}`);
    this.name = 'TillRefusal';
    this.code = code;
    this.field = field;
  }
}

/** The request itself was not acceptable, or retries ran out: `code` is the GraphQL error code or the HTTP status. */
export class TillError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(`${code}: ${message}`);
    this.name = 'TillError';
    this.code = code;
  }
}

interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

interface Payload {
  userErrors: { field: string[] | null; code: string; message: string }[];
}

const RETRYABLE_STATUS = new Set([502, 503, 504]);

const REDEMPTION_FIELDS = 'id status totalPoints itemCount memberId heldUntil lines { item { id } name quantity unitPoints points }';

export class Till {
  private readonly options: Required<Omit<TillOptions, 'log'>> & { log: (line: string) => void };
  private token: { value: string; until: number } | null = null;

  constructor(options: TillOptions) {
    this.options = { maxAttempts: 8, baseDelayMs: 500, maxDelayMs: 60_000, timeoutMs: 15_000, log: () => undefined, ...options };
  }

  /** The shop's catalogue, as customers see it. */
  async catalogue(first = 50): Promise<{ totalCount: number; items: { id: string; name: string; pricePoints: number; stock: number; active: boolean }[] }> {
    const data = await this.send<{
      merchant: { catalog: { totalCount: number; edges: { node: { id: string; name: string; pricePoints: number; stock: number; active: boolean } }[] } };
    }>(
      `query TillCatalogue($merchant: ID!, $first: Int) { merchant(id: $merchant) { catalog(first: $first) { totalCount edges { node { id name pricePoints stock active } } } } }`,
      { merchant: this.options.merchant, first },
    );
    return { totalCount: data.merchant.catalog.totalCount, items: data.merchant.catalog.edges.map((edge) => edge.node) };
  }

  /** Reserves the customer's points and the stock, from the payment code they show; returns the hold. */
  async hold(paymentCode: string, lines: readonly SaleLine[], idempotencyKey: string = randomUUID()): Promise<Redemption> {
    const data = await this.send<{ redemptionHold: Payload & { redemption: Redemption | null } }>(
      `mutation TillHold($input: RedemptionCreateInput!) { redemptionHold(input: $input) { redemption { ${REDEMPTION_FIELDS} } userErrors { field code message } } }`,
      { input: { paymentCode, merchant: this.options.merchant, items: lines, idempotencyKey } },
    );
    return accepted(data.redemptionHold, 'redemption');
  }

  /** Redeems in one step, from the payment code the customer shows. */
  async redeem(paymentCode: string, lines: readonly SaleLine[], idempotencyKey: string = randomUUID()): Promise<Redemption> {
    const data = await this.send<{ redemptionCreate: Payload & { redemption: Redemption | null } }>(
      `mutation TillRedeem($input: RedemptionCreateInput!) { redemptionCreate(input: $input) { redemption { ${REDEMPTION_FIELDS} } userErrors { field code message } } }`,
      { input: { paymentCode, merchant: this.options.merchant, items: lines, idempotencyKey } },
    );
    return accepted(data.redemptionCreate, 'redemption');
  }

  /** Completes a hold: safe to retry as it is (capturing a captured hold returns it). */
  async capture(redemption: string): Promise<Redemption> {
    const data = await this.send<{ redemptionCapture: Payload & { redemption: Redemption | null } }>(
      `mutation TillCapture($input: RedemptionResolveInput!) { redemptionCapture(input: $input) { redemption { ${REDEMPTION_FIELDS} } userErrors { field code message } } }`,
      { input: { redemption } },
    );
    return accepted(data.redemptionCapture, 'redemption');
  }

  /** Releases a hold: safe to retry as it is. */
  async void(redemption: string): Promise<Redemption> {
    const data = await this.send<{ redemptionVoid: Payload & { redemption: Redemption | null } }>(
      `mutation TillVoid($input: RedemptionResolveInput!) { redemptionVoid(input: $input) { redemption { ${REDEMPTION_FIELDS} } userErrors { field code message } } }`,
      { input: { redemption } },
    );
    return accepted(data.redemptionVoid, 'redemption');
  }

  /** Gives points back for a captured redemption, whole (no lines) or by line. */
  async refund(redemption: string, lines: readonly SaleLine[] | null, idempotencyKey: string = randomUUID(), reason?: string): Promise<Refund> {
    const data = await this.send<{ redemptionRefund: Payload & { refund: Refund | null } }>(
      `mutation TillRefund($input: RedemptionRefundInput!) { redemptionRefund(input: $input) { refund { id points createdAt lines { item { id } quantity points } } userErrors { field code message } } }`,
      { input: { redemption, lines, reason, idempotencyKey } },
    );
    return accepted(data.redemptionRefund, 'refund');
  }

  /** The shop's settlement statements, newest first. */
  async statements(first = 12): Promise<Statement[]> {
    const data = await this.send<{ merchant: { statements: { edges: { node: Statement }[] } } }>(
      `query TillStatements($merchant: ID!, $first: Int) { merchant(id: $merchant) { statements(first: $first) { edges { node { id status periodFrom periodTo redemptionCount refundCount points refundedPoints netPoints amountFen } } } } }`,
      { merchant: this.options.merchant, first },
    );
    return data.merchant.statements.edges.map((edge) => edge.node);
  }

  /** One statement's lines as CSV, for the shop's accounting. */
  async statementCsv(statement: string): Promise<string> {
    const data = await this.send<{ settlementStatement: { csv: string } | null }>(`query TillStatementCsv($id: ID!) { settlementStatement(id: $id) { csv } }`, { id: statement });
    if (!data.settlementStatement) throw new TillError('NOT_FOUND', 'No such statement.');
    return data.settlementStatement.csv;
  }

  /** Confirms a closed statement: the shop agrees with its totals. */
  async confirmStatement(statement: string): Promise<Statement> {
    const data = await this.send<{ settlementStatementConfirm: Payload & { statement: Statement | null } }>(
      `mutation TillConfirm($input: SettlementStatementInput!) { settlementStatementConfirm(input: $input) { statement { id status periodFrom periodTo redemptionCount refundCount points refundedPoints netPoints amountFen } userErrors { field code message } } }`,
      { input: { statement } },
    );
    return accepted(data.settlementStatementConfirm, 'statement');
  }

  /**
   * POSTs one operation, retrying what may be retried. The same body goes out
   * on every try, so a mutation's idempotency key travels with each retry.
   */
  async send<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const body = JSON.stringify({ query, variables });
    let renewedToken = false;
    for (let attempt = 1; ; attempt += 1) {
      const last = attempt >= this.options.maxAttempts;
      let response: Response;
      try {
        response = await fetch(this.options.endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${await this.bearer()}` },
          body,
          signal: AbortSignal.timeout(this.options.timeoutMs),
        });
      } catch (error) {
        // No answer: the bank may or may not have acted, so the same request (and key) goes again.
        if (last) throw new TillError('NO_ANSWER', error instanceof Error ? error.message : String(error));
        await this.backOff(attempt, `no answer (${error instanceof Error ? error.message : String(error)})`);
        continue;
      }
      if (response.status === 401 && !renewedToken) {
        // An expired or withdrawn token: fetch a new one once, then try again.
        renewedToken = true;
        this.token = null;
        this.options.log('token refused; fetching a new one');
        continue;
      }
      if (response.status === 429 && !last) {
        const wait = Number(response.headers.get('retry-after') ?? '1');
        this.options.log(`rate limited; waiting ${wait} s`);
        await sleep(Math.min(this.options.maxDelayMs, (Number.isFinite(wait) ? wait : 1) * 1000));
        continue;
      }
      if (RETRYABLE_STATUS.has(response.status) && !last) {
        await this.backOff(attempt, `HTTP ${response.status}`);
        continue;
      }
      const answer = (await response.json().catch(() => ({}))) as GraphQLBody;
      const error = answer.errors?.[0];
      if (error?.extensions?.code === 'INTERNAL_SERVER_ERROR' && !last) {
        await this.backOff(attempt, 'internal error');
        continue;
      }
      if (error || !answer.data) throw new TillError(error?.extensions?.code ?? `HTTP_${response.status}`, error?.message ?? 'No data.');
      return answer.data as T;
    }
  }

  /** Sleeps 0.5 s, 1 s, 2 s… (up to the ceiling) with full jitter, so tills that failed together do not retry together. */
  private async backOff(attempt: number, why: string): Promise<void> {
    const ceiling = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** (attempt - 1));
    const delay = Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
    this.options.log(`${why}; retrying in ${delay} ms`);
    await sleep(delay);
  }

  /** The bearer token: the fixed one, or a client-credentials token kept until a minute before it expires. */
  private async bearer(): Promise<string> {
    const { credentials } = this.options;
    if ('token' in credentials) return credentials.token;
    if (this.token && Date.now() < this.token.until) return this.token.value;
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (credentials.scope) form.set('scope', credentials.scope);
    const response = await fetch(credentials.tokenUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(credentials.clientId)}:${encodeURIComponent(credentials.clientSecret)}`).toString('base64')}`,
      },
      body: form,
      signal: AbortSignal.timeout(this.options.timeoutMs),
    });
    const token = (await response.json().catch(() => ({}))) as { access_token?: string; expires_in?: number };
    if (!response.ok || !token.access_token) throw new TillError('TOKEN_REFUSED', `The identity provider answered HTTP ${response.status}.`);
    this.token = { value: token.access_token, until: Date.now() + Math.max(0, (token.expires_in ?? 300) - 60) * 1000 };
    return token.access_token;
  }
}

export interface Redemption {
  id: string;
  status: string;
  totalPoints: number;
  itemCount: number;
  memberId: string;
  heldUntil: string | null;
  lines: { item: { id: string } | null; name: string; quantity: number; unitPoints: number; points: number }[];
}

export interface Refund {
  id: string;
  points: number;
  createdAt: string;
  lines: { item: { id: string } | null; quantity: number; points: number }[];
}

export interface Statement {
  id: string;
  status: string;
  periodFrom: string;
  periodTo: string;
  redemptionCount: number;
  refundCount: number;
  points: number;
  refundedPoints: number;
  netPoints: number;
  amountFen: number;
}

/** The payload's result, or the bank's first refusal as a TillRefusal. */
function accepted<K extends string, T>(payload: Payload & { [key in K]: T | null }, key: K): T {
  const refusal = payload.userErrors[0];
  if (refusal) throw new TillRefusal(refusal.code, refusal.message, refusal.field);
  const result = payload[key];
  if (result === null) throw new TillError('NO_RESULT', `The bank answered without a ${key}.`);
  return result;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `--item <id>:<quantity>` options (quantity 1 when left out). */
function linesFrom(args: readonly string[]): SaleLine[] {
  const lines: SaleLine[] = [];
  args.forEach((arg, index) => {
    if (arg !== '--item') return;
    const [item = '', quantity = '1'] = (args[index + 1] ?? '').split(':');
    lines.push({ item, quantity: Number(quantity) });
  });
  return lines;
}

const option = (args: readonly string[], name: string): string | undefined => {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
};

/** The till from the environment (see the top of the file). */
export function tillFromEnvironment(env: NodeJS.ProcessEnv, log?: (line: string) => void): Till {
  const endpoint = env['LIANXIN_GRAPHQL_URL'] ?? 'http://localhost:4000/graphql';
  const merchant = env['LIANXIN_MERCHANT_ID'];
  if (!merchant) throw new TillError('CONFIGURATION', 'Set LIANXIN_MERCHANT_ID to the shop’s merchant id.');
  const token = env['LIANXIN_TOKEN'];
  const tokenUrl = env['LIANXIN_TOKEN_URL'];
  let credentials: TillCredentials;
  if (token) credentials = { token };
  else if (tokenUrl && env['LIANXIN_CLIENT_ID'] && env['LIANXIN_CLIENT_SECRET'])
    credentials = { tokenUrl, clientId: env['LIANXIN_CLIENT_ID'], clientSecret: env['LIANXIN_CLIENT_SECRET'], ...(env['LIANXIN_SCOPE'] ? { scope: env['LIANXIN_SCOPE'] } : {}) };
  else throw new TillError('CONFIGURATION', 'Set LIANXIN_TOKEN, or LIANXIN_TOKEN_URL with LIANXIN_CLIENT_ID and LIANXIN_CLIENT_SECRET.');
  return new Till({ endpoint, merchant, credentials, ...(log ? { log } : {}) });
}

/** The command line: one command, its result as JSON on stdout. */
export async function main(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<unknown> {
  const till = tillFromEnvironment(env, (line) => process.stderr.write(`${line}\n`));
  switch (args[0]) {
    case 'catalogue':
      return till.catalogue();
    case 'sale': {
      const code = option(args, '--code');
      if (!code) throw new TillError('USAGE', 'sale needs --code <the customer’s payment code>.');
      // Hold first, capture when the sale completes: the points are reserved while the cashier finishes.
      const held = await till.hold(code, linesFrom(args));
      return till.capture(held.id);
    }
    case 'refund': {
      const redemption = option(args, '--redemption');
      if (!redemption) throw new TillError('USAGE', 'refund needs --redemption <id>.');
      const lines = linesFrom(args);
      return till.refund(redemption, lines.length > 0 ? lines : null, randomUUID(), option(args, '--reason'));
    }
    case 'statements':
      return till.statements();
    case 'statement-csv': {
      const statement = option(args, '--statement');
      if (!statement) throw new TillError('USAGE', 'statement-csv needs --statement <id>.');
      return till.statementCsv(statement);
    }
    default:
      throw new TillError('USAGE', 'Commands: catalogue, sale, refund, statements, statement-csv.');
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (result) => process.stdout.write(`${typeof result === 'string' ? result : JSON.stringify(result, null, 2)}\n`),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
