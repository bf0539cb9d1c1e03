/**
 * Statistics as CSV: which operations make a download and what columns they
 * give, how cells are written (quoting, formulas, lists, nulls), and the
 * entrance of `/stats.csv` on a gateway with no subgraph behind it (refusals
 * decided before any subgraph is asked, rate limits, CORS). What a download
 * of real figures holds is in test/stats-csv.test.ts, on the whole graph.
 */
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse as parseCsv } from 'csv-parse/sync';
import { buildSchema, getOperationAST, parse } from 'graphql';
import { LIST_SEPARATOR, STATS_CSV_PATH, csvRecords, csvWriter, failureStatus, mintDevToken, statisticTable, type StatisticTable } from '../src/index.js';
import { startLoneGateway, type LoneGateway } from './support.js';

/** The API schema clients see: the supergraph without federation's definitions. */
const schema = buildSchema(readFileSync(new URL('../../schema/client.graphql', import.meta.url), 'utf8'));

function tableOf(query: string, variables: Record<string, unknown> = {}): StatisticTable | null {
  const document = parse(query);
  return statisticTable(schema, document, getOperationAST(document)!, variables);
}

const headersOf = (query: string, variables?: Record<string, unknown>) => tableOf(query, variables)!.columns.map((column) => column.header);

/** What a refusal says: its code, the field it names and its message. */
function refusalOf(query: string): { code: unknown; field: unknown; message: string } {
  try {
    tableOf(query);
  } catch (error) {
    const { extensions, message } = error as { extensions: Record<string, unknown>; message: string };
    expect(extensions['http']).toEqual({ status: 400 });
    return { code: extensions['code'], field: extensions['field'], message };
  }
  throw new Error('not refused');
}

describe('the table of a download', () => {
  it('has a column per leaf the buckets select, as dotted paths in selection order, and the total in the figures’ columns', () => {
    const table = tableOf(`{
      serviceHourStats(groupBy: { region: COMMUNITY, period: MONTH }) {
        total { hours volunteers }
        buckets { region { name } period { start end } figures { hours records volunteers } }
      }
    }`)!;
    expect(table).toMatchObject({ field: 'serviceHourStats', key: 'serviceHourStats', shape: 'buckets', bucketsKey: 'buckets', totalKey: 'total' });
    expect(table.columns).toEqual([
      { header: 'region.name', row: ['region', 'name'], total: null },
      { header: 'period.start', row: ['period', 'start'], total: null },
      { header: 'period.end', row: ['period', 'end'], total: null },
      { header: 'figures.hours', row: ['figures', 'hours'], total: ['hours'] },
      { header: 'figures.records', row: ['figures', 'records'], total: null },
      { header: 'figures.volunteers', row: ['figures', 'volunteers'], total: ['volunteers'] },
    ]);
  });

  it('names columns by alias, spreads fragments, applies @skip and @include, and merges a field selected twice', () => {
    const query = `query ($withEnd: Boolean!) {
      hours: serviceHourStats { buckets { ...Where region { id } figures { h: hours } period @include(if: $withEnd) { end } } total { h: hours minutes } }
    }
    fragment Where on ServiceHourBucket { region { name } category @skip(if: true) { code } }`;
    expect(headersOf(query, { withEnd: false })).toEqual(['region.name', 'region.id', 'figures.h', 'figures.minutes']);
    expect(headersOf(query, { withEnd: true })).toEqual(['region.name', 'region.id', 'figures.h', 'period.end', 'figures.minutes']);
    expect(tableOf(query, { withEnd: true })).toMatchObject({ field: 'serviceHourStats', key: 'hours' });
  });

  it('puts a nested path under the figures, and a total alone in one line', () => {
    expect(headersOf('{ serviceRequestStats { total { requests toAccept { median p90 } } } }')).toEqual(['figures.requests', 'figures.toAccept.median', 'figures.toAccept.p90']);
  });

  it('takes a leaderboard as a list: a column per leaf of an entry, a nested list in one column', () => {
    const table = tableOf('{ volunteerLeaderboard(first: 3) { rank hours volunteer { displayName badges { name } } } }')!;
    expect(table).toMatchObject({ shape: 'list', bucketsKey: null, totalKey: null });
    expect(table.columns.map((column) => column.header)).toEqual(['rank', 'hours', 'volunteer.displayName', 'volunteer.badges.name']);
  });

  it('ignores __typename at the root and on the statistic, and gives it a column inside a bucket', () => {
    expect(headersOf('{ __typename volunteerStats { __typename buckets { __typename figures { registered } } } }')).toEqual(['__typename', 'figures.registered']);
  });

  it('refuses anything but one statistic, saying why and naming the field', () => {
    expect(refusalOf('{ serviceHourStats { total { hours } } volunteerStats { total { registered } } }')).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'volunteerStats',
      message: expect.stringMatching(/one statistic; this operation selects 2 fields \(serviceHourStats, volunteerStats\)/),
    });
    expect(refusalOf('{ categories { code name } }')).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'categories',
      message: expect.stringMatching(/categories is not a statistic/),
    });
    expect(refusalOf('{ serviceHourStats @skip(if: true) { total { hours } } }').message).toMatch(/^Select one statistic/);
    expect(refusalOf('{ serviceHourStats { __typename } }')).toMatchObject({ field: 'serviceHourStats', message: expect.stringMatching(/buckets, its total, or both/) });
    expect(refusalOf('{ serviceHourStats { a: buckets { figures { hours } } b: buckets { figures { minutes } } } }').field).toBe('serviceHourStats.buckets');
    expect(refusalOf('mutation { __typename }').message).toBe('Only a query can be downloaded as CSV.');
  });

  it('leaves variables that do not coerce to execution, which reports them as on /graphql', () => {
    expect(tableOf('query ($on: Boolean!) { volunteerStats @include(if: $on) { total { registered } } }', { on: 'yes' })).toBeNull();
  });
});

/** The CSV text of `table` over `data`, as the route writes it. */
async function csvText(table: StatisticTable, data: Record<string, unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of Readable.from(csvRecords(table, data)).pipe(csvWriter())) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('writing the cells', () => {
  const table = tableOf(`{
    serviceRequestStats(groupBy: { region: STREET, status: true }) {
      total { requests toAccept { median } }
      buckets { region { name } status figures { requests toAccept { median } } }
    }
  }`)!;
  const bucket = (name: string | null, status: string, requests: number, median: number | null) => ({
    region: name === null ? null : { name },
    status,
    figures: { requests, toAccept: { median } },
  });

  it('starts with a UTF-8 byte order mark and the header, ends lines with CRLF, and marks the total', async () => {
    const bytes = await csvText(table, {
      serviceRequestStats: { buckets: [bucket('西一路街道', 'COMPLETED', 3, 600), bucket(null, 'SUBMITTED', 1, null)], total: { requests: 4, toAccept: { median: 600 } } },
    });
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString('utf8')).toBe(
      'row,region.name,status,figures.requests,figures.toAccept.median\r\n' + 'bucket,西一路街道,COMPLETED,3,600\r\n' + 'bucket,,SUBMITTED,1,\r\n' + 'total,,,4,600\r\n',
    );
  });

  it('quotes commas, quotes and line breaks as RFC 4180 says, so a parser gets each value back', async () => {
    const names = ['东区, 西区', '“引号”和 "quotes"', 'two\nlines', 'plain'];
    const bytes = await csvText(table, { serviceRequestStats: { buckets: names.map((name) => bucket(name, 'COMPLETED', 1, 1)), total: null } });
    const text = bytes.toString('utf8');
    expect(text).toContain('"东区, 西区"');
    expect(text).toContain('"“引号”和 ""quotes"""');
    expect(text).toContain('"two\nlines"');
    const rows = parseCsv(text, { bom: true });
    expect(rows.slice(1).map((row) => row[1])).toEqual(names);
  });

  it('neutralises text a spreadsheet would run as a formula, and leaves negative figures numbers', async () => {
    const names = ['=HYPERLINK("http://x","点")', '+1+1', '-1+1', '@SUM(A1)', '\t=1', '＝1', 'a=b'];
    const flows = tableOf('{ pointsFlowStats { buckets { unit { name } figures { net } } } }')!;
    const bytes = await csvText(flows, { pointsFlowStats: { buckets: names.map((name, index) => ({ unit: { name }, figures: { net: -index } })) } });
    const rows = parseCsv(bytes.toString('utf8'), { bom: true });
    expect(rows.slice(1).map((row) => row[1])).toEqual(['\'=HYPERLINK("http://x","点")', "'+1+1", "'-1+1", "'@SUM(A1)", "'\t=1", "'＝1", 'a=b']);
    expect(rows.slice(1).map((row) => row[2])).toEqual(['0', '-1', '-2', '-3', '-4', '-5', '-6']);
  });

  it('joins a list inside a row into one cell, writes booleans as words and null as an empty cell', async () => {
    const board = tableOf('{ volunteerLeaderboard { rank volunteer { displayName badges { name } } } }')!;
    const bytes = await csvText(board, {
      volunteerLeaderboard: [
        { rank: 1, volunteer: { displayName: '王**', badges: [{ name: '志愿之星' }, { name: '=服务先锋' }] } },
        { rank: 2, volunteer: null },
      ],
    });
    expect(bytes.subarray(3).toString('utf8')).toBe(`rank,volunteer.displayName,volunteer.badges.name\r\n1,王**,志愿之星${LIST_SEPARATOR}=服务先锋\r\n2,,\r\n`);
    const households = tableOf('{ householdStats { total { households suppressed } } }')!;
    const suppressed = await csvText(households, { householdStats: { total: { households: null, suppressed: true } } });
    expect(suppressed.subarray(3).toString('utf8')).toBe('row,figures.households,figures.suppressed\r\ntotal,,true\r\n');
  });
});

describe('the status of a failed download', () => {
  it('keeps Apollo Server’s own, and otherwise says by the first error’s code whose the failure is', () => {
    expect(failureStatus(405, 'BAD_REQUEST')).toBe(405);
    const byCode = (code: string | undefined) => failureStatus(undefined, code);
    expect(['UNAUTHENTICATED', 'FORBIDDEN', 'RATE_LIMITED', 'SUBGRAPH_UNAVAILABLE', 'STATISTICS_TIMEOUT'].map(byCode)).toEqual([401, 403, 429, 503, 504]);
    expect(['BAD_USER_INPUT', 'STATISTICS_TOO_LARGE', 'QUERY_TOO_COMPLEX'].map(byCode)).toEqual([400, 400, 400]);
    expect(['INTERNAL_SERVER_ERROR', 'NOT_FOUND', undefined].map(byCode)).toEqual([500, 500, 500]);
    expect(failureStatus(200, 'FORBIDDEN')).toBe(403);
  });
});

describe('/stats.csv at the gateway', () => {
  let gateway: LoneGateway;
  let analyst: string;
  const statistic = '{ serviceHourStats { total { hours } } }';

  beforeAll(async () => {
    gateway = await startLoneGateway({ CORS_ORIGINS: 'https://admin.lianxin.example' });
    if (gateway.config.auth.kind !== 'dev-secret') throw new Error('dev secret expected');
    analyst = await mintDevToken({ roles: ['analyst'] }, gateway.config.auth);
  });
  afterAll(() => gateway.server.close());

  const download = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(new URL(STATS_CSV_PATH, gateway.server.url), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('refuses an operation that is not one statistic with 400 and a JSON error, before any subgraph is asked', async () => {
    const response = await download({ query: '{ serviceHourStats { total { hours } } volunteerStats { total { registered } } }' }, { authorization: `Bearer ${analyst}` });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ errors: [expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field: 'volunteerStats' } })] });
  });

  it('keeps the query limits, and counts downloads against the client’s rate limit', async () => {
    // A gateway whose cost limit is below one statistic's weight, allowing each signed-in client two requests a minute.
    const strict = await startLoneGateway({ RATE_LIMIT_SIGNED_IN_PER_MINUTE: '2', QUERY_MAX_COST: '500' });
    try {
      const token = `Bearer ${analyst}`;
      const send = () =>
        fetch(new URL(STATS_CSV_PATH, strict.server.url), {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: token },
          body: JSON.stringify({ query: statistic }),
        });
      for (let n = 0; n < 2; n += 1) {
        const costly = await send();
        expect(costly.status).toBe(400);
        expect(await costly.json()).toMatchObject({ errors: [{ extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'cost', maximum: 500 } }] });
      }
      const refused = await send();
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(await refused.json()).toMatchObject({ errors: [{ extensions: { code: 'RATE_LIMITED' } }] });
    } finally {
      await strict.server.close();
    }
  });

  it('reports a syntax error as GRAPHQL_PARSE_FAILED', async () => {
    const broken = await download({ query: '{ serviceHourStats {' }, { authorization: `Bearer ${analyst}` });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ errors: [{ extensions: { code: 'GRAPHQL_PARSE_FAILED' } }] });
  });

  it('answers a statistic whose subgraph does not answer with 503 SUBGRAPH_UNAVAILABLE, never an empty CSV', async () => {
    const response = await download({ query: statistic }, { authorization: `Bearer ${analyst}` });
    expect(response.status).toBe(503);
    expect(response.headers.get('content-disposition')).toBeNull();
    expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }] });
  });

  it('keeps CSRF prevention for GET: without a preflight header the operation is not run', async () => {
    const url = new URL(STATS_CSV_PATH, gateway.server.url);
    url.searchParams.set('query', statistic);
    const response = await fetch(url);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'BAD_REQUEST' } }] });
  });

  it('answers an allowed origin’s preflight and lets its page read the file name', async () => {
    const origin = 'https://admin.lianxin.example';
    const preflight = await fetch(new URL(STATS_CSV_PATH, gateway.server.url), {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
    const refused = await download({ query: '{ categories { code } }' }, { origin });
    expect(refused.headers.get('access-control-allow-origin')).toBe(origin);
    expect(refused.headers.get('access-control-expose-headers')).toContain('content-disposition');
  });
});
