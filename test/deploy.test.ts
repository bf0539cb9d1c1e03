/**
 * The deployables checked without a container engine: the Dockerfile, deploy/compose.yaml and deploy/k8s/ are read
 * as text and YAML, and every service they start is held to the services' own configuration code. Each container
 * must run an entry of deploy/entries.json that exists (or whose source exists, before `npm run build`); every
 * variable it is given must be one its service reads (the zod schemas, not a list kept here); the service's loaders,
 * started with that environment as production starts them, must accept it (so every variable required in production
 * is set); and its probes and health checks must ask /ready and /health on the port the service listens on per that
 * same environment. The gateway's subgraph URLs must name the Service or compose service that runs that subgraph.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { parse, parseAllDocuments } from 'yaml';
import { gatewayEnvironment, loadGatewayConfig } from '@lianxin/gateway';
import { peopleSubgraph } from '@lianxin/people';
import { pointsSubgraph } from '@lianxin/points';
import { recognitionSubgraph } from '@lianxin/recognition';
import { requestsSubgraph } from '@lianxin/requests';
import { SUBGRAPH_NAMES, loadMigrationTarget, loadSubgraphConfig, migrationEnvironment, subgraphEnvironment, type SubgraphName } from '@lianxin/shared';
import { peopleEnvironment } from '../subgraphs/people/src/settings.js';
import { pointsEnvironment } from '../subgraphs/points/src/settings.js';
import { requestsEnvironment } from '../subgraphs/requests/src/settings.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const read = (file: string): string => readFileSync(path.join(ROOT, file), 'utf8');

type Entry = 'gateway' | SubgraphName | 'migrate';
type Env = Record<string, string>;

/** The one list of the image's entries (built file, and the source it is compiled from). */
const ENTRIES = JSON.parse(read('deploy/entries.json')) as Record<Entry, { source: string; built: string }>;

const MODULES = { people: peopleSubgraph, requests: requestsSubgraph, points: pointsSubgraph, recognition: recognitionSubgraph };
const SETTINGS_SCHEMAS: Record<SubgraphName, { shape: object } | null> = { people: peopleEnvironment, requests: requestsEnvironment, points: pointsEnvironment, recognition: null };

const names = (...schemas: ({ shape: object } | null)[]): Set<string> => new Set(schemas.flatMap((schema) => (schema ? Object.keys(schema.shape) : [])));

/** What an entry reads, and its loaders: they throw as start-up would, and give the port it listens on (null for a one-shot). */
interface Service {
  known: Set<string>;
  load: (env: Env) => number | null;
}

function subgraphService(name: SubgraphName): Service {
  return {
    known: names(subgraphEnvironment(name), SETTINGS_SCHEMAS[name]),
    load: (env) => {
      const config = loadSubgraphConfig(name, env);
      MODULES[name].settings(env);
      // runSubgraphProcess refuses to run a subgraph alone on the embedded database.
      if (!config.databaseUrl) throw new Error(`${name} has no DATABASE_URL nor ${name.toUpperCase()}_DATABASE_URL`);
      return config.port;
    },
  };
}

const SERVICES: Record<Entry, Service> = {
  gateway: { known: names(gatewayEnvironment), load: (env) => loadGatewayConfig(env).port },
  people: subgraphService('people'),
  requests: subgraphService('requests'),
  points: subgraphService('points'),
  recognition: subgraphService('recognition'),
  migrate: {
    known: names(...SUBGRAPH_NAMES.map((name) => migrationEnvironment(name))),
    load: (env) => {
      for (const name of SUBGRAPH_NAMES) {
        if (!loadMigrationTarget(name, env).databaseUrl) throw new Error(`migrate has no database URL for ${name}`);
      }
      return null;
    },
  },
};

/** The entry a container's command runs: exactly `node <built entry>`, arguments aside. */
function entryOf(command: unknown): Entry {
  expect(Array.isArray(command)).toBe(true);
  const [program, file] = command as string[];
  expect(program).toBe('node');
  const entry = (Object.keys(ENTRIES) as Entry[]).find((name) => ENTRIES[name].built === file);
  if (!entry) throw new Error(`${String(file)} is not an entry of deploy/entries.json`);
  return entry;
}

/** Starts an entry's loaders on what a manifest sets over what the image sets; returns the port it listens on. */
const listens = (entry: Entry, env: Env): number | null => SERVICES[entry].load(started(env));

/** Checks the variables a manifest sets for a service against its schemas, and its loaders on them. */
function checkEnvironment(where: string, entry: Entry, env: Env): void {
  const unknown = Object.keys(env).filter((name) => !SERVICES[entry].known.has(name));
  expect({ where, unknown }).toEqual({ where, unknown: [] });
  try {
    listens(entry, env);
  } catch (error) {
    throw new Error(`${where}: ${entry} would not start: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The Dockerfile: instructions, line continuations joined, comments dropped, grouped by stage.

interface Instruction {
  keyword: string;
  args: string;
}

interface Stage {
  name: string;
  instructions: Instruction[];
}

function dockerfileStages(text: string): Stage[] {
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of lines) {
    const [keyword = '', ...rest] = line.split(/\s+/);
    const instruction = { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    if (instruction.keyword === 'FROM') {
      stages.push({ name: /\sAS\s+(\S+)$/i.exec(instruction.args)?.[1] ?? String(stages.length), instructions: [instruction] });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return stages;
}

const DOCKERFILE = dockerfileStages(read('Dockerfile'));
const RUNTIME = DOCKERFILE.at(-1)!;
const runtimeCopies = RUNTIME.instructions
  .filter((instruction) => instruction.keyword === 'COPY')
  .map((instruction) => {
    const parts = instruction.args.split(/\s+/);
    const from = parts.find((part) => part.startsWith('--from='))?.slice('--from='.length) ?? null;
    const paths = parts.filter((part) => !part.startsWith('--'));
    return { from, sources: paths.slice(0, -1), destination: path.posix.normalize(paths.at(-1) ?? '') };
  });
/** What the image sets for every process: its ENV lines (`ENV NAME=value`). */
const IMAGE_ENV: Env = Object.fromEntries(
  RUNTIME.instructions
    .filter((instruction) => instruction.keyword === 'ENV')
    .flatMap((instruction) => [...instruction.args.matchAll(/(\w+)=(\S+)/g)].map((match) => [match[1]!, match[2]!])),
);
/** A process's environment: what a manifest sets over what the image sets. */
const started = (env: Env): Env => ({ ...IMAGE_ENV, ...env });

/** Whether a file at `file` (relative to the repository) is in the runtime image. */
const inImage = (file: string): boolean =>
  runtimeCopies.some(({ from, destination }) => from !== null && (destination === file || file.startsWith(`${destination === '.' ? '' : destination}/`)));

describe('Dockerfile', () => {
  it('builds in one stage and runs, as a numeric non-root user, on production dependencies in another', () => {
    expect(DOCKERFILE.length).toBeGreaterThanOrEqual(2);
    const runs = (stage: Stage) => stage.instructions.filter((instruction) => instruction.keyword === 'RUN').map((instruction) => instruction.args);
    const builds = DOCKERFILE.filter((stage) => runs(stage).some((run) => /npm ci(?![^&]*--omit=dev)/.test(run)) && runs(stage).some((run) => run.includes('npm run build')));
    expect(builds).toHaveLength(1);
    const productionDeps = DOCKERFILE.filter((stage) => runs(stage).some((run) => /npm (ci|prune)\b[^&]*--omit=dev/.test(run))).map((stage) => stage.name);
    expect(productionDeps).toHaveLength(1);
    // The runtime's packages come from the production install only, never from the build stage's full one.
    expect(runtimeCopies.filter(({ from }) => from === productionDeps[0])).not.toHaveLength(0);
    for (const { from, sources } of runtimeCopies.filter(({ from }) => from === builds[0]!.name)) {
      expect({ from, sources: sources.filter((source) => source.includes('node_modules') || source === '/app' || source === '/app/') }).toEqual({ from, sources: [] });
    }
    expect(runs(RUNTIME)).toEqual([]);
    const user = RUNTIME.instructions.filter((instruction) => instruction.keyword === 'USER').at(-1)?.args;
    expect(user).toMatch(/^[1-9]\d*(:\d+)?$/);
    expect(IMAGE_ENV['NODE_ENV']).toBe('production');
  });

  it('carries every entry of deploy/entries.json, its default command among them', () => {
    for (const [name, { source, built }] of Object.entries(ENTRIES)) {
      expect({ name, source: existsSync(path.join(ROOT, source)) }).toEqual({ name, source: true });
      // An entry maps to its source at the same depth: `src/` ↔ `dist/`, `.ts` ↔ `.js`.
      expect({ name, mapped: built.replace('/dist/', '/').replace(/\.js$/, '') }).toEqual({ name, mapped: source.replace('/src/', '/').replace(/\.ts$/, '') });
      // Before `npm run build` there is no dist/ to look in; after it, the entry must be there.
      const dist = built.slice(0, built.indexOf('/dist/') + '/dist'.length);
      if (existsSync(path.join(ROOT, dist))) expect({ name, built: existsSync(path.join(ROOT, built)) }).toEqual({ name, built: true });
      expect({ name, inImage: inImage(built) }).toEqual({ name, inImage: true });
    }
    const cmd = RUNTIME.instructions.filter((instruction) => instruction.keyword === 'CMD').at(-1)?.args ?? '';
    expect(entryOf(JSON.parse(cmd))).toBe('gateway');
  });

  it('carries the files the services read at run time, where their configuration looks for them', () => {
    const gateway = loadGatewayConfig({ ...IMAGE_ENV, AUTH_JWKS_URL: 'https://id.example.org/jwks.json', AUTH_ISSUER: 'x', VIEWER_TOKEN_SECRET: 'x'.repeat(32) });
    const needed = [gateway.supergraphPath, gateway.trustedDocuments.manifestPath, 'shared/schema/common.graphql'];
    for (const module of Object.values(MODULES)) {
      const folder = path.relative(ROOT, module.migrationsFolder);
      // defineSubgraph's layout: schema.graphql and drizzle/ beside src/ (and dist/).
      needed.push(path.posix.join(folder, 'meta/_journal.json'), path.posix.join(path.dirname(folder), 'schema.graphql'));
    }
    for (const file of needed) {
      expect({ file, exists: existsSync(path.join(ROOT, file)) }).toEqual({ file, exists: true });
      expect({ file, inImage: inImage(file) }).toEqual({ file, inImage: true });
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// deploy/compose.yaml: `${NAME:-default}` resolves to its default, as compose does with no .env.

function interpolate(value: string): string {
  return value.replace(/\$\$|\$\{(\w+)(?::?-([^}]*))?\}/g, (match, name: string | undefined, fallback: string | undefined) => {
    if (match === '$$') return '$';
    if (fallback === undefined) throw new Error(`\${${name}} has no default: compose would need it from the environment`);
    return fallback;
  });
}

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  restart?: string;
}

const compose = parse(read('deploy/compose.yaml'), { merge: true }) as { services: Record<string, ComposeService> };

function composeEnv(service: ComposeService): Env {
  const raw = service.environment ?? {};
  const pairs = Array.isArray(raw)
    ? raw.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)])
    : Object.entries(raw).map(([name, value]) => [name, String(value ?? '')]);
  return Object.fromEntries(pairs.map(([name, value]) => [name!, interpolate(value!)]));
}

/** The compose services that run the image, by the entry each runs. */
const composeEntries = Object.entries(compose.services)
  .filter(([, service]) => service.build !== undefined || interpolate(service.image ?? '').startsWith('lianxin'))
  .map(([name, service]) => ({ name, service, entry: entryOf(service.command), env: composeEnv(service) }));

describe('deploy/compose.yaml', () => {
  it('runs each entry once, every service with a configuration its loaders accept in production', () => {
    expect(composeEntries.map(({ entry }) => entry).sort()).toEqual(Object.keys(ENTRIES).sort());
    for (const { name, entry, env } of composeEntries) checkEnvironment(`compose ${name}`, entry, env);
  });

  it('health-checks /ready on the port each service listens on', () => {
    for (const { name, service, entry, env } of composeEntries) {
      const port = listens(entry, env);
      if (port === null) continue;
      const url = /http:\/\/(?:127\.0\.0\.1|localhost):(\d+)(\/\w+)/.exec(service.healthcheck?.test.join(' ') ?? '');
      expect({ name, port: Number(url?.[1]), path: url?.[2] }).toEqual({ name, port, path: '/ready' });
    }
  });

  it('migrates once before any subgraph starts, and the subgraphs only check the migrations', () => {
    const migrate = composeEntries.find(({ entry }) => entry === 'migrate')!;
    expect(migrate.service.restart).toBe('no');
    for (const { name, service, entry, env } of composeEntries.filter(({ entry }) => (SUBGRAPH_NAMES as readonly string[]).includes(entry))) {
      expect({ name, migrate: service.depends_on?.[migrate.name]?.condition }).toEqual({ name, migrate: 'service_completed_successfully' });
      expect({ name, migrateOnStart: loadSubgraphConfig(entry as SubgraphName, started(env)).migrateOnStart }).toEqual({ name, migrateOnStart: false });
    }
  });

  it('points every internal URL at a service of the file, and the gateway at the subgraphs on their ports', () => {
    for (const { name, env } of composeEntries) {
      // A host without a dot is a service of this file (a typo would resolve to nothing); the identity provider is outside.
      const internal = Object.entries(env).filter(([, value]) => /^\w+:\/\//.test(value) && !new URL(value).hostname.includes('.'));
      expect(internal.length).toBeGreaterThan(0);
      for (const [variable, value] of internal) {
        expect({ name, variable, host: new URL(value).hostname in compose.services }).toEqual({ name, variable, host: true });
      }
    }
    const gateway = composeEntries.find(({ entry }) => entry === 'gateway')!;
    const urls = loadGatewayConfig(started(gateway.env)).subgraphUrls;
    for (const subgraph of SUBGRAPH_NAMES) {
      const target = composeEntries.find(({ entry }) => entry === subgraph)!;
      const url = new URL(urls[subgraph]);
      expect({ subgraph, host: url.hostname, port: Number(url.port) }).toEqual({ subgraph, host: target.name, port: listens(subgraph, target.env) });
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// deploy/k8s/: every manifest file, kustomizations aside.

interface K8sObject {
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

interface Probe {
  httpGet?: { path: string; port: string | number };
}

interface Container {
  name: string;
  image: string;
  command?: string[];
  ports?: { name?: string; containerPort: number }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string; key: string } } }[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
  resources?: { requests?: { cpu?: string; memory?: string }; limits?: { memory?: string } };
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number; allowPrivilegeEscalation?: boolean };
}

interface PodTemplate {
  metadata: { labels: Record<string, string> };
  spec: { containers: Container[]; restartPolicy?: string; securityContext?: { runAsNonRoot?: boolean; runAsUser?: number } };
}

function manifestFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((item) => {
    const file = path.posix.join(dir, item.name);
    if (item.isDirectory()) return manifestFiles(file);
    return /\.ya?ml$/.test(item.name) && !/^kustomization\.ya?ml$/.test(item.name) ? [file] : [];
  });
}

const K8S_FILES = manifestFiles('deploy/k8s');
const objects = K8S_FILES.flatMap((file) => parseAllDocuments(read(file)).map((document) => document.toJS() as K8sObject | null)).filter(
  (object): object is K8sObject => object !== null,
);
const ofKind = (kind: string) => objects.filter((object) => object.kind === kind);
const byName = (kind: string, name: string) => ofKind(kind).find((object) => object.metadata.name === name);

function k8sValue(kind: 'ConfigMap' | 'Secret', name: string, key?: string): Env {
  const object = byName(kind, name);
  if (!object) throw new Error(`no ${kind} named ${name}`);
  const data = { ...((object['data'] as Env | undefined) ?? {}) };
  if (kind === 'Secret') for (const [k, v] of Object.entries(data)) data[k] = Buffer.from(v, 'base64').toString('utf8');
  Object.assign(data, (object['stringData'] as Env | undefined) ?? {});
  if (key === undefined) return data;
  if (!(key in data)) throw new Error(`${kind} ${name} has no key ${key}`);
  return { [key]: data[key]! };
}

/** What a container is given: envFrom in order, then env, as the kubelet builds it (the image's ENV underneath). */
function containerEnv(container: Container): Env {
  const env: Env = {};
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef) Object.assign(env, k8sValue('ConfigMap', source.configMapRef.name));
    if (source.secretRef) Object.assign(env, k8sValue('Secret', source.secretRef.name));
  }
  for (const { name, value, valueFrom } of container.env ?? []) {
    if (value !== undefined) env[name] = value;
    else if (valueFrom?.secretKeyRef) env[name] = k8sValue('Secret', valueFrom.secretKeyRef.name, valueFrom.secretKeyRef.key)[valueFrom.secretKeyRef.key]!;
    else if (valueFrom?.configMapKeyRef) env[name] = k8sValue('ConfigMap', valueFrom.configMapKeyRef.name, valueFrom.configMapKeyRef.key)[valueFrom.configMapKeyRef.key]!;
  }
  return env;
}

const workloads = [...ofKind('Deployment'), ...ofKind('Job')].map((object) => {
  const template = (object['spec'] as { template: PodTemplate }).template;
  const [container, ...others] = template.spec.containers;
  expect(others).toEqual([]);
  return { object, template, container: container!, entry: entryOf(container!.command), env: containerEnv(container!) };
});
const deployments = workloads.filter(({ object }) => object.kind === 'Deployment');
const matches = (selector: Record<string, string>, labels: Record<string, string>) => Object.entries(selector).every(([key, value]) => labels[key] === value);

/** The container port a probe or Service names (a number, or a port's name). */
function containerPort(container: Container, port: string | number | undefined): number | undefined {
  return typeof port === 'number' ? port : container.ports?.find((candidate) => candidate.name === port)?.containerPort;
}

describe('deploy/k8s', () => {
  it('runs each service in one Deployment and the migrations in a Job, on one image', () => {
    expect(deployments.map(({ entry }) => entry).sort()).toEqual(['gateway', ...SUBGRAPH_NAMES].sort());
    const jobs = workloads.filter(({ object }) => object.kind === 'Job');
    expect(jobs.map(({ entry }) => entry)).toEqual(['migrate']);
    expect(jobs[0]!.template.spec.restartPolicy).toBe('Never');
    expect(new Set(workloads.map(({ container }) => container.image)).size).toBe(1);
  });

  it('gives every container a configuration its loaders accept in production, from keys that exist', () => {
    for (const { object, entry, env } of workloads) checkEnvironment(`${object.kind} ${object.metadata.name}`, entry, env);
  });

  it('probes /ready for readiness and /health for liveness on the port each service listens on', () => {
    for (const { object, container, entry, env } of deployments) {
      const port = listens(entry, env);
      const probe = (kind: 'readinessProbe' | 'livenessProbe' | 'startupProbe') => {
        const get = container[kind]?.httpGet;
        return get ? { path: get.path, port: containerPort(container, get.port) } : undefined;
      };
      expect({ name: object.metadata.name, readiness: probe('readinessProbe'), liveness: probe('livenessProbe') }).toEqual({
        name: object.metadata.name,
        readiness: { path: '/ready', port },
        liveness: { path: '/health', port },
      });
      const startup = probe('startupProbe');
      if (startup) expect(startup).toEqual({ path: '/health', port });
    }
  });

  it('sets resources and a non-root security context on every container', () => {
    for (const { object, template, container } of workloads) {
      const { requests, limits } = container.resources ?? {};
      expect({ name: object.metadata.name, cpu: Boolean(requests?.cpu), memory: Boolean(requests?.memory), limit: Boolean(limits?.memory) }).toEqual({
        name: object.metadata.name,
        cpu: true,
        memory: true,
        limit: true,
      });
      const security = { ...template.spec.securityContext, ...container.securityContext };
      expect({ name: object.metadata.name, nonRoot: security.runAsNonRoot, root: security.runAsUser === 0, escalation: security.allowPrivilegeEscalation }).toEqual({
        name: object.metadata.name,
        nonRoot: true,
        root: false,
        escalation: false,
      });
    }
  });

  it('fronts each Deployment with a Service on its port and protects it with a PodDisruptionBudget', () => {
    for (const { object, template, container, entry, env } of deployments) {
      const labels = template.metadata.labels;
      const services = ofKind('Service').filter((service) => matches((service['spec'] as { selector: Record<string, string> }).selector, labels));
      expect({ name: object.metadata.name, services: services.length }).toEqual({ name: object.metadata.name, services: 1 });
      const ports = (services[0]!['spec'] as { ports: { port: number; targetPort: string | number }[] }).ports;
      expect(ports.map(({ targetPort }) => containerPort(container, targetPort))).toEqual([listens(entry, env)]);
      const budgets = ofKind('PodDisruptionBudget').filter((budget) =>
        matches((budget['spec'] as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels, labels),
      );
      expect({ name: object.metadata.name, budgets: budgets.length }).toEqual({ name: object.metadata.name, budgets: 1 });
    }
  });

  it('scales the gateway with a HorizontalPodAutoscaler', () => {
    const [autoscaler, ...others] = ofKind('HorizontalPodAutoscaler');
    expect(others).toEqual([]);
    const target = (autoscaler!['spec'] as { scaleTargetRef: { kind: string; name: string }; minReplicas: number }).scaleTargetRef;
    expect(target.kind).toBe('Deployment');
    expect(deployments.find(({ object }) => object.metadata.name === target.name)?.entry).toBe('gateway');
    expect((autoscaler!['spec'] as { minReplicas: number }).minReplicas).toBeGreaterThanOrEqual(2);
  });

  it('points the gateway at each subgraph through the Service that selects it, on its port', () => {
    const gateway = deployments.find(({ entry }) => entry === 'gateway')!;
    const urls = loadGatewayConfig(started(gateway.env)).subgraphUrls;
    for (const subgraph of SUBGRAPH_NAMES) {
      const url = new URL(urls[subgraph]);
      const service = byName('Service', url.hostname);
      const target = deployments.find(({ entry }) => entry === subgraph)!;
      const spec = service?.['spec'] as { selector: Record<string, string>; ports: { port: number }[] } | undefined;
      expect({ subgraph, selects: spec !== undefined && matches(spec.selector, target.template.metadata.labels), ports: spec?.ports.map(({ port }) => port) }).toEqual({
        subgraph,
        selects: true,
        ports: [Number(url.port)],
      });
    }
  });
});
