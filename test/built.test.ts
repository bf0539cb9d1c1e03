/**
 * The built output as production runs it: `npm run build`, then node on each
 * service's built entry, with no tsx in the process and no process under it.
 * The four subgraphs and the gateway as separate processes on a Postgres test
 * database answer `/health` and `/ready`, a query across three subgraphs, and
 * a step of the loop carried by an event (a completed service's record,
 * deposited in the volunteer's passbook by points); SIGTERM drains each and
 * it exits 0. The built migrations script migrates an empty database.
 * `npm run start:<service>` with NODE_ENV=production leaves node on the
 * built entry directly under npm, and npm's SIGTERM reaches it.
 */
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadGatewayConfig, mintDevToken, type DevTokenRequest } from '@lianxin/gateway';
import { newId, SUBGRAPH_NAMES, type SubgraphName } from '@lianxin/shared';
import { DEMO_REGIONS, DEMO_RESIDENTS, DEMO_SAMPLE_PERSON_ID, DEMO_STAFF, DEMO_TEAM, DEMO_VOLUNTEERS } from '@lianxin/shared/demo';
import { createTestDatabase, waitFor, type TestDatabase } from '@lianxin/shared/testing';
import { DEMO_BANK, DEMO_MERCHANTS } from '../subgraphs/points/src/db/demo.js';
import { graphShape } from './support/graph.js';
import { cleanEnv } from './support/processes.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** What a container runs for each service: `node <entry>` from the repository's root. */
const ENTRIES: Record<SubgraphName | 'gateway' | 'migrate', string> = {
  gateway: 'gateway/dist/main.js',
  people: 'subgraphs/people/dist/main.js',
  requests: 'subgraphs/requests/dist/main.js',
  points: 'subgraphs/points/dist/main.js',
  recognition: 'subgraphs/recognition/dist/main.js',
  migrate: 'scripts/dist/migrate.js',
};

interface Service {
  child: ChildProcessWithoutNullStreams;
  lines: Record<string, unknown>[];
  stderr(): string;
  /** The `url` of the first log line whose message is `message`; rejects if the process exits first. */
  urlLogged(message: string): Promise<string>;
  exited: Promise<number | null>;
}

function launch(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Service {
  const child = spawn(command, args, { cwd: root, env: cleanEnv(env) });
  const lines: Record<string, unknown>[] = [];
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    const complete = stdout.split('\n');
    stdout = complete.pop() ?? '';
    for (const line of complete) if (line.startsWith('{')) lines.push(JSON.parse(line) as Record<string, unknown>);
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let gone = false;
  void exited.then(() => (gone = true));
  return {
    child,
    lines,
    stderr: () => stderr,
    exited,
    async urlLogged(message) {
      let url: string | undefined;
      await waitFor(
        `"${message}"`,
        async () => {
          if (gone) throw new Error(`exited before "${message}": ${stderr}`);
          url = lines.find((line) => line['msg'] === message)?.['url'] as string | undefined;
          return url !== undefined;
        },
        { timeoutMs: 120_000, intervalMs: 50 },
      );
      return url!;
    },
  };
}

/** The command line of a running process, and the processes it started. */
async function processTree(pid: number): Promise<{ command: string[]; children: string[] }> {
  const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  const { stdout } = await promisify(execFile)('ps', ['-o', 'args=', '--ppid', String(pid)]).catch(() => ({ stdout: '' }));
  return { command, children: stdout.split('\n').filter(Boolean) };
}

const running: Service[] = [];
let database: TestDatabase;
const urls = {} as Record<SubgraphName | 'gateway', string>;

beforeAll(async () => {
  // Up to date with the sources whatever ran before (npm test builds first; turbo makes this a cache hit then).
  await promisify(execFile)('npm', ['run', 'build'], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
  database = await createTestDatabase('built', graphShape(cleanEnv({ DEMO_DATA: 'true' })));
}, 600_000);

afterAll(async () => {
  for (const service of running.splice(0)) {
    if (service.child.exitCode === null && service.child.signalCode === null) service.child.kill('SIGKILL');
    await service.exited;
  }
  await database?.drop();
});

describe('the built output', () => {
  it('has an entry for every service and for the migrations', () => {
    for (const entry of Object.values(ENTRIES)) expect(existsSync(path.join(root, entry)) ? entry : `${entry} missing`).toBe(entry);
  });

  it('stops with one line naming a missing variable', async () => {
    const service = launch(process.execPath, [ENTRIES.people], {});
    expect(await service.exited).toBe(1);
    expect(service.stderr().trim().split('\n')).toEqual([expect.stringMatching(/^lianxin: invalid configuration: DATABASE_URL: required/)]);
  });

  it('migrates a database as the release step', async () => {
    const empty = await createTestDatabase('builtmigrate');
    try {
      const migrate = launch(process.execPath, [ENTRIES.migrate, 'points'], { DATABASE_URL: empty.url });
      let stdout = '';
      migrate.child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      expect(await migrate.exited).toBe(0);
      expect(stdout.trim().split('\n')).toEqual([expect.stringMatching(/^points: applied \d+, \d+ migrations in schema "points"$/)]);
      expect(migrate.stderr()).toBe('');
    } finally {
      await empty.drop();
    }
  });
});

describe('the built services as processes', () => {
  beforeAll(async () => {
    const subgraphs = SUBGRAPH_NAMES.map((name) => {
      const env = { DATABASE_URL: database.url, DEMO_DATA: 'false', [`${name.toUpperCase()}_PORT`]: '0', EVENT_POLL_INTERVAL_MS: '50' };
      const service = launch(process.execPath, [ENTRIES[name]], env);
      running.push(service);
      return service;
    });
    const ready = await Promise.all(subgraphs.map((service, index) => service.urlLogged(`${SUBGRAPH_NAMES[index]} subgraph ready`)));
    SUBGRAPH_NAMES.forEach((name, index) => (urls[name] = ready[index]!));
    const routes = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [`${name.toUpperCase()}_URL`, urls[name]]));
    const limits = { RATE_LIMIT_ANONYMOUS_PER_MINUTE: '0', RATE_LIMIT_MERCHANT_PER_MINUTE: '0', RATE_LIMIT_SIGNED_IN_PER_MINUTE: '0' };
    const gateway = launch(process.execPath, [ENTRIES.gateway], { PORT: '0', ...routes, ...limits });
    running.push(gateway);
    urls.gateway = await gateway.urlLogged('gateway ready');
  }, 300_000);

  it('are node on the built entry, with nothing under it', async () => {
    for (const service of running) {
      const { command, children } = await processTree(service.child.pid!);
      expect(command).toEqual([process.execPath, expect.stringMatching(/dist\/main\.js$/)]);
      expect(children).toEqual([]);
    }
  });

  it('answer /health and /ready', async () => {
    for (const url of Object.values(urls)) {
      expect((await fetch(new URL('/health', url))).status).toBe(200);
      expect((await fetch(new URL('/ready', url))).status).toBe(200);
    }
  });

  it('answer a query across subgraphs, and run the loop: a completed service to a deposit by an event, a redemption, the tally', async () => {
    const { ok, must, token } = client();
    const volunteer = await token({ roles: ['volunteer'], personId: DEMO_SAMPLE_PERSON_ID });
    type Seen = { person: { name: string; account: { balance: number } | null; badges: { name: string }[] | null } };
    const seen = await ok<Seen>(`query ($id: ID!) { person(id: $id) { name account { balance } badges { name } } }`, volunteer, { id: DEMO_SAMPLE_PERSON_ID });
    expect(seen.person.name).toBe('王建国');
    expect(seen.person.account?.balance).toEqual(expect.any(Number));
    expect(seen.person.badges).toEqual(expect.any(Array));

    // 点单 → 派单 → 接单 → 完成, then the deposit points makes from requests' event (600 points an hour: a minute earns 10).
    const admin = await token({ roles: ['platform_admin'], personId: newId() });
    const station = await token({ roles: ['station_admin'], personId: DEMO_STAFF[0]!.id, regionIds: [DEMO_REGIONS.xingle.id] });
    const resident = await token({ roles: ['resident'], personId: DEMO_RESIDENTS[2]!.id });
    const zhang = await token({ roles: ['volunteer'], personId: DEMO_VOLUNTEERS[1]!.id });
    const tallyBefore = await ok<{ person: { serviceTally: { minutes: number; services: number } } }>(
      `query ($id: ID!) { person(id: $id) { serviceTally { minutes services } } }`,
      zhang,
      { id: DEMO_VOLUNTEERS[1]!.id },
    );
    await must('depositRuleSet', 'rule { pointsPerHour }', { bank: DEMO_BANK.head.id, category: 'cleaning', pointsPerHour: 600 }, admin);
    const filed = await must<{ serviceRequest: { id: string } }>(
      'serviceRequestCreate',
      'serviceRequest { id }',
      { category: 'cleaning', description: '帮忙打扫厨房。', place: DEMO_REGIONS.eastBuilding2.id },
      resident,
    );
    const request = filed.serviceRequest.id;
    await must('serviceRequestApprove', 'serviceRequest { id }', { request }, station);
    await must('serviceRequestDispatch', 'serviceRequest { id }', { request, team: DEMO_TEAM.id }, station);
    for (const step of ['serviceRequestAccept', 'serviceRequestStart']) await must(step, 'serviceRequest { id }', { request }, zhang);
    await must('serviceRequestComplete', 'serviceRequest { id }', { request, note: '好了。' }, zhang);
    type Recorded = { serviceRequest: { serviceRecord: { minutes: number; deposit: { points: number } | null } | null } };
    const query = `query ($id: ID!) { serviceRequest(id: $id) { serviceRecord { minutes deposit { points } } } }`;
    let recorded: Recorded | undefined;
    await waitFor('the deposit', async () => {
      recorded = await ok<Recorded>(query, zhang, { id: request });
      return recorded.serviceRequest.serviceRecord?.deposit != null;
    });
    const record = recorded!.serviceRequest.serviceRecord!;
    expect(record.deposit).toEqual({ points: record.minutes * 10 });

    // 兑换: the volunteer shows a payment code and spends the deposit at Yonghui's till; recognition counts the service.
    const zhangId = DEMO_VOLUNTEERS[1]!.id;
    const till = await token({ roles: ['merchant'], merchantId: DEMO_MERCHANTS.yonghui.id });
    const item = await must<{ catalogItem: { id: string } }>(
      'catalogItemCreate',
      'catalogItem { id }',
      { merchant: DEMO_MERCHANTS.yonghui.id, name: `连心 ${newId()}`, pricePoints: record.deposit!.points, stock: 1 },
      till,
    );
    const issued = await must<{ paymentCode: { code: string } }>('paymentCodeIssue', 'paymentCode { code }', {}, zhang);
    const redeemed = await must<{ redemption: { status: string; totalPoints: number } }>(
      'redemptionCreate',
      'redemption { status totalPoints }',
      { paymentCode: issued.paymentCode.code, merchant: DEMO_MERCHANTS.yonghui.id, items: [{ item: item.catalogItem.id, quantity: 1 }], idempotencyKey: newId() },
      till,
    );
    expect(redeemed.redemption).toEqual({ status: 'CAPTURED', totalPoints: record.deposit!.points });
    type Tally = { person: { serviceTally: { minutes: number; services: number } } };
    const tallyQuery = `query ($id: ID!) { person(id: $id) { serviceTally { minutes services } } }`;
    await waitFor('the service in recognition', async () => {
      const tally = await ok<Tally>(tallyQuery, zhang, { id: zhangId });
      return tally.person.serviceTally.services === tallyBefore.person.serviceTally.services + 1;
    });
    const tallyAfter = await ok<Tally>(tallyQuery, zhang, { id: zhangId });
    expect(tallyAfter.person.serviceTally.minutes).toBe(tallyBefore.person.serviceTally.minutes + record.minutes);
  });

  it('drain on SIGTERM and exit 0, the gateway first', async () => {
    for (const service of [...running].reverse()) {
      service.child.kill('SIGTERM');
      expect(await service.exited).toBe(0);
      expect(service.stderr()).toContain('SIGTERM received, draining');
    }
  });
});

describe('npm run start:<service> in production', () => {
  it('leaves node on the built entry directly under npm, and npm passes SIGTERM on to it', async () => {
    const env = { NODE_ENV: 'production', DATABASE_URL: database.url, RECOGNITION_PORT: '0', VIEWER_TOKEN_SECRET: 'a-viewer-token-secret-of-32-characters!' };
    const npm = launch('npm', ['run', '--silent', 'start:recognition'], env);
    running.push(npm);
    const url = await npm.urlLogged('recognition subgraph ready');
    expect((await fetch(new URL('/ready', url))).status).toBe(200);
    const { children } = await processTree(npm.child.pid!);
    expect(children).toEqual(['node subgraphs/recognition/dist/main.js']);
    npm.child.kill('SIGTERM');
    expect(await npm.exited).toBe(0);
    expect(npm.stderr()).toContain('SIGTERM received, draining');
  });
});

/** Operations through the built gateway, as a client sends them, with dev tokens it accepts. */
function client() {
  const { auth } = loadGatewayConfig(cleanEnv({}));
  if (auth.kind !== 'dev-secret') throw new Error('the built gateway runs with the dev secret here');
  const ok = async <T>(query: string, token: string, variables: Record<string, unknown> = {}): Promise<T> => {
    const response = await fetch(urls.gateway, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: T; errors?: unknown[] };
    if (body.errors) throw new Error(`unexpected errors: ${JSON.stringify(body.errors)}`);
    return body.data as T;
  };
  return {
    ok,
    token: (request: DevTokenRequest) => mintDevToken(request, auth),
    must: async <T extends Record<string, unknown>>(mutation: string, selection: string, input: Record<string, unknown>, token: string): Promise<T> => {
      const inputType = `${mutation.charAt(0).toUpperCase()}${mutation.slice(1)}Input`;
      const data = await ok<Record<string, T & { userErrors: unknown[] }>>(
        `mutation ($input: ${inputType}!) { ${mutation}(input: $input) { ${selection} userErrors { field code message } } }`,
        token,
        { input },
      );
      const payload = data[mutation]!;
      if (payload.userErrors.length > 0) throw new Error(`${mutation} refused: ${JSON.stringify(payload.userErrors)}`);
      return payload;
    },
  };
}
