/**
 * Statistics downloaded as CSV from `/stats.csv`, through the whole graph
 * with the demo data: the file holds the figures the JSON answer of the same
 * query holds, Chinese names intact; names with commas, quotes or a leading
 * `=` are quoted and neutralised; GET and POST give the same file; callers
 * the statistic refuses, operations that are not one statistic and
 * questions too large get a JSON error and no CSV; the request log says what
 * was downloaded.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse as parseCsv } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import { TRACE_ID_HEADER, createLogger, memoryLog } from '@lianxin/shared';
import { DEMO_REGIONS } from '@lianxin/shared/demo';
import { startTestGraph, type TestGraph } from './support/graph.js';

const HOURS = `query Hours($from: Date!) {
  serviceHourStats(filter: { from: $from }, groupBy: { region: COMMUNITY, period: MONTH }) {
    total { minutes hours records volunteers }
    buckets { region { name } period { start end } figures { minutes hours records volunteers } }
  }
}`;
const FROM = { from: '2000-01-01' };

interface Figures {
  minutes: number;
  hours: number;
  records: number;
  volunteers: number;
}
interface HoursAnswer {
  serviceHourStats: { total: Figures; buckets: { region: { name: string } | null; period: { start: string; end: string }; figures: Figures }[] };
}

const log = memoryLog();
let graph: TestGraph;
let analyst: string;
let csvUrl: string;

beforeAll(async () => {
  graph = await startTestGraph({ LOG_LEVEL: 'info' }, { logger: createLogger('lianxin', 'info', log.stream) });
  analyst = await graph.token({ roles: ['analyst'] });
  csvUrl = new URL('/stats.csv', graph.url).href;
});
afterAll(async () => {
  await graph?.stop();
});

interface Download {
  status: number;
  headers: Headers;
  bytes: Buffer;
  /** The body as text, without the byte order mark. */
  text: string;
  /** The body parsed as CSV, header first. */
  rows(): string[][];
}

async function download(
  body: { query: string; variables?: Record<string, unknown>; operationName?: string },
  { token, method = 'POST' }: { token?: string; method?: 'GET' | 'POST' } = {},
): Promise<Download> {
  const authorization: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  let response: Response;
  if (method === 'POST') {
    response = await fetch(csvUrl, { method, headers: { 'content-type': 'application/json', ...authorization }, body: JSON.stringify(body) });
  } else {
    const url = new URL(csvUrl);
    url.searchParams.set('query', body.query);
    if (body.variables) url.searchParams.set('variables', JSON.stringify(body.variables));
    if (body.operationName) url.searchParams.set('operationName', body.operationName);
    // CSRF prevention asks a GET for a header a browser sends cross-site only after a preflight, as on /graphql.
    response = await fetch(url, { headers: { 'apollo-require-preflight': 'true', ...authorization } });
  }
  const bytes = Buffer.from(await response.arrayBuffer());
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  return { status: response.status, headers: response.headers, bytes, text, rows: () => parseCsv(text) };
}

/** The JSON answer's errors of a failed download. */
const errorsOf = (result: Download) => (JSON.parse(result.text) as { errors: { message: string; extensions: Record<string, unknown> }[] }).errors;

const beijingToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

describe('a statistic as CSV', () => {
  it('is a UTF-8 file with a byte order mark, the selected paths as its header, one line per bucket and the total last, with the JSON answer’s figures', async () => {
    const json = await graph.query<HoursAnswer>(HOURS, { variables: FROM, token: analyst });
    expect(json.errors).toBeUndefined();
    const answer = json.data!.serviceHourStats;
    expect(answer.buckets.length).toBeGreaterThan(1);

    const csv = await download({ query: HOURS, variables: FROM, operationName: 'Hours' }, { token: analyst });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const filename = `serviceHourStats-${beijingToday()}.csv`;
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="${filename}"; filename*=UTF-8''${filename}`);
    expect(csv.headers.get('cache-control')).toBe('no-store');
    expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.text.split('\r\n')[0]).toBe('row,region.name,period.start,period.end,figures.minutes,figures.hours,figures.records,figures.volunteers');

    const figures = (of: Figures) => [of.minutes, of.hours, of.records, of.volunteers].map(String);
    expect(csv.rows().slice(1)).toEqual([
      ...answer.buckets.map((bucket) => ['bucket', bucket.region?.name ?? '', bucket.period.start, bucket.period.end, ...figures(bucket.figures)]),
      ['total', '', '', '', ...figures(answer.total)],
    ]);
  });

  it('keeps Chinese names intact', async () => {
    const csv = await download({ query: HOURS, variables: FROM }, { token: analyst });
    const names = new Set(csv.rows().flatMap((row) => (row[0] === 'bucket' && row[1] ? [row[1]] : [])));
    expect(names).toContain(DEMO_REGIONS.xingle.name);
    for (const name of names) expect(name).toMatch(/^[\u4e00-\u9fff]+社区$/);
  });

  it('gives the same file for a GET with the query in its URL', async () => {
    const posted = await download({ query: HOURS, variables: FROM, operationName: 'Hours' }, { token: analyst });
    const got = await download({ query: HOURS, variables: FROM, operationName: 'Hours' }, { token: analyst, method: 'GET' });
    expect(got.status).toBe(200);
    expect(got.headers.get('content-disposition')).toBe(posted.headers.get('content-disposition'));
    expect(got.bytes.equals(posted.bytes)).toBe(true);
  });

  it('quotes a name with commas and quotes, and neutralises one that starts like a formula', async () => {
    const people = graph.graph.subgraphs.people.database.db;
    const tricky = '=兴乐社区, "东区"';
    await people.execute(sql`update people.regions set name = ${tricky} where id = ${DEMO_REGIONS.xingle.id}`);
    try {
      const csv = await download({ query: HOURS, variables: FROM }, { token: analyst });
      expect(csv.status).toBe(200);
      expect(csv.text).toContain(`bucket,"'=兴乐社区, ""东区""",`);
      expect(csv.rows().filter((row) => row[1] === `'${tricky}`).length).toBeGreaterThan(0);
    } finally {
      await people.execute(sql`update people.regions set name = ${DEMO_REGIONS.xingle.name} where id = ${DEMO_REGIONS.xingle.id}`);
    }
  });

  it('writes a leaderboard one line per volunteer, badges joined in one cell, as the JSON answer has them', async () => {
    const query = '{ volunteerLeaderboard(first: 5) { rank hours volunteer { displayName badges { name } } } }';
    const json = await graph.query<{ volunteerLeaderboard: { rank: number; hours: number; volunteer: { displayName: string; badges: { name: string }[] | null } | null }[] }>(
      query,
      {
        token: analyst,
      },
    );
    expect(json.errors).toBeUndefined();
    // The demo's volunteers have served: the file has lines to compare.
    expect(json.data!.volunteerLeaderboard.length).toBeGreaterThan(0);
    const csv = await download({ query }, { token: analyst });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toContain(`filename="volunteerLeaderboard-`);
    expect(csv.rows()).toEqual([
      ['rank', 'hours', 'volunteer.displayName', 'volunteer.badges.name'],
      ...json.data!.volunteerLeaderboard.map((entry) => [
        String(entry.rank),
        String(entry.hours),
        entry.volunteer?.displayName ?? '',
        (entry.volunteer?.badges ?? []).map((badge) => badge.name).join('; '),
      ]),
    ]);
  });

  it('is logged like /graphql’s requests, with the operation, the outcome, the time taken and the lines written', async () => {
    const csv = await download({ query: HOURS, variables: FROM, operationName: 'Hours' }, { token: analyst });
    const trace = csv.headers.get(TRACE_ID_HEADER);
    const line = log.lines.find((entry) => entry['traceId'] === trace && entry['service'] === 'gateway' && entry['msg'] === 'request');
    expect(line).toMatchObject({ method: 'POST', operationName: 'Hours', operationType: 'query', status: 200, durationMs: expect.any(Number), csvRows: csv.rows().length - 1 });
    expect(line).not.toHaveProperty('aborted');
    expect(JSON.stringify(log.lines)).not.toContain(analyst);
  });
});

describe('what is refused, as JSON and never as CSV', () => {
  it('asks an anonymous caller to sign in (401) and refuses a volunteer (403)', async () => {
    const anonymous = await download({ query: HOURS, variables: FROM });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toMatch(/^application\/json/);
    expect(anonymous.headers.get('content-disposition')).toBeNull();
    expect(errorsOf(anonymous)[0]!.extensions['code']).toBe('UNAUTHENTICATED');

    const volunteer = await graph.token({ roles: ['volunteer'], personId: '00000000-0000-7000-8002-000000000001' });
    const refused = await download({ query: HOURS, variables: FROM }, { token: volunteer });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-disposition')).toBeNull();
    expect(errorsOf(refused)[0]!.extensions['code']).toBe('FORBIDDEN');
    expect(refused.text).not.toContain('社区');
  });

  it('refuses two statistics, or a field that is no statistic, with 400 BAD_USER_INPUT saying why', async () => {
    const two = await download({ query: '{ volunteerStats { total { registered } } microWishStats { total { posted } } }' }, { token: analyst });
    expect(two.status).toBe(400);
    expect(errorsOf(two)[0]).toMatchObject({ message: expect.stringMatching(/holds one statistic/), extensions: { code: 'BAD_USER_INPUT', field: 'microWishStats' } });
    const none = await download({ query: '{ categories { code name } }' }, { token: analyst });
    expect(none.status).toBe(400);
    expect(errorsOf(none)[0]).toMatchObject({ message: expect.stringMatching(/not a statistic/), extensions: { code: 'BAD_USER_INPUT', field: 'categories' } });
    const variables = await download({ query: HOURS, variables: { from: 'yesterday' } }, { token: analyst });
    expect(variables.status).toBe(400);
    expect(errorsOf(variables)[0]!.extensions['code']).toBe('BAD_USER_INPUT');
  });

  it('passes STATISTICS_TOO_LARGE on with 400 for a question of more than 5,000 buckets', async () => {
    // 5,001 wishes on 5,001 days of 2001–2014, a time the other tests never ask about.
    const requests = graph.graph.subgraphs.requests.database.db;
    await requests.execute(sql`
      insert into requests.micro_wishes (id, wisher_id, posted_by, title, story, region_id, region_path, status, created_at)
      select gen_random_uuid(), w.wisher_id, w.posted_by, w.title, w.story, w.region_id, w.region_path, 'posted', timestamptz '2001-01-01 12:00+08' + n * interval '1 day'
        from (select * from requests.micro_wishes order by id limit 1) w, generate_series(0, 5000) n`);
    const query = '{ microWishStats(filter: { from: "2001-01-01", to: "2014-12-31" }, groupBy: { period: DAY }) { buckets { period { start } figures { posted } } } }';
    const csv = await download({ query }, { token: analyst });
    expect(csv.status).toBe(400);
    expect(csv.headers.get('content-disposition')).toBeNull();
    expect(errorsOf(csv)[0]).toMatchObject({ extensions: { code: 'STATISTICS_TOO_LARGE' }, message: expect.stringMatching(/more than 5000 buckets/) });
  });
});
