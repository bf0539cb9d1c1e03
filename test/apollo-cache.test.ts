/**
 * A real Apollo Client with the generated cache configuration reads screens
 * over the same objects through the gateway, and the cache logs no warning
 * (e.g. "Cache data may be lost"): every object either normalises by its id or
 * is a value object the type policies merge.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApolloClient, HttpLink, InMemoryCache, gql, type NormalizedCacheObject, type OperationVariables, type TypedDocumentNode } from '@apollo/client/core/index.js';
import { getOperationName } from '@apollo/client/utilities/index.js';
import { loadDevMessages, loadErrorMessages } from '@apollo/client/dev/index.js';
import type { DevTokenRequest } from '@lianxin/gateway';
import { DEMO_REGIONS, DEMO_RESIDENTS, DEMO_SAMPLE_PERSON_ID, DEMO_STAFF, DEMO_TEAM } from '@lianxin/shared/demo';
import { possibleTypes, typePolicies } from '../client/apollo-cache.js';
import {
  CategoriesDocument,
  MyHoursDocument,
  MyPassbookDocument,
  MyQueueDocument,
  MyRequestsDocument,
  MyTeamsDocument,
  OpenAlertsDocument,
  RegionFiguresDocument,
  RequestQueueDocument,
  RequestQuoteDocument,
} from '../examples/__generated__/graphql.js';
import { startTestGraph, type TestGraph } from './support/graph.js';

const manifest = JSON.parse(readFileSync(new URL('../examples/__generated__/persisted-documents.json', import.meta.url), 'utf8')) as Record<string, string>;

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

  it('reads every query of the operations catalogue, each app into its own cache, with no cache warning', async () => {
    /** An app's client: its own cache with the generated configuration, and the token of its user. */
    const app = async (request: DevTokenRequest) =>
      new ApolloClient({
        link: new HttpLink({ uri: graph.url, fetch, headers: { authorization: `Bearer ${await graph.token(request)}` } }),
        cache: new InMemoryCache({ possibleTypes, typePolicies }),
      });
    const ran = new Set<string>();
    /** Reads a catalogue query as its app would (twice: the second write lands on the objects the first one cached). */
    async function read<TData, TVariables extends OperationVariables>(
      client: ApolloClient<NormalizedCacheObject>,
      query: TypedDocumentNode<TData, TVariables>,
      variables: TVariables,
    ) {
      let data: TData | undefined;
      for (let round = 0; round < 2; round += 1) {
        const result = await client.query({ query, variables, fetchPolicy: 'network-only' });
        expect(result.errors).toBeUndefined();
        data = result.data;
      }
      ran.add(getOperationName(query) ?? '');
      return data!;
    }

    const resident = await app({ roles: ['resident'], personId: DEMO_RESIDENTS[0]!.id });
    await read(resident, CategoriesDocument, {});
    const mine = await read(resident, MyRequestsDocument, { first: 20 });
    const request = mine.myServiceRequests?.edges[0]?.node.id;
    expect(request).toBeDefined();
    await read(resident, RequestQuoteDocument, { id: request! });

    const volunteer = await app({ roles: ['volunteer', 'team_captain'], personId: DEMO_SAMPLE_PERSON_ID });
    await read(volunteer, MyTeamsDocument, {});
    await read(volunteer, MyQueueDocument, { team: DEMO_TEAM.id });
    await read(volunteer, MyPassbookDocument, { first: 10 });
    await read(volunteer, MyHoursDocument, { first: 10 });

    const admin = await app({ roles: ['community_admin'], personId: DEMO_STAFF[0]!.id, regionIds: [DEMO_REGIONS.xingle.id] });
    await read(admin, RequestQueueDocument, { region: DEMO_REGIONS.xingle.id, first: 20 });
    await read(admin, OpenAlertsDocument, { first: 20 });
    await read(admin, RegionFiguresDocument, { region: DEMO_REGIONS.xingle.id, activitiesFrom: new Date(Date.now() - 30 * 24 * 3600 * 1000).toISOString() });

    expect(logged).toEqual([]);
    // Every query of the catalogue, so a new one is read here too (its mutations run in examples.test.ts).
    const queries = Object.values(manifest)
      .map((text) => /(?:^|\s)query (\w+)/.exec(text)?.[1])
      .filter((name): name is string => name !== undefined);
    expect([...ran].sort()).toEqual(queries.sort());
  });
});
