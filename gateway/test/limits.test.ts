/** Query limits: how cost is counted, and how each limit refuses a query without telling an anonymous caller its value. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { buildSchema, getNamedType, getOperationAST, parse } from 'graphql';
import { DEFAULT_LIMITS, PLAIN_LIST_SIZE, STATISTIC_COST, mintDevToken, operationCost } from '../src/index.js';
import { startLoneGateway, type LoneGateway } from './support.js';

const schema = buildSchema(`
  type Query { persons(first: Int = 20, after: String): PersonConnection! regions: [Region!]! region(id: ID!): Region hourStats: HourStats }
  type HourStats { total: Int! buckets: [HourBucket!]! }
  type HourBucket { minutes: Int! region: Region }
  type PersonConnection { edges: [PersonEdge!]! totalCount: Int! }
  type PersonEdge { cursor: String! node: Person! }
  type Person { id: ID! name: String! requests(first: Int = 20): RequestConnection! }
  type RequestConnection { edges: [RequestEdge!]! }
  type RequestEdge { node: Request! }
  type Request { id: ID! }
  type Region { id: ID! name: String! children: [Region!]! }
`);

function cost(query: string, variables: Record<string, unknown> = {}): number {
  const document = parse(query);
  return operationCost(schema, document, getOperationAST(document)!, variables, 1_000_000);
}

describe('the cost of an operation', () => {
  it('counts each field once and each list at its page size', () => {
    expect(cost('{ region(id: "r") { id name } }')).toBe(3);
    // persons + edges × 5 × (edge + node + name)
    expect(cost('{ persons(first: 5) { edges { node { name } } } }')).toBe(1 + 5 * 3);
    expect(cost('{ regions { name } }')).toBe(PLAIN_LIST_SIZE * 2);
  });

  it('takes first from a variable, or the argument default when it is not given', () => {
    expect(cost('query ($n: Int) { persons(first: $n) { edges { cursor } } }', { n: 50 })).toBe(1 + 50 * 2);
    expect(cost('{ persons { edges { cursor } } }')).toBe(1 + 20 * 2);
    expect(cost('{ persons { totalCount } }')).toBe(2);
  });

  it('multiplies nested pages', () => {
    const nested = '{ persons(first: 100) { edges { node { requests(first: 100) { edges { node { id } } } } } } }';
    expect(cost(nested)).toBe(1 + 100 * (1 + 1 + (1 + 100 * (1 + 1 + 1))));
    expect(cost(nested)).toBeGreaterThan(DEFAULT_LIMITS.cost);
  });

  it('counts fragments where they are spread', () => {
    expect(cost('{ persons(first: 3) { edges { ...E } } } fragment E on PersonEdge { node { id name } }')).toBe(1 + 3 * (1 + 1 + 2));
    expect(cost('{ region(id: "r") { ... on Region { name } } }')).toBe(2);
  });

  it('weighs a statistic as a thousand fields, beside what it selects', () => {
    expect(cost('{ hourStats { total buckets { minutes } } }')).toBe(STATISTIC_COST + 1 + PLAIN_LIST_SIZE * 2);
    expect(cost('{ a: hourStats { total } b: hourStats { total } }')).toBe(2 * (STATISTIC_COST + 1));
    expect(10 * (STATISTIC_COST + 1)).toBeGreaterThan(DEFAULT_LIMITS.cost);
  });

  it('weighs every statistic of the composed graph so, alerts’ included', () => {
    const api = buildSchema(readFileSync(new URL('../../schema/client.graphql', import.meta.url), 'utf8'));
    const statistics = Object.values(api.getQueryType()!.getFields()).filter((field) => getNamedType(field.type).name.endsWith('Stats'));
    expect(statistics.map((field) => field.name)).toContain('alertStats');
    for (const field of statistics) {
      const document = parse(`{ ${field.name} { __typename } }`);
      expect(operationCost(api, document, getOperationAST(document)!, {}, 1_000_000)).toBeGreaterThanOrEqual(STATISTIC_COST);
    }
  });

  it('refuses a page larger than 100 or below 0, however it is given', () => {
    expect(() => cost('{ persons(first: 101) { totalCount } }')).toThrow('first must be between 0 and 100.');
    expect(() => cost('query ($n: Int) { persons(first: $n) { totalCount } }', { n: -1 })).toThrow('first must be between 0 and 100.');
    expect(() => cost('{ persons { edges { node { requests(first: 1000) { edges { node { id } } } } } } }')).toThrow('first must be between 0 and 100.');
  });
});

describe('limits at the gateway', () => {
  let gateway: LoneGateway;
  let token: string;

  beforeAll(async () => {
    gateway = await startLoneGateway({ RATE_LIMIT_ANONYMOUS_PER_MINUTE: '0', RATE_LIMIT_SIGNED_IN_PER_MINUTE: '0' });
    if (gateway.config.auth.kind !== 'dev-secret') throw new Error('dev secret expected');
    token = await mintDevToken({ roles: ['volunteer'], personId: '00000000-0000-7000-8002-000000000001' }, gateway.config.auth);
  });
  afterAll(() => gateway.server.close());

  let deep = 'name';
  for (let level = 0; level < DEFAULT_LIMITS.depth; level += 1) deep = `parent { ${deep} }`;
  const bombs: [string, string, string][] = [
    ['depth', `{ region(id: "x") { ${deep} } }`, 'The query is nested too deeply.'],
    ['aliases', `{ ${Array.from({ length: DEFAULT_LIMITS.aliases + 1 }, (_, n) => `a${n}: categories { code }`).join(' ')} }`, 'The query uses too many aliases.'],
    ['directives', `{ ${Array.from({ length: DEFAULT_LIMITS.directives + 1 }, (_, n) => `a${n}: __typename @skip(if: false)`).join(' ')} }`, 'The query uses too many directives.'],
    ['tokens', `{ ${' a'.repeat(DEFAULT_LIMITS.tokens)} }`, 'The query is too long.'],
    ['characters', `{ __typename }${' '.repeat(DEFAULT_LIMITS.characters)}`, 'The query is too long.'],
    [
      'cost',
      '{ persons(first: 100) { edges { node { requests(first: 100) { edges { node { id description } } } } } } }',
      'The query asks for too much at once: ask for smaller pages or fewer fields.',
    ],
  ];

  it.each(bombs)('refuses a %s bomb with 400 QUERY_TOO_COMPLEX, naming the limit but not its value to an anonymous caller', async (limit, query, message) => {
    const { status, body } = await gateway.post({ query });
    expect(status).toBe(400);
    expect(body.errors).toEqual([{ message, extensions: { code: 'QUERY_TOO_COMPLEX', limit } }]);
    expect(JSON.stringify(body)).not.toContain(String(DEFAULT_LIMITS[limit as keyof typeof DEFAULT_LIMITS]));
  });

  it.each(bombs)('tells a signed-in caller the value of the %s limit', async (limit, query) => {
    const { status, body } = await gateway.post({ query }, { authorization: `Bearer ${token}` });
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', limit, maximum: DEFAULT_LIMITS[limit as keyof typeof DEFAULT_LIMITS] });
  });

  it('lets a query exactly at the depth limit through to the subgraphs', async () => {
    let inside = 'name';
    for (let level = 2; level < DEFAULT_LIMITS.depth; level += 1) inside = `parent { ${inside} }`;
    const { status, body } = await gateway.post({ query: `{ region(id: "x") { ${inside} } }` });
    // Nothing listens behind this gateway: getting as far as the subgraph is the proof.
    expect(status).toBe(200);
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE', service: 'people' });
  });
});
