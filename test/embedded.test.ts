/** `npm start` without DATABASE_URL: the whole graph on the embedded PGlite, demo data loaded. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_SAMPLE_PERSON_ID } from '@lianxin/shared';
import { startTestGraph, type TestGraph } from './support/graph.js';

let graph: TestGraph;

beforeAll(async () => {
  graph = await startTestGraph({ DATABASE_URL: '', DATA_DIR: 'memory://' });
});
afterAll(async () => {
  await graph?.stop();
});

describe('the embedded graph', () => {
  it('runs every subgraph on PGlite', () => {
    for (const { database } of Object.values(graph.graph.subgraphs)) expect(database.driver).toBe('pglite');
  });

  it('answers the query that crosses all four subgraphs', async () => {
    const token = await graph.token({ roles: ['volunteer'], personId: DEMO_SAMPLE_PERSON_ID });
    const response = await graph.query(
      `query ($id: ID!) { person(id: $id) { name homeRegion { name } account { passbookNumber balance } badges { name } requests(first: 5) { edges { node { description status } } } } }`,
      { variables: { id: DEMO_SAMPLE_PERSON_ID }, token },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data).toMatchObject({ person: { name: '王建国', homeRegion: { name: '东院1号楼' } } });
  });
});
