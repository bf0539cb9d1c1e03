/**
 * A real Apollo Client with the generated cache configuration reads screens
 * over the same objects through the gateway, and the cache logs no warning
 * (e.g. "Cache data may be lost"): every object either normalises by its id or
 * is a value object the type policies merge.
 */
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApolloClient, HttpLink, InMemoryCache, gql, type NormalizedCacheObject } from '@apollo/client/core/index.js';
import { loadDevMessages, loadErrorMessages } from '@apollo/client/dev/index.js';
import { DEMO_SAMPLE_PERSON_ID, DEMO_TEAM } from '@lianxin/shared/demo';
import { possibleTypes, typePolicies } from '../client/apollo-cache.js';
import { startTestGraph, type TestGraph } from './support/graph.js';

let graph: TestGraph;
let client: ApolloClient<NormalizedCacheObject>;
const logged: string[] = [];
const originals = { warn: console.warn, error: console.error };

beforeAll(async () => {
  // Full messages instead of links, so a failure says what the cache complained about.
  loadDevMessages();
  loadErrorMessages();
  for (const level of ['warn', 'error'] as const) {
    console[level] = (...args: unknown[]) => {
      logged.push(args.map(String).join(' '));
    };
  }
  graph = await startTestGraph();
  const token = await graph.token({ roles: ['volunteer'], personId: DEMO_SAMPLE_PERSON_ID });
  client = new ApolloClient({
    link: new HttpLink({ uri: graph.url, fetch, headers: { authorization: `Bearer ${token}` } }),
    cache: new InMemoryCache({ possibleTypes, typePolicies }),
  });
});
afterAll(async () => {
  console.warn = originals.warn;
  console.error = originals.error;
  await graph?.stop();
});

const teamScreen = gql`
  query TeamScreen($id: ID!, $after: String) {
    team(id: $id) {
      id
      name
      memberCount
      members(first: 2, after: $after) {
        edges {
          role
          joinedAt
          node {
            id
            name
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`;

const personScreen = gql`
  query PersonScreen($id: ID!) {
    person(id: $id) {
      id
      name
      homeRegion {
        id
        name
      }
      account {
        id
        balance
        transfers(first: 5) {
          edges {
            node {
              id
              line
              amount
              balanceAfter
              cause
            }
          }
          pageInfo {
            hasNextPage
            endCursor
          }
        }
      }
      badges {
        id
        name
      }
      requests(first: 5) {
        edges {
          node {
            id
            status
            description
          }
        }
      }
    }
  }
`;

describe('Apollo Client with the generated cache configuration', () => {
  it('reads a team, pages its members, then a member, with no cache warning', async () => {
    type TeamData = { team: { members: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } };
    const first = await client.query<TeamData>({ query: teamScreen, variables: { id: DEMO_TEAM.id }, fetchPolicy: 'network-only' });
    expect(first.errors).toBeUndefined();
    const page = first.data.team.members;
    expect(page.edges.length).toBeGreaterThan(0);
    // The demo team has more than two members, so the screen has a second page to fetch.
    expect(page.pageInfo.hasNextPage).toBe(true);
    const watcher = client.watchQuery<TeamData>({ query: teamScreen, variables: { id: DEMO_TEAM.id } });
    const subscription = watcher.subscribe(() => undefined);
    const more = await watcher.fetchMore({ variables: { after: page.pageInfo.endCursor } });
    expect(more.data.team.members.edges.length).toBeGreaterThan(0);
    // Relay paging appends the second page to the list the cache keeps for the team.
    const merged = client.readQuery<TeamData>({ query: teamScreen, variables: { id: DEMO_TEAM.id } });
    expect(merged?.team.members.edges.length).toBe(page.edges.length + more.data.team.members.edges.length);
    subscription.unsubscribe();
    const person = await client.query({ query: personScreen, variables: { id: DEMO_SAMPLE_PERSON_ID }, fetchPolicy: 'network-only' });
    expect(person.errors).toBeUndefined();
    // The same person, read by both screens, is one normalised object.
    expect(client.cache.extract()[`Person:${DEMO_SAMPLE_PERSON_ID}`]).toBeDefined();
    // Read again: the second write over the same objects must not lose anything.
    await client.query({ query: personScreen, variables: { id: DEMO_SAMPLE_PERSON_ID }, fetchPolicy: 'network-only' });
    await client.query({ query: teamScreen, variables: { id: DEMO_TEAM.id }, fetchPolicy: 'network-only' });
    expect(logged).toEqual([]);
  });

  const examples = new URL('../examples/', import.meta.url);
  const examplesDir = examples.pathname;
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.graphql')) files.push(path);
    }
  };
  if (existsSync(examplesDir)) walk(examplesDir);
  const queries = files.filter((file) => /^\s*(query|\{)/m.test(readFileSync(file, 'utf8')) && !/^\s*mutation\b/m.test(readFileSync(file, 'utf8')));

  (queries.length > 0 ? it : it.skip)('runs every example query with no cache warning', async () => {
    for (const file of queries) {
      const variablesFile = file.replace(/\.graphql$/, '.json');
      const variables = existsSync(variablesFile) ? (JSON.parse(readFileSync(variablesFile, 'utf8')) as Record<string, unknown>) : {};
      await client.query({ query: gql(readFileSync(file, 'utf8')), variables, fetchPolicy: 'network-only', errorPolicy: 'all' });
    }
    expect(logged).toEqual([]);
  });
});
