/** The checked-in supergraph is what the four subgraph SDLs compose to, with no unaccepted hint. */
import { describe, expect, it } from '@jest/globals';
import { clientSchemaOf, composeSupergraph, readCheckedInClientSchema, readCheckedInSupergraph } from '../schema/composition.js';

describe('composition', () => {
  const report = composeSupergraph();

  it('composes without errors', () => {
    expect(report.errors).toEqual([]);
  });

  it('reports no hint that has not been accepted in schema/accepted-hints.json', () => {
    expect(report.newHints).toEqual([]);
  });

  it('matches schema/supergraph.graphql (run `npm run compose` after changing a schema)', () => {
    expect(report.supergraphSdl).toBe(readCheckedInSupergraph());
  });

  it('matches schema/client.graphql, the API schema without federation definitions', () => {
    const clientSchema = readCheckedInClientSchema();
    expect(clientSchema).toBe(clientSchemaOf(readCheckedInSupergraph()));
    expect(clientSchema).not.toMatch(/join__|link__|@link|@inaccessible/);
    expect(clientSchema).toMatch(/^type Query \{/m);
  });
});
