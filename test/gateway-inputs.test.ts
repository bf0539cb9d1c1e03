/**
 * Bad input at the gateway, on the whole graph: each malformed, oversized or
 * hostile request gets its own status and code, and the gateway answers the
 * next ordinary request as if nothing happened. Hostile strings in every
 * string argument of the public mutations come back as user errors or as
 * plain data, never as a server error or database text.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SignJWT } from 'jose';
import { DEMO_REGIONS, DEMO_SAMPLE_PERSON_ID, DEMO_STAFF, DEMO_TEAM, demoId } from '@lianxin/shared/demo';
import { startTestGraph, type TestGraph } from './support/graph.js';

let graph: TestGraph;
let token: string;
/** Dev tokens the gateway must refuse for their time claims, and one too big to read. */
const oddTokens: Record<string, string> = {};

beforeAll(async () => {
  graph = await startTestGraph();
  token = await graph.token({ roles: ['volunteer'], personId: DEMO_SAMPLE_PERSON_ID });
  const now = Math.floor(Date.now() / 1000);
  const day = 86_400;
  const volunteer = { roles: ['volunteer' as const], personId: DEMO_SAMPLE_PERSON_ID };
  const odd = {
    noExp: { expiresAt: null },
    noExpNoIat: { expiresAt: null, issuedAt: null },
    iatInAnHour: { issuedAt: now + 3600 },
    iatInAMinute: { issuedAt: now + 60 },
    nbfInAnHour: { notBefore: now + 3600 },
    nbfInAMinute: { notBefore: now + 60 },
    aYear: { ttlSeconds: 365 * day },
    aDayAndASecond: { issuedAt: now, expiresAt: now + day + 1 },
    noIatTwoDays: { issuedAt: null, expiresAt: now + 2 * day },
  };
  for (const [name, times] of Object.entries(odd)) oddTokens[name] = await graph.token({ ...volunteer, ...times });
  const { auth } = graph.graph.gatewayConfig;
  const sign = (claims: Record<string, unknown>) =>
    new SignJWT({ roles: ['volunteer'], ...claims })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('s')
      .setIssuer(auth.issuer)
      .setAudience(auth.audience)
      .sign(new TextEncoder().encode(auth.kind === 'dev-secret' ? auth.secret : ''));
  oddTokens['expNever'] = await sign({ exp: 'never' });
  oddTokens['enormous'] = await sign({ exp: now + 300, padding: 'p'.repeat(9_000) });
});
afterAll(async () => {
  await graph?.stop();
});

interface Exchange {
  status: number;
  body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
  text: string;
}

async function send(init: { method?: string; headers?: Record<string, string>; body?: string; search?: string }): Promise<Exchange> {
  const response = await fetch(`${graph.url}${init.search ?? ''}`, { method: init.method ?? 'POST', headers: init.headers, body: init.body });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as Exchange['body'], text };
}

const json = (payload: unknown, headers: Record<string, string> = {}) => ({ headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(payload) });
const get = (query: string, headers: Record<string, string> = {}, extensions?: unknown) => ({
  method: 'GET',
  headers,
  search: `?query=${encodeURIComponent(query)}${extensions ? `&extensions=${encodeURIComponent(JSON.stringify(extensions))}` : ''}`,
});

const SAMPLE = DEMO_SAMPLE_PERSON_ID;
const hours = (from: string) => `{ person(id: "${SAMPLE}") { serviceHours(from: ${from}) { minutes } } }`;
const hoursFrom = 'query ($from: Date) { person(id: "' + SAMPLE + '") { serviceHours(from: $from) { minutes } } }';
const activitiesFrom = 'query ($at: DateTime) { activities(filter: { startsFrom: $at }) { edges { cursor } } }';
const priced = (price: string) => `mutation { catalogItemCreate(input: { merchant: "${SAMPLE}", name: "x", pricePoints: ${price}, stock: 1 }) { userErrors { code } } }`;
const pricedBy = 'mutation ($price: Points!) { catalogItemCreate(input: { merchant: "' + SAMPLE + '", name: "x", pricePoints: $price, stock: 1 }) { userErrors { code } } }';
const contributed = 'mutation ($amount: Money!) { fundContribute(input: { fund: "' + SAMPLE + '", source: PUBLIC, amount: $amount }) { userErrors { code } } }';
const signedIn = (payload: unknown) => json(payload, { authorization: `Bearer ${token}` });
const bearer = (value: string | undefined) => json({ query: '{ __typename }' }, { authorization: `Bearer ${value ?? ''}` });

let deep = 'name';
for (let level = 0; level < 12; level += 1) deep = `parent { ${deep} }`;

const badInputs: [string, number, string, () => Parameters<typeof send>[0], Record<string, unknown>?][] = [
  ['malformed JSON', 400, 'BAD_REQUEST', () => ({ headers: { 'content-type': 'application/json' }, body: '{"query": "{ __typename }"' })],
  ['a plain-text body', 415, 'BAD_REQUEST', () => ({ headers: { 'content-type': 'text/plain' }, body: '{ __typename }' })],
  ['a form post', 415, 'BAD_REQUEST', () => ({ headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'query=%7B__typename%7D' })],
  ['an empty body', 400, 'BAD_REQUEST', () => ({ headers: { 'content-type': 'application/json' }, body: '' })],
  ['a body with no query', 400, 'BAD_REQUEST', () => json({ variables: {} })],
  ['a query that is not a string', 400, 'BAD_REQUEST', () => json({ query: { select: '*' } })],
  ['a 1 MB query', 413, 'PAYLOAD_TOO_LARGE', () => json({ query: `{ __typename }${' '.repeat(1024 * 1024)}` })],
  ['a query longer than the character limit', 400, 'QUERY_TOO_COMPLEX', () => json({ query: `{ __typename }${'#'.repeat(20_000)}` })],
  ['a depth bomb', 400, 'QUERY_TOO_COMPLEX', () => json({ query: `{ region(id: "x") { ${deep} } }` })],
  ['an alias bomb', 400, 'QUERY_TOO_COMPLEX', () => json({ query: `{ ${Array.from({ length: 500 }, (_, n) => `a${n}: categories { code }`).join(' ')} }` })],
  ['a directive bomb', 400, 'QUERY_TOO_COMPLEX', () => json({ query: `{ ${Array.from({ length: 300 }, (_, n) => `a${n}: __typename @include(if: true)`).join(' ')} }` })],
  ['a token bomb', 400, 'QUERY_TOO_COMPLEX', () => json({ query: `{ ${' a'.repeat(2_100)} }` })],
  [
    'a cost bomb',
    400,
    'QUERY_TOO_COMPLEX',
    () => json({ query: '{ persons(first: 100) { edges { node { requests(first: 100) { edges { node { id description } } } } } } }' }, { authorization: `Bearer ${token}` }),
  ],
  [
    'a fragment bomb',
    400,
    'QUERY_TOO_COMPLEX',
    () => json({ query: `{ ...A } fragment A on Query { ${'...B '.repeat(300)}} fragment B on Query { ${'...C '.repeat(300)}} fragment C on Query { __typename }` }),
  ],
  ['a batch of 10,000 operations', 400, 'BAD_REQUEST', () => json(Array.from({ length: 10_000 }, () => ({ query: '{ __typename }' })))],
  ['a page larger than 100', 400, 'BAD_USER_INPUT', () => json({ query: `{ team(id: "${DEMO_TEAM.id}") { members(first: 101) { edges { cursor } } } }` })],
  ['a forged cursor', 200, 'BAD_USER_INPUT', () => json({ query: `{ regions(after: "' OR 1=1 --") { edges { cursor } } }` })],
  ['variables of the wrong type', 400, 'BAD_USER_INPUT', () => json({ query: 'query ($id: ID!) { person(id: $id) { name } }', variables: { id: { $ne: null } } })],
  ['a missing required variable', 400, 'BAD_USER_INPUT', () => json({ query: 'query ($id: ID!) { person(id: $id) { name } }' })],
  [
    'a NUL character in a variable',
    400,
    'BAD_USER_INPUT',
    () =>
      json(
        {
          query: 'mutation ($input: ServiceRequestCreateInput!) { serviceRequestCreate(input: $input) { userErrors { code } } }',
          variables: { input: { category: 'home_repair', description: 'a\u0000b' } },
        },
        { authorization: `Bearer ${token}` },
      ),
  ],
  [
    'a NUL character in the query text',
    400,
    'BAD_USER_INPUT',
    () =>
      json(
        { query: 'mutation { serviceRequestCreate(input: { category: "home_repair", description: "a\\u0000b" }) { userErrors { code } } }' },
        { authorization: `Bearer ${token}` },
      ),
  ],
  ['variables sent as a string', 400, 'BAD_REQUEST', () => json({ query: '{ __typename }', variables: '{"id": 1}' })],
  ['an unknown operation name', 400, 'OPERATION_RESOLUTION_FAILURE', () => json({ query: 'query Known { __typename }', operationName: 'Unknown' })],
  ['two operations and no name', 400, 'OPERATION_RESOLUTION_FAILURE', () => json({ query: 'query A { __typename } query B { __typename }' })],
  ['a syntax error', 400, 'GRAPHQL_PARSE_FAILED', () => json({ query: '{ categories { code }' })],
  ['an unknown field', 400, 'GRAPHQL_VALIDATION_FAILED', () => json({ query: '{ passwords }' })],
  ['a mutation over GET', 405, 'BAD_REQUEST', () => get('mutation { accountOpen(input: {}) { userErrors { code } } }', { 'apollo-require-preflight': 'true' })],
  ['a GET without a CSRF preflight header', 400, 'BAD_REQUEST', () => get('{ __typename }')],
  ['a garbage bearer token', 401, 'UNAUTHENTICATED', () => json({ query: '{ __typename }' }, { authorization: 'Bearer <script>alert(1)</script>' })],
  // Invalid values of the custom scalars: in the query text (validation, naming the argument) or in variables, anonymous or signed in.
  ['a Date literal that is not a date', 400, 'GRAPHQL_VALIDATION_FAILED', () => signedIn({ query: hours('"not-a-date"') })],
  ['a Date literal of 30 February', 400, 'GRAPHQL_VALIDATION_FAILED', () => signedIn({ query: hours('"2024-02-30"') })],
  ['a Date literal in year 275760', 400, 'GRAPHQL_VALIDATION_FAILED', () => signedIn({ query: hours('"275760-01-01"') })],
  ['a Date literal that is a number', 400, 'GRAPHQL_VALIDATION_FAILED', () => signedIn({ query: hours('1e20') })],
  ['a Date variable of 30 February', 400, 'BAD_USER_INPUT', () => signedIn({ query: hoursFrom, variables: { from: '2024-02-30' } })],
  ['a Date variable that is a number', 400, 'BAD_USER_INPUT', () => signedIn({ query: hoursFrom, variables: { from: 1e20 } })],
  [
    'a DateTime literal out of every range',
    400,
    'GRAPHQL_VALIDATION_FAILED',
    () => json({ query: '{ activities(filter: { startsFrom: "2024-13-45T99:00:00Z" }) { edges { cursor } } }' }),
  ],
  [
    'a DateTime literal given as a list',
    400,
    'GRAPHQL_VALIDATION_FAILED',
    () => json({ query: '{ activities(filter: { startsFrom: ["2024-01-01T00:00:00Z"] }) { edges { cursor } } }' }),
  ],
  [
    'a DateTime default value that is not a date',
    400,
    'GRAPHQL_VALIDATION_FAILED',
    () => json({ query: 'query ($at: DateTime = "soon") { activities(filter: { startsFrom: $at }) { edges { cursor } } }' }),
  ],
  ['a DateTime variable that is not a date', 400, 'BAD_USER_INPUT', () => json({ query: activitiesFrom, variables: { at: 'not-a-date' } })],
  ['a DateTime variable in year 275760', 400, 'BAD_USER_INPUT', () => json({ query: activitiesFrom, variables: { at: '+275760-09-13T00:00:00Z' } })],
  ['a DateTime variable that is a number', 400, 'BAD_USER_INPUT', () => json({ query: activitiesFrom, variables: { at: 1e20 } })],
  ['a DateTime variable without an offset', 400, 'BAD_USER_INPUT', () => json({ query: activitiesFrom, variables: { at: '2024-05-01T09:30:00' } })],
  ['a Points literal that is text', 400, 'GRAPHQL_VALIDATION_FAILED', () => signedIn({ query: priced('"abc"') })],
  ['a Points literal with a fraction', 400, 'GRAPHQL_VALIDATION_FAILED', () => signedIn({ query: priced('1.5') })],
  ['a Points literal of 2^53', 400, 'GRAPHQL_VALIDATION_FAILED', () => signedIn({ query: priced(String(2 ** 53)) })],
  ['a Points variable that is text', 400, 'BAD_USER_INPUT', () => signedIn({ query: pricedBy, variables: { price: 'abc' } })],
  ['a Points variable in exponent notation', 400, 'BAD_USER_INPUT', () => signedIn({ query: pricedBy, variables: { price: '1e3' } })],
  ['a Points variable with a fraction', 400, 'BAD_USER_INPUT', () => json({ query: pricedBy, variables: { price: 1.5 } })],
  ['a Points variable of 2^53', 400, 'BAD_USER_INPUT', () => json({ query: pricedBy, variables: { price: 2 ** 53 } })],
  ['a Money variable with a fraction', 400, 'BAD_USER_INPUT', () => signedIn({ query: contributed, variables: { amount: 0.5 } })],
  ['a Money variable that is text', 400, 'BAD_USER_INPUT', () => json({ query: contributed, variables: { amount: '100' } })],
  // Operation types the graph does not serve.
  ['a subscription', 400, 'GRAPHQL_VALIDATION_FAILED', () => json({ query: 'subscription { x }' })],
  ['a subscription with a name, signed in', 400, 'GRAPHQL_VALIDATION_FAILED', () => signedIn({ query: 'subscription Dispatches { serviceRequest(id: "x") { status } }' })],
  [
    'a subscription beside a query, chosen by name',
    400,
    'GRAPHQL_VALIDATION_FAILED',
    () => json({ query: 'query A { __typename } subscription B { __typename }', operationName: 'B' }),
  ],
  // Automatic persisted queries.
  [
    'a persisted query whose hash is not its text’s',
    400,
    'PERSISTED_QUERY_HASH_MISMATCH',
    () => json({ query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } }),
  ],
  [
    'a persisted query hash over GET that is not its text’s',
    400,
    'PERSISTED_QUERY_HASH_MISMATCH',
    () => get('{ __typename }', { 'apollo-require-preflight': 'true' }, { persistedQuery: { version: 1, sha256Hash: 'b'.repeat(64) } }),
  ],
  [
    'a persisted query of an unknown version',
    400,
    'BAD_REQUEST',
    () => json({ query: '{ __typename }', extensions: { persistedQuery: { version: 2, sha256Hash: 'a'.repeat(64) } } }),
  ],
  ['a persisted query extension that is not an object', 400, 'BAD_REQUEST', () => json({ extensions: { persistedQuery: 'yes' } })],
  ['a persisted query hash that is not hex', 400, 'BAD_REQUEST', () => json({ extensions: { persistedQuery: { version: 1, sha256Hash: { $ne: null } } } })],
  ['an unknown persisted query', 200, 'PERSISTED_QUERY_NOT_FOUND', () => json({ extensions: { persistedQuery: { version: 1, sha256Hash: 'c'.repeat(64) } } })],
  [
    'a deposit that says its own minutes',
    400,
    'BAD_USER_INPUT',
    () =>
      json(
        {
          query: 'mutation ($input: PointsDepositInput!) { pointsDeposit(input: $input) { userErrors { code } } }',
          variables: { input: { serviceRecord: DEMO_SAMPLE_PERSON_ID, person: DEMO_SAMPLE_PERSON_ID, category: 'home_repair', minutes: 1440 } },
        },
        { authorization: `Bearer ${token}` },
      ),
  ],
  ['a token without exp', 401, 'UNAUTHENTICATED', () => bearer(oddTokens['noExp']), { reason: 'TOKEN_CLAIMS_INVALID' }],
  ['a token without exp or iat', 401, 'UNAUTHENTICATED', () => bearer(oddTokens['noExpNoIat']), { reason: 'TOKEN_CLAIMS_INVALID' }],
  ['a token whose exp is not a number', 401, 'UNAUTHENTICATED', () => bearer(oddTokens['expNever']), { reason: 'TOKEN_CLAIMS_INVALID' }],
  ['a token issued an hour in the future', 401, 'UNAUTHENTICATED', () => bearer(oddTokens['iatInAnHour']), { reason: 'TOKEN_CLAIMS_INVALID' }],
  ['a token issued a minute in the future', 401, 'UNAUTHENTICATED', () => bearer(oddTokens['iatInAMinute']), { reason: 'TOKEN_CLAIMS_INVALID' }],
  ['a token not valid before an hour from now', 401, 'UNAUTHENTICATED', () => bearer(oddTokens['nbfInAnHour']), { reason: 'TOKEN_CLAIMS_INVALID' }],
  ['a token not valid before a minute from now', 401, 'UNAUTHENTICATED', () => bearer(oddTokens['nbfInAMinute']), { reason: 'TOKEN_CLAIMS_INVALID' }],
  ['a token living a year', 401, 'UNAUTHENTICATED', () => bearer(oddTokens['aYear']), { reason: 'TOKEN_CLAIMS_INVALID' }],
  ['a token living a day and a second', 401, 'UNAUTHENTICATED', () => bearer(oddTokens['aDayAndASecond']), { reason: 'TOKEN_CLAIMS_INVALID' }],
  ['a token without iat expiring in two days', 401, 'UNAUTHENTICATED', () => bearer(oddTokens['noIatTwoDays']), { reason: 'TOKEN_CLAIMS_INVALID' }],
  [
    'an Authorization header over 8 KB',
    401,
    'UNAUTHENTICATED',
    () => json({ query: '{ __typename }' }, { authorization: `Bearer ${'a'.repeat(9_000)}` }),
    { reason: 'TOKEN_MALFORMED' },
  ],
  [
    'an Authorization header of 15,000 characters',
    401,
    'UNAUTHENTICATED',
    () => json({ query: '{ __typename }' }, { authorization: `Bearer ${'x.'.repeat(7_500)}` }),
    { reason: 'TOKEN_MALFORMED' },
  ],
  ['a correctly signed token over 8 KB', 401, 'UNAUTHENTICATED', () => bearer(oddTokens['enormous']), { reason: 'TOKEN_MALFORMED' }],
  [
    'an Authorization header with two tokens',
    401,
    'UNAUTHENTICATED',
    () => json({ query: '{ __typename }' }, { authorization: `Bearer ${token} ${token}` }),
    { reason: 'TOKEN_MALFORMED' },
  ],
];

describe('bad input', () => {
  // The optional fifth column as a rest parameter: a callback taking more arguments than a row holds would be called as a done-callback test.
  it.each(badInputs)('answers %s with %i %s, and then answers normally', async (_name, status, code, request, ...[extensions]) => {
    const refused = await send(request());
    expect(refused.status).toBe(status);
    expect(refused.body.errors?.map((error) => error.extensions?.['code'])).toContain(code);
    expect(refused.body.errors?.map((error) => error.extensions?.['code'])).not.toContain('INTERNAL_SERVER_ERROR');
    if (extensions) expect(refused.body.errors?.[0]?.extensions).toMatchObject(extensions);
    expect(refused.text).not.toMatch(/at \/|\.ts:\d|node_modules|stacktrace/);

    const normal = await graph.query(`{ categories { code } team(id: "${DEMO_TEAM.id}") { name } }`);
    expect(normal.status).toBe(200);
    expect(normal.errors).toBeUndefined();
  });
});

describe('invalid scalar values', () => {
  it('names the argument of each bad literal, every one of them, with where it stands', async () => {
    const response = await send(
      signedIn({
        query: `{ activities(filter: { startsFrom: "yesterday", startsBefore: "2024-02-30T00:00:00Z" }) { edges { cursor } } person(id: "${SAMPLE}") { serviceHours(to: "2024-1-1") { minutes } } }`,
      }),
    );
    expect(response.status).toBe(400);
    expect(response.body.data).toBeUndefined();
    const errors = response.body.errors ?? [];
    expect(errors.map((error) => error.extensions?.['argument'])).toEqual(['filter.startsFrom', 'filter.startsBefore', 'to']);
    expect(errors.map((error) => error.message)).toEqual([
      expect.stringMatching(/^Argument "filter\.startsFrom" of "activities" is not a valid DateTime: "yesterday"/),
      expect.stringMatching(/^Argument "filter\.startsBefore" of "activities" is not a valid DateTime: "2024-02-30T00:00:00Z"/),
      expect.stringMatching(/^Argument "to" of "serviceHours" is not a valid Date: "2024-1-1"/),
    ]);
    for (const error of errors) expect((error as { locations?: unknown[] }).locations).toHaveLength(1);
  });

  it('names the variable of each bad value, and where inside it the value sits', async () => {
    const response = await send(
      signedIn({
        query:
          'query ($filter: ActivityFilter, $from: Date) { activities(filter: $filter) { edges { cursor } } person(id: "' +
          SAMPLE +
          '") { serviceHours(from: $from) { minutes } } }',
        variables: { filter: { startsFrom: '2024-05-01' }, from: '2024-02-30' },
      }),
    );
    expect(response.status).toBe(400);
    expect(response.body.errors?.map((error) => [error.extensions?.['code'], error.message.split(';')[0]])).toEqual([
      ['BAD_USER_INPUT', 'Variable "$filter" got invalid value "2024-05-01" at "filter.startsFrom"'],
      ['BAD_USER_INPUT', 'Variable "$from" got invalid value "2024-02-30"'],
    ]);
  });

  it('takes every valid form: offsets, fractions of a second, the last day of a leap February, and the bounds of the range', async () => {
    for (const at of ['2024-05-01T09:30:00+08:00', '2024-05-01T01:30:00.123456Z', '1000-01-01T00:00:00Z', '9999-12-31T23:59:59Z']) {
      const response = await send(json({ query: activitiesFrom, variables: { at } }));
      expect(response.body.errors?.map((error) => error.extensions?.['code'])).toEqual(['UNAUTHENTICATED']);
    }
    const leap = await send(signedIn({ query: hoursFrom, variables: { from: '2024-02-29' } }));
    expect(leap.status).toBe(200);
    expect(leap.body.errors).toBeUndefined();
  });
});

/** Strings that would change a query if anything pasted them into SQL. */
const HOSTILE = [
  "' OR '1'='1",
  "'; DROP TABLE requests.service_requests; --",
  '1) UNION SELECT passbook_number, balance FROM points.accounts --',
  "00000000-0000-7000-8002-000000000001' OR 1=1 --",
  "'); SELECT pg_sleep(30); --",
  '\\\\x27 OR 1=1 /*',
];

/** Every string argument of the public mutations, with the input it sits in and a sound value for the rest. */
const mutations: [string, string, (value: string) => Record<string, unknown>][] = [
  ['serviceRequestCreate', 'requester', (value) => ({ requester: value, category: 'home_repair', description: 'x' })],
  ['serviceRequestCreate', 'category', (value) => ({ category: value, description: 'x' })],
  ['serviceRequestCreate', 'description', (value) => ({ category: 'home_repair', description: value })],
  ['serviceRequestCreate', 'place', (value) => ({ category: 'home_repair', description: 'x', place: value })],
  ['serviceRequestFromOffer', 'offer', (value) => ({ offer: value, description: 'x', place: DEMO_REGIONS.eastBuilding2.id })],
  ['serviceRequestFromOffer', 'description', (value) => ({ offer: demoId(12, 41), description: value, place: DEMO_REGIONS.eastBuilding2.id })],
  ['serviceRequestFromOffer', 'place', (value) => ({ offer: demoId(12, 41), description: 'x', place: value })],
  [
    'serviceOfferPublish',
    'category',
    (value) => ({
      team: DEMO_TEAM.id,
      category: value,
      description: 'x',
      regions: [DEMO_REGIONS.xingle.id],
      windows: [{ weekday: 1, start: '09:00', end: '10:00' }],
      capacityPerWeek: 1,
    }),
  ],
  ['serviceNeedClaim', 'need', (value) => ({ need: value, team: DEMO_TEAM.id })],
  ['accountOpen', 'holder', (value) => ({ holder: value })],
  ['accountOpen', 'office', (value) => ({ office: value })],
];

const documents: Record<string, string> = {
  serviceRequestCreate: `mutation ($input: ServiceRequestCreateInput!) {
    serviceRequestCreate(input: $input) { serviceRequest { description } userErrors { field code message } }
  }`,
  accountOpen: 'mutation ($input: AccountOpenInput!) { accountOpen(input: $input) { account { id } userErrors { field code message } } }',
  // 乐修匠's demo repair offer (twelve orders a week: more than this table's accepted descriptions).
  serviceRequestFromOffer:
    'mutation ($input: ServiceRequestFromOfferInput!) { serviceRequestFromOffer(input: $input) { serviceRequest { description } userErrors { field code message } } }',
  // Sent by 王建国, 乐修匠's captain: the team is his, so only the category can be refused.
  serviceOfferPublish: 'mutation ($input: ServiceOfferPublishInput!) { serviceOfferPublish(input: $input) { offer { id } userErrors { field code message } } }',
  serviceNeedClaim: 'mutation ($input: ServiceNeedClaimInput!) { serviceNeedClaim(input: $input) { need { id } userErrors { field code message } } }',
};

const injections = mutations.flatMap(([mutation, field, input]) => HOSTILE.map((value) => [mutation, field, value, input] as const));

/** The bank staff's and the category admins' string arguments, sent by a platform admin (the volunteer above may not call these mutations at all). */
const staffMutations: [string, string, (value: string) => Record<string, unknown>][] = [
  ['pointsDeposit', 'serviceRecord', (value) => ({ serviceRecord: value })],
  ['adjustmentRequest', 'account', (value) => ({ account: value, points: 5, reason: 'x' })],
  ['adjustmentRequest', 'reason', (value) => ({ account: DEMO_SAMPLE_PERSON_ID, points: 5, reason: value })],
  ['adjustmentApprove', 'adjustment', (value) => ({ adjustment: value })],
  ['adjustmentReject', 'adjustment', (value) => ({ adjustment: value, reason: 'x' })],
  // Category codes are the key every service is filed under: a hostile one is refused as malformed or unknown.
  ['serviceCategoryCreate', 'code', (value) => ({ code: value, name: 'x' })],
  ['serviceCategoryRename', 'code', (value) => ({ code: value, name: 'x' })],
  ['serviceCategoryRetire', 'code', (value) => ({ code: value })],
];

const staffDocuments: Record<string, string> = {
  pointsDeposit: 'mutation ($input: PointsDepositInput!) { pointsDeposit(input: $input) { deposit { id } userErrors { field code message } } }',
  adjustmentRequest: 'mutation ($input: AdjustmentRequestInput!) { adjustmentRequest(input: $input) { adjustment { id } userErrors { field code message } } }',
  adjustmentApprove: 'mutation ($input: AdjustmentApproveInput!) { adjustmentApprove(input: $input) { adjustment { id } userErrors { field code message } } }',
  adjustmentReject: 'mutation ($input: AdjustmentRejectInput!) { adjustmentReject(input: $input) { adjustment { id } userErrors { field code message } } }',
  serviceCategoryCreate: 'mutation ($input: ServiceCategoryCreateInput!) { serviceCategoryCreate(input: $input) { category { code } userErrors { field code message } } }',
  serviceCategoryRename: 'mutation ($input: ServiceCategoryRenameInput!) { serviceCategoryRename(input: $input) { category { code } userErrors { field code message } } }',
  serviceCategoryRetire: 'mutation ($input: ServiceCategoryRetireInput!) { serviceCategoryRetire(input: $input) { category { code } userErrors { field code message } } }',
};

describe('hostile strings in the bank staff’s mutations', () => {
  it.each(staffMutations.flatMap(([mutation, field, input]) => HOSTILE.map((value) => [mutation, field, value, input] as const)))(
    '%s(input.%s = %j) is a user error, never database text',
    async (mutation, field, value, input) => {
      const admin = await graph.token({ roles: ['platform_admin'] });
      const response = await send(json({ query: staffDocuments[mutation], variables: { input: input(value) } }, { authorization: `Bearer ${admin}` }));
      expect(response.status).toBe(200);
      expect(response.body.errors).toBeUndefined();
      expect(response.text.split(JSON.stringify(value).slice(1, -1)).join('')).not.toMatch(/syntax error|relation "|column "|pg_|INTERNAL_SERVER_ERROR/i);
      const payload = (response.body.data as Record<string, { userErrors: { field: string[] }[] }>)[mutation]!;
      // A hostile reason is accepted as text only if the account were one; the sample person's id is no account, so every case is refused. No hostile string is a category code.
      expect(payload.userErrors.length).toBeGreaterThan(0);
      expect(payload.userErrors.map((error) => error.field.join('.'))).toContain(field === 'reason' ? 'input.account' : `input.${field}`);
    },
  );
});

describe('hostile strings in every string argument of the public mutations', () => {
  it.each(injections)('%s(input.%s = %j) is a user error or plain data', async (mutation, field, value, input) => {
    const response = await send(json({ query: documents[mutation], variables: { input: input(value) } }, { authorization: `Bearer ${token}` }));
    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
    // Whatever the answer echoes of the value aside, it holds nothing from the database.
    expect(response.text.split(JSON.stringify(value).slice(1, -1)).join('')).not.toMatch(/syntax error|relation "|column "|pg_|INTERNAL_SERVER_ERROR/i);
    const payload = (response.body.data as Record<string, { userErrors: { field: string[] }[]; serviceRequest?: { description: string } | null }>)[mutation]!;
    if (payload.userErrors.length > 0) {
      expect(payload.userErrors.map((error) => error.field.join('.'))).toContain(`input.${field}`);
    } else {
      // Accepted: then it is data, kept exactly as sent.
      expect(field).toBe('description');
      expect(payload.serviceRequest?.description).toBe(value);
    }
  });
});

/** Certificates' string arguments: the admins' mutations (sent by a platform admin), the volunteer's purpose, verification and the printable page. */
const MADE_UP_ID = '00000000-0000-7000-8fff-0000000000ad';
const certificateMutations: [string, string, string, (value: string) => Record<string, unknown>][] = [
  ['certificateApplicationDecide', 'application', 'input.application', (value) => ({ application: value, decision: 'ACCEPT', issuer: 'x' })],
  ['certificateApplicationDecide', 'issuer', 'input.application', (value) => ({ application: MADE_UP_ID, decision: 'ACCEPT', issuer: value })],
  ['certificateApplicationDecide', 'reason', 'input.application', (value) => ({ application: MADE_UP_ID, decision: 'REFUSE', reason: value })],
  ['certificateRevoke', 'certificate', 'input.certificate', (value) => ({ certificate: value, reason: 'x' })],
  ['certificateRevoke', 'reason', 'input.certificate', (value) => ({ certificate: MADE_UP_ID, reason: value })],
  ['certificateReviewClear', 'certificate', 'input.certificate', (value) => ({ certificate: value, note: 'x' })],
  ['certificateReviewClear', 'note', 'input.certificate', (value) => ({ certificate: MADE_UP_ID, note: value })],
];

const certificateDocuments: Record<string, string> = {
  certificateApplicationDecide:
    'mutation ($input: CertificateApplicationDecideInput!) { certificateApplicationDecide(input: $input) { application { id } userErrors { field code message } } }',
  certificateRevoke: 'mutation ($input: CertificateRevokeInput!) { certificateRevoke(input: $input) { certificate { id } userErrors { field code message } } }',
  certificateReviewClear: 'mutation ($input: CertificateReviewClearInput!) { certificateReviewClear(input: $input) { certificate { id } userErrors { field code message } } }',
};

const DATABASE_TEXT = /syntax error|relation "|column "|pg_|INTERNAL_SERVER_ERROR/i;

describe('hostile strings in certificates', () => {
  it.each(certificateMutations.flatMap(([mutation, field, refusedAt, input]) => HOSTILE.map((value) => [mutation, field, value, refusedAt, input] as const)))(
    '%s(input.%s = %j) is a user error, never database text',
    async (mutation, _field, value, refusedAt, input) => {
      const admin = await graph.token({ roles: ['platform_admin'] });
      const response = await send(json({ query: certificateDocuments[mutation], variables: { input: input(value) } }, { authorization: `Bearer ${admin}` }));
      expect(response.status).toBe(200);
      expect(response.body.errors).toBeUndefined();
      expect(response.text.split(JSON.stringify(value).slice(1, -1)).join('')).not.toMatch(DATABASE_TEXT);
      const payload = (response.body.data as Record<string, { userErrors: { field: string[] }[] }>)[mutation]!;
      // A malformed id is INVALID on its field; a hostile text beside a made-up id is data, and the id names nothing (NOT_FOUND).
      expect(payload.userErrors.map((error) => error.field.join('.'))).toEqual([refusedAt]);
    },
  );

  it.each(HOSTILE)('certificateApply(input.purpose = %j) keeps the purpose as plain data', async (value) => {
    const query = 'mutation ($input: CertificateApplyInput!) { certificateApply(input: $input) { application { purpose } userErrors { field code } } }';
    const response = await send(json({ query, variables: { input: { from: '2025-01-01', to: '2025-01-31', purpose: value } } }, { authorization: `Bearer ${token}` }));
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({ certificateApply: { application: { purpose: value }, userErrors: [] } });
  });

  it.each(HOSTILE)('certificateVerify(number and code = %j) is BAD_USER_INPUT, and the printable page 400', async (value) => {
    const query = 'query ($number: String!, $code: String!) { certificateVerify(number: $number, code: $code) { status } }';
    for (const variables of [
      { number: value, code: 'ABCDEFGH' },
      { number: 'LX-2026-000001', code: value },
    ]) {
      const response = await send(json({ query, variables }));
      expect(response.status).toBe(200);
      expect(response.body.errors?.map((error) => error.extensions?.['code'])).toEqual(['BAD_USER_INPUT']);
      expect(response.text.split(JSON.stringify(value).slice(1, -1)).join('')).not.toMatch(DATABASE_TEXT);
    }
    const origin = new URL(graph.url).origin;
    for (const path of [`/certificates/${encodeURIComponent(value)}?code=ABCDEFGH`, `/certificates/LX-2026-000001?code=${encodeURIComponent(value)}`]) {
      const page = await fetch(`${origin}${path}`);
      expect([path, page.status]).toEqual([path, 400]);
      expect(await page.text()).not.toMatch(DATABASE_TEXT);
    }
  });
});

/** The demo's published campaign (recognition's demo, group 60). */
const DEMO_CAMPAIGN = '00000000-0000-7000-803c-000000000001';

/**
 * Every string argument of the campaigns' and honour titles' mutations, sent
 * by a platform admin: an id that is no id is INVALID on its field; a text is
 * data, and another field of the input (one naming nothing, a day ahead, a
 * published campaign) refuses the mutation, so nothing is written.
 */
const campaignMutations: [string, string, string, (value: string) => Record<string, unknown>][] = [
  [
    'campaignCreate',
    'region',
    'input.region',
    (value) => ({ region: value, title: 'x', description: 'x', year: 2025, selfApplication: false, categories: [{ name: 'x', subjectKind: 'VOLUNTEER', quota: 1 }] }),
  ],
  [
    'campaignCreate',
    'title',
    'input.region',
    (value) => ({ region: MADE_UP_ID, title: value, description: value, year: 2025, selfApplication: false, categories: [{ name: 'x', subjectKind: 'VOLUNTEER', quota: 1 }] }),
  ],
  [
    'campaignCreate',
    'categories.region',
    'input.categories.0.region',
    (value) => ({
      region: MADE_UP_ID,
      title: 'x',
      description: 'x',
      year: 2025,
      selfApplication: false,
      categories: [{ name: 'x', subjectKind: 'VOLUNTEER', quota: 1, region: value }],
    }),
  ],
  ['campaignAdvance', 'campaign', 'input.campaign', (value) => ({ campaign: value, to: 'CLOSED' })],
  ['campaignReviewerAssign', 'reviewer', 'input.reviewer', (value) => ({ campaign: DEMO_CAMPAIGN, reviewer: value })],
  ['campaignNominate', 'category', 'input.category', (value) => ({ category: value, subject: SAMPLE, statement: 'x', displayName: 'x' })],
  ['campaignNominate', 'subject', 'input.subject', (value) => ({ category: MADE_UP_ID, subject: value, statement: 'x', displayName: 'x' })],
  ['campaignNominate', 'statement', 'input.category', (value) => ({ category: MADE_UP_ID, subject: SAMPLE, statement: value, displayName: 'x' })],
  ['campaignNominationWithdraw', 'reason', 'input.nomination', (value) => ({ nomination: MADE_UP_ID, reason: value })],
  ['campaignScore', 'nomination', 'input.nomination', (value) => ({ nomination: value, score: 1 })],
  ['campaignPublish', 'citation', 'input.campaign', (value) => ({ campaign: DEMO_CAMPAIGN, citations: [{ nomination: MADE_UP_ID, citation: value }] })],
  ['honourTitleRecord', 'person', 'input.person', (value) => ({ person: value, title: 'x', source: 'x', awardedOn: '2024-01-01' })],
  ['honourTitleRecord', 'source', 'input.awardedOn', (value) => ({ person: SAMPLE, title: 'x', source: value, awardedOn: '2999-01-01' })],
  ['honourTitleWithdraw', 'reason', 'input.title', (value) => ({ title: MADE_UP_ID, reason: value })],
];

const payloadOf: Record<string, string> = {
  campaignCreate: 'campaign { id }',
  campaignAdvance: 'campaign { id }',
  campaignReviewerAssign: 'campaign { id }',
  campaignPublish: 'campaign { id }',
  campaignNominate: 'nomination { id }',
  campaignNominationWithdraw: 'nomination { id }',
  campaignScore: 'nomination { id }',
  honourTitleRecord: 'title { id }',
  honourTitleWithdraw: 'title { id }',
};

describe('hostile strings in the campaigns’ and honour titles’ mutations', () => {
  it.each(campaignMutations.flatMap(([mutation, field, refusedAt, input]) => HOSTILE.map((value) => [mutation, field, value, refusedAt, input] as const)))(
    '%s(input.%s = %j) is a user error, never database text',
    async (mutation, _field, value, refusedAt, input) => {
      const admin = await graph.token({ roles: ['platform_admin'] });
      const inputType = `${mutation[0]!.toUpperCase()}${mutation.slice(1)}Input`;
      const query = `mutation ($input: ${inputType}!) { ${mutation}(input: $input) { ${payloadOf[mutation]} userErrors { field code message } } }`;
      const response = await send(json({ query, variables: { input: input(value) } }, { authorization: `Bearer ${admin}` }));
      expect(response.status).toBe(200);
      expect(response.body.errors).toBeUndefined();
      expect(response.text.split(JSON.stringify(value).slice(1, -1)).join('')).not.toMatch(/syntax error|relation "|column "|pg_|INTERNAL_SERVER_ERROR/i);
      const payload = (response.body.data as Record<string, Record<string, unknown> & { userErrors: { field: string[] }[] }>)[mutation]!;
      expect(payload.userErrors.map((error) => error.field.join('.'))).toContain(refusedAt);
      expect(Object.entries(payload).find(([key]) => key !== 'userErrors')?.[1]).toBeNull();
    },
  );

  it('answers a hostile campaign id with nothing, and a hostile region filter with BAD_USER_INPUT, never a failure', async () => {
    for (const value of HOSTILE) {
      const one = await send(json({ query: 'query ($id: ID!) { campaign(id: $id) { id } }', variables: { id: value } }));
      expect(one.status).toBe(200);
      expect(one.body.errors).toBeUndefined();
      expect(one.body.data).toEqual({ campaign: null });
      const list = await send(json({ query: 'query ($region: ID) { campaigns(filter: { region: $region }) { edges { cursor } } }', variables: { region: value } }));
      expect(list.body.errors?.map((error) => error.extensions?.['code'])).toEqual(['BAD_USER_INPUT']);
    }
  });
});

/** The id arguments of the service-project and competition mutations, sent by a platform admin: each a user error on its field. */
const competitionMutations: [string, string, (value: string) => Record<string, unknown>][] = [
  ['serviceProjectCreate', 'ownerTeam', (value) => ({ ownerTeam: value, name: 'x', category: 'repair', region: DEMO_SAMPLE_PERSON_ID, description: 'x' })],
  ['serviceProjectCreate', 'region', (value) => ({ ownerTeam: DEMO_SAMPLE_PERSON_ID, name: 'x', category: 'repair', region: value, description: 'x' })],
  ['serviceProjectActivityLink', 'project', (value) => ({ project: value, activity: DEMO_SAMPLE_PERSON_ID })],
  ['serviceProjectRecordLink', 'serviceRecord', (value) => ({ project: DEMO_SAMPLE_PERSON_ID, serviceRecord: value })],
  ['competitionCreate', 'region', (value) => ({ title: 'x', region: value, criteria: [{ name: 'a', weight: 100 }], finalQuota: 3, awards: [{ level: 'GOLD', count: 1 }] })],
  ['competitionApply', 'competition', (value) => ({ competition: value, project: DEMO_SAMPLE_PERSON_ID })],
  ['competitionJudgeAssign', 'judge', (value) => ({ competition: DEMO_SAMPLE_PERSON_ID, stage: 'FINAL', judge: value })],
  ['competitionScore', 'project', (value) => ({ competition: DEMO_SAMPLE_PERSON_ID, stage: 'FINAL', project: value, scores: [{ criterion: DEMO_SAMPLE_PERSON_ID, score: 1 }] })],
  ['competitionStageClose', 'competition', (value) => ({ competition: value, stage: 'FINAL' })],
];

describe('hostile strings in the competitions’ mutations and queries', () => {
  it.each(competitionMutations.flatMap(([mutation, field, input]) => HOSTILE.map((value) => [mutation, field, value, input] as const)))(
    '%s(input.%s = %j) is a user error, never database text',
    async (mutation, field, value, input) => {
      const admin = await graph.token({ roles: ['platform_admin'] });
      const inputType = `${mutation.charAt(0).toUpperCase()}${mutation.slice(1)}Input`;
      const query = `mutation ($input: ${inputType}!) { ${mutation}(input: $input) { userErrors { field code message } } }`;
      const response = await send(json({ query, variables: { input: input(value) } }, { authorization: `Bearer ${admin}` }));
      expect(response.status).toBe(200);
      expect(response.body.errors).toBeUndefined();
      expect(response.text.split(JSON.stringify(value).slice(1, -1)).join('')).not.toMatch(/syntax error|relation "|column "|pg_|INTERNAL_SERVER_ERROR/i);
      const payload = (response.body.data as Record<string, { userErrors: { field: string[] }[] }>)[mutation]!;
      expect(payload.userErrors.map((error) => error.field.join('.'))).toContain(`input.${field}`);
    },
  );

  it.each(HOSTILE)('competition(id: %j), serviceProject(id) and competitions(after, filter.region) are BAD_USER_INPUT', async (value) => {
    for (const [query, variables] of [
      ['query ($v: ID!) { competition(id: $v) { id } }', { v: value }],
      ['query ($v: ID!) { serviceProject(id: $v) { id } }', { v: value }],
      ['query ($v: String) { competitions(after: $v) { edges { cursor } } }', { v: value }],
      ['query ($v: ID) { competitions(filter: { region: $v }) { edges { cursor } } }', { v: value }],
    ] as const) {
      const response = await send(json({ query, variables }, { authorization: `Bearer ${token}` }));
      expect(response.body.errors?.map((error) => error.extensions?.['code'])).toEqual(['BAD_USER_INPUT']);
      expect(response.text.split(JSON.stringify(value).slice(1, -1)).join('')).not.toMatch(/syntax error|relation "|column "|pg_|INTERNAL_SERVER_ERROR/i);
    }
  });
});

/** Every id and code argument of the duty roster mutations, sent by a platform admin acting as a registered person: each a user error on its field. */
/** An id that names no shift or post. */
const NO_SHIFT = '00000000-0000-7000-8fff-0000000000ad';
const dutyMutations: [string, string, (value: string) => Record<string, unknown>][] = [
  ['dutyPostCreate', 'place', (value) => ({ name: 'x', kind: 'HOTLINE', place: value })],
  ['dutyShiftsCreate', 'post', (value) => ({ post: value, shifts: [{ startsAt: '2030-01-01T08:00:00Z', endsAt: '2030-01-01T12:00:00Z', places: 1 }] })],
  ['dutyShiftsCopyWeek', 'post', (value) => ({ post: value, weekStarting: '2030-01-07T00:00:00Z', weeks: 1 })],
  ['dutyShiftSignUp', 'shift', (value) => ({ shift: value })],
  ['dutyShiftWithdraw', 'shift', (value) => ({ shift: value })],
  ['dutyShiftCheckIn', 'code', (value) => ({ code: value })],
  ['dutyShiftCheckOut', 'code', (value) => ({ code: value })],
  ['dutyShiftApprove', 'shift', (value) => ({ shift: value })],
  ['dutyShiftApprove', 'minutes.0.person', (value) => ({ shift: NO_SHIFT, minutes: [{ person: value, minutes: 5 }] })],
];

describe('hostile strings in the duty roster’s mutations and queries', () => {
  it.each(dutyMutations.flatMap(([mutation, field, input]) => HOSTILE.map((value) => [mutation, field, value, input] as const)))(
    '%s(input.%s = %j) is a user error, never database text',
    async (mutation, field, value, input) => {
      const admin = await graph.token({ roles: ['platform_admin'], personId: DEMO_STAFF[0]!.id });
      const inputType = `${mutation.charAt(0).toUpperCase()}${mutation.slice(1)}Input`;
      const query = `mutation ($input: ${inputType}!) { ${mutation}(input: $input) { userErrors { field code message } } }`;
      const response = await send(json({ query, variables: { input: input(value) } }, { authorization: `Bearer ${admin}` }));
      expect(response.status).toBe(200);
      expect(response.body.errors).toBeUndefined();
      expect(response.text.split(JSON.stringify(value).slice(1, -1)).join('')).not.toMatch(/syntax error|relation "|column "|pg_|INTERNAL_SERVER_ERROR/i);
      const payload = (response.body.data as Record<string, { userErrors: { field: string[] }[] }>)[mutation]!;
      expect(payload.userErrors.map((error) => error.field.join('.'))).toContain(`input.${field}`);
    },
  );

  it('refuses a shift longer than a day, and more than 100 at once, as user errors', async () => {
    const admin = await graph.token({ roles: ['platform_admin'], personId: DEMO_STAFF[0]!.id });
    const query = 'mutation ($input: DutyShiftsCreateInput!) { dutyShiftsCreate(input: $input) { userErrors { field code } } }';
    const shift = { startsAt: '2030-01-01T08:00:00Z', endsAt: '2030-01-02T08:01:00Z', places: 1 };
    const long = await send(json({ query, variables: { input: { post: NO_SHIFT, shifts: [shift] } } }, { authorization: `Bearer ${admin}` }));
    expect(long.body.data).toEqual({ dutyShiftsCreate: { userErrors: [{ field: ['input', 'shifts', '0', 'endsAt'], code: 'INVALID' }] } });
    const many = await send(
      json(
        { query, variables: { input: { post: NO_SHIFT, shifts: Array.from({ length: 101 }, () => ({ ...shift, endsAt: '2030-01-01T09:00:00Z' })) } } },
        { authorization: `Bearer ${admin}` },
      ),
    );
    expect(many.body.data).toEqual({ dutyShiftsCreate: { userErrors: [{ field: ['input', 'shifts'], code: 'INVALID' }] } });
  });

  it.each(HOSTILE)('dutyPost(id: %j) and dutyPosts(after, filter.region) are BAD_USER_INPUT', async (value) => {
    for (const [query, variables] of [
      ['query ($v: ID!) { dutyPost(id: $v) { id } }', { v: value }],
      ['query ($v: String) { dutyPosts(after: $v) { edges { cursor } } }', { v: value }],
      ['query ($v: ID) { dutyPosts(filter: { region: $v }) { edges { cursor } } }', { v: value }],
    ] as const) {
      const response = await send(json({ query, variables }, { authorization: `Bearer ${token}` }));
      expect(response.body.errors?.map((error) => error.extensions?.['code'])).toEqual(['BAD_USER_INPUT']);
      expect(response.text.split(JSON.stringify(value).slice(1, -1)).join('')).not.toMatch(/syntax error|relation "|column "|pg_|INTERNAL_SERVER_ERROR/i);
    }
  });
});
